"""Configuration from the environment (and a ``.env`` file), typed."""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.calendar import EARLIEST_BUSINESS_DATE, FIRST_EARLIEST, LATEST_DATE
from domain.numbers import DEFAULT_FORMAT as DEFAULT_NUMBER_FORMAT
from domain.numbers import NumberFormat
from domain.organisations import DEFAULT_FOUNDING, DEFAULT_PROVINCE_CODE, DEFAULT_PROVINCE_NAME
from domain.passwords import DEFAULT_MIN_LENGTH
from stores.province_seed import LegacyNames

T = TypeVar("T")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="postgresql://user:password@host:port/dbname (a socket folder may be given"
        " as ?host=/path). Unset: the embedded server in data_dir.",
    )
    data_dir: Path = Field(
        default=Path(platformdirs.user_data_dir("petition-tracker")),
        validation_alias="PETITIONS_DATA_DIR",
        description="Where the embedded PostgreSQL keeps its data folder.",
    )
    postgres_host: str = Field(
        default="", description="The library's own settings, used when DATABASE_URL is unset."
    )
    postgres_port: int = Field(default=5432, ge=1, le=65535)
    postgres_user: str = "postgres"
    postgres_password: str = ""
    postgres_dbname: str = "petitions"
    postgres_lock_timeout: int = Field(
        default=5, ge=1, description="Seconds a write waits for the event table's lock."
    )
    postgres_max_waiting: int = Field(
        default=20, ge=1, description="Requests that may queue for a pooled connection."
    )
    postgres_pool_size: int = Field(default=5, ge=1)
    postgres_max_overflow: int = Field(default=5, ge=0)
    postgres_connect_timeout: int = Field(default=5, ge=1)
    postgres_schema: str = Field(
        default="", description="Schema of the event log and views (empty: public)."
    )
    projection_page_size: int = Field(
        default=1000, ge=1, le=10_000, description="Events per view transaction."
    )
    rebuild_processes: int = Field(
        default=min(os.cpu_count() or 1, 4),
        ge=1,
        le=32,
        description="Processes a rebuild of the read models runs in (one per core, at most 4).",
    )
    very_overdue_days: int = Field(
        default=30, ge=1, description="Days past due that mark a petition very overdue."
    )
    min_answered_for_ranking: int = Field(
        default=5, ge=1, description="Answers a department needs in a period to be ranked."
    )
    meeting_notice_days: int = Field(
        default=5,
        ge=0,
        le=90,
        description="Days before a meeting its notice is due: one sent later is late.",
    )
    meeting_information_days: int = Field(
        default=2,
        ge=0,
        le=90,
        description="Days before a meeting the departments' information for its agenda is due.",
    )
    petition_number_format: str = Field(
        default=DEFAULT_NUMBER_FORMAT,
        min_length=1,
        max_length=60,
        description="How a petition's number is written: {year} (of the date raised) and"
        " {seq} (its place in the organisation's year), e.g. KN-{year}-{seq:04d}.",
    )
    min_position_wait: float = Field(
        default=5.0, gt=0, le=30, description="Seconds a read waits for ?min_position."
    )
    ready_max_lag: int = Field(
        default=1000, ge=0, description="Events a view may lag before /readyz says not ready."
    )
    max_body_bytes: int = Field(default=1_000_000, ge=1024, description="Largest request body.")
    metrics_public: bool = Field(
        default=False,
        description="/metrics without any credential (it counts open and overdue petitions"
        " per department); else it needs an API token or METRICS_TOKEN.",
    )
    metrics_token: SecretStr = Field(
        default=SecretStr(""),
        description="A scrape credential for /metrics (Authorization: Bearer <it>), besides"
        " the API tokens; empty: none.",
    )
    max_upload_bytes: int = Field(
        default=10_000_000,
        ge=1024,
        description="Largest signed letter (PDF, PNG or JPEG) uploaded with a written answer.",
    )
    session_hours: int = Field(
        default=10, ge=1, le=24 * 30, description="Hours a web sign-in lasts."
    )
    signin_max_failures: int = Field(
        default=10,
        ge=1,
        description="Failed sign-ins (passwords or codes) of one username, and from one"
        " address, within SIGNIN_WINDOW_SECONDS before further attempts are refused (429);"
        " counted in PostgreSQL, across every API process.",
    )
    signin_window_seconds: int = Field(
        default=300, ge=1, le=86_400, description="The window the sign-in limits count in."
    )
    password_min_length: int = Field(
        default=DEFAULT_MIN_LENGTH, ge=8, le=128, description="Shortest password an account takes."
    )
    totp_required: bool = Field(
        default=False,
        description="Admin, committee and auditor accounts need a TOTP second factor: one"
        " without is asked to enrol at its next sign-in, before any other page.",
    )
    audit_signing_key_file: Path | None = Field(
        default=None,
        description="Ed25519 private key (PEM) that signs the audit chain's checkpoints;"
        " default data_dir/audit-signing-key.pem, made on first start if missing.",
    )
    audit_checkpoint_every: int = Field(
        default=1000, ge=1, description="Events between signed checkpoints of the chain."
    )
    audit_checkpoint_seconds: float = Field(
        default=60,
        gt=0,
        description="Seconds after which the worker keeping the chain signs its head, events"
        " coming or not; `audit verify` fails when events stay unsigned twice as long.",
    )
    backdating_tolerance_days: int = Field(
        default=3,
        ge=0,
        description="Days an event may be recorded after its business date"
        " before auditors see it flagged as back-dated.",
    )
    min_working_days: int = Field(
        default=5,
        ge=0,
        le=60,
        description="Working days a department has at least to answer:"
        " when the zone's next briefing is nearer, the one after is the due date.",
    )
    answer_period_days: int = Field(
        default=30, ge=1, description="Due date for zones that keep no briefing calendar."
    )
    founding_organisation: str = Field(
        default=DEFAULT_FOUNDING,
        min_length=1,
        description="Code given to the district of a database or seed made before"
        " organisations existed; the events recorded then belong to it.",
    )
    province_code: str = Field(
        default=DEFAULT_PROVINCE_CODE,
        min_length=1,
        description="Code of the province such a district is placed under.",
    )
    province_name: str = Field(
        default=DEFAULT_PROVINCE_NAME, min_length=1, description="Name of that province."
    )
    earliest_business_date: date = Field(
        default=EARLIEST_BUSINESS_DATE,
        ge=FIRST_EARLIEST,
        lt=LATEST_DATE,
        description="The earliest business date accepted (YYYY-MM-DD): older minutes are"
        " refused, and so is any date asked about before it.",
    )
    # ---- the deadline policy worker (`petitions policy`) and its reminder e-mails ----
    policy_escalate_after_days: int = Field(
        default=14, ge=0, description="Escalate an answer overdue by more than these days."
    )
    policy_remind_days_before: int = Field(
        default=3, ge=0, description="Remind a department this many days before its due date."
    )
    policy_interval_seconds: float = Field(
        default=300, gt=0, description="Seconds between two passes of `petitions policy`."
    )
    smtp_host: str = Field(
        default="", description="SMTP server for reminder digests; empty: reminders wait."
    )
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_sender: str = Field(
        default="petitions@localhost",
        description="From address of the digests; its domain ends their Message-IDs.",
    )
    smtp_username: str = Field(default="", description="Log in when set.")
    smtp_password: str = ""
    smtp_starttls: bool = False
    reminder_recipients: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict,
        description='Department code -> address(es), JSON: {"cong-an": "a@x.vn, b@x.vn"}.',
    )
    reminder_domain: str = Field(
        default="", description="Else department@REMINDER_DOMAIN; empty: only the mapping."
    )

    @property
    def legacy_names(self) -> LegacyNames:
        """What a store or seed of one district calls its district and province."""
        return LegacyNames(self.founding_organisation, self.province_code, self.province_name)

    @property
    def signing_key_path(self) -> Path:
        return self.audit_signing_key_file or self.data_dir / "audit-signing-key.pem"

    @field_validator("data_dir", "audit_signing_key_file", mode="before")
    @classmethod
    def expand_path(cls, value: object) -> object:
        if value is None or value == "":
            return None
        return Path(str(value)).expanduser()

    @field_validator("reminder_recipients", mode="before")
    @classmethod
    def parse_recipients(cls, value: object) -> object:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else {}
        return value

    def recipients_of(self, department: str) -> list[str]:
        """Where a department's reminder digest goes: the mapping, else the domain."""
        listed = self.reminder_recipients.get(department, "")
        addresses = [a.strip() for a in listed.split(",") if a.strip()]
        if not addresses and self.reminder_domain:
            addresses = [f"{department}@{self.reminder_domain}"]
        return addresses

    @field_validator("petition_number_format")
    @classmethod
    def check_number_format(cls, value: str) -> str:
        NumberFormat(value)  # refused at start, with the reason, rather than at a read
        return value

    @field_validator("database_url")
    @classmethod
    def check_url(cls, value: str | None) -> str | None:
        if value:
            from service.database import from_url

            from_url(value)  # raises ValueError with the reason
        return value or None

    log_format: Literal["auto", "console", "json"] = "auto"
    log_level: str = "INFO"


def section(settings: Settings, prefix: str, make: Callable[..., T]) -> T | None:
    """The object the settings named ``prefix`` describe, built by ``make`` from each of
    them that names one of its parameters (``smtp_port`` its ``port``); None while
    ``prefix`` + ``host`` is unset: the section is not configured."""
    if not getattr(settings, f"{prefix}host"):
        return None
    given = [n for n in inspect.signature(make).parameters if hasattr(settings, prefix + n)]
    return make(**{n: getattr(settings, prefix + n) for n in given})
