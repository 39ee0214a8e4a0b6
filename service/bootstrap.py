"""Wires settings, database, reference data and the application together."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import structlog
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment
from psycopg import sql

from audit.access_log import AccessLog
from audit.chain import AuditChainView
from audit.guards import install_guards
from audit.keys import key_id, load_or_create_signing_key
from domain.calendar import BusinessDates
from domain.reference import District, Province
from projections.base import View
from projections.registry import Part, ReadModels, views
from service.database import Database, Probe, create_schema, resolve, schema_lock
from service.settings import Settings
from stores.accounts import AccountStore
from stores.attachments import AttachmentStore
from stores.drafts import DraftStore
from stores.reference import ReferenceStore
from stores.reference_changes import ReferenceChanges
from stores.saved_filters import SavedFilterStore
from stores.sessions import SessionStore
from stores.signin_limits import SignInLimits
from stores.tokens import TokenStore
from usecases.accounts import AccountAdmin
from usecases.answer_quality import AnswerQuality
from usecases.duties import Duties
from usecases.meeting_information import InformedMeetings
from usecases.meeting_reports import MeetingReports
from usecases.meetings import Meetings
from usecases.petitions import Petitions
from usecases.queries import PetitionQueries
from usecases.records import FoundingMapper
from usecases.reference_admin import ReferenceAdmin
from usecases.signin import SignIns


@dataclass
class Service:
    settings: Settings
    database: Database
    app: Petitions
    reference: ReferenceStore
    views: ReadModels
    tokens: TokenStore
    chain: AuditChainView
    access_log: AccessLog
    sessions: SessionStore
    attachments: AttachmentStore
    accounts: AccountStore
    signin_limits: SignInLimits
    probe: Probe = field(init=False, repr=False)
    # the pages' own tables: each user's saved filters, forms kept over a sign-in
    filters: SavedFilterStore = field(init=False, repr=False)
    drafts: DraftStore = field(init=False, repr=False)
    reference_revision: int = field(init=False, default=0)
    reference_checked: float = field(init=False, default=0.0, repr=False)

    def __post_init__(self) -> None:
        self.probe = Probe(self.database.conninfo())
        self.reference_revision = self.reference.revision()
        self.reference_checked = time.monotonic()
        self.filters = SavedFilterStore(self.app.datastore)
        self.drafts = DraftStore(self.app.datastore)
        self.app.number_of = self.queries.numbers.of  # a repeat's link names the earlier number

    @property
    def reference_admin(self) -> ReferenceAdmin:
        """The administration of the reference data; a change is installed at once here,
        and other processes read it within ``refresh_reference``'s second."""
        return ReferenceAdmin(ReferenceChanges(self.reference), self.load_province, self.install)

    def load_province(self) -> Province:
        return self.reference.load_province(min_working_days=self.settings.min_working_days)

    def install(self, province: Province) -> None:
        self.app.province = province
        self.reference_revision = self.reference.revision()

    def refresh_reference(self, every: float = 1.0) -> None:
        """Read the reference data again if another process changed it (asked at most
        once every ``every`` seconds; a database that does not answer keeps what is
        read, and the request meets the outage where it would have)."""
        now = time.monotonic()
        if now - self.reference_checked < every:
            return
        self.reference_checked = now
        try:
            revision = self.reference.revision()
            if revision != self.reference_revision:
                self.app.province = self.load_province()
                self.reference_revision = revision
        except (psycopg.Error, OperationalError, InterfaceError) as error:
            structlog.get_logger(__name__).warning("reference.unread", error=repr(error))

    def database_answers(self) -> bool:
        """The database answers a connection of its own (asked at most once a second)."""
        return self.probe.answers()

    @property
    def runners(self) -> list[View]:
        """Everything the projection workers keep: the read models and the audit chain."""
        return [*self.views.values(), self.chain]

    @property
    def queries(self) -> PetitionQueries:
        """The read side's use cases, over the read models and the event log."""
        return PetitionQueries(self.app, self.views, self.settings, self.tokens.names)

    @property
    def meetings(self) -> Meetings:
        """The meetings' use cases, stored in the petitions' event log."""
        settings = self.settings
        return InformedMeetings(
            self.app, self.queries, settings.meeting_notice_days, settings.meeting_information_days
        )

    @property
    def meeting_reports(self) -> MeetingReports:
        """The meetings' reports beside attendance, and attendance as of a moment."""
        return MeetingReports(self.meetings)

    @property
    def answer_quality(self) -> AnswerQuality:
        """The answers' advisory score: beside each answer, in a report, against the flags."""
        return AnswerQuality(self.queries)

    @property
    def duties(self) -> Duties:
        """The members' duty: their assignments to cells and the reports of their attendance."""
        return Duties(self.app, self.queries)

    @property
    def account_admin(self) -> AccountAdmin:
        """The admin's use cases of the accounts."""
        return AccountAdmin(self.accounts, self.app.province, self.settings.password_min_length)

    @property
    def sign_ins(self) -> SignIns:
        """Signing in, and what a person does to their own account."""
        return SignIns(self.accounts, self.signin_limits, self.settings.password_min_length)

    @property
    def conninfo(self) -> str:
        return self.database.conninfo()

    def datastore_for(self, schema: str) -> PostgresDatastore:
        """A connection pool on another schema of the same database (scratch rebuilds)."""
        env = Environment(self.app.name, self.database.library_env(self.settings, schema))
        return PostgresFactory(env).datastore

    def readiness(self, timeout: int = 2) -> dict[str, Any]:
        """Database reachable (on a connection of its own, so a sick pool cannot stall the
        answer), and how far each view lags the log. Raises OperationalError when down."""
        schema = self.app.datastore.schema
        events = sql.Identifier(schema, f"{self.app.name.lower()}_events")
        with psycopg.connect(
            self.conninfo, connect_timeout=timeout, options=f"-c statement_timeout={timeout * 1000}"
        ) as conn:
            row = conn.execute(sql.SQL("SELECT max(notification_id) FROM {}").format(events))
            head = (row.fetchone() or [None])[0] or 0
            lags = {}
            for view in self.runners:
                tracked = conn.execute(
                    sql.SQL(
                        "SELECT max(notification_id) FROM {} WHERE application_name = %s"
                    ).format(sql.Identifier(schema, view.tracking_table_name)),
                    (self.app.name,),
                )
                lags[view.name] = head - ((tracked.fetchone() or [None])[0] or 0)
        ready = all(lag <= self.settings.ready_max_lag for lag in lags.values())
        return {"status": "ready" if ready else "behind", "position": head, "lag": lags}

    @property
    def open_views(self) -> ViewOpener:
        """Opens the read models on another schema (a rebuild's parts), picklable."""
        return ViewOpener(
            self.settings, self.database, self.app.datastore.schema, self.app.province.founding
        )

    def close(self) -> None:
        self.app.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class ViewOpener:
    """The read models on ``views_schema``, with the recorder and mapper of the log in
    ``schema``: what a part of a parallel rebuild opens in its own process."""

    settings: Settings
    database: Database
    schema: str
    founding: str | None  # the organisation of events recorded before organisations

    def __call__(self, views_schema: str, *, indexes: bool = True, create: bool = True) -> Part:
        # The parts of a rebuild (create=False) create nothing: several processes creating
        # the same objects at once can fail ("tuple concurrently updated").
        existing = {} if create else {"CREATE_TABLE": "n"}
        app = Petitions(
            empty_district(self.settings), env={**self.library_env(self.schema), **existing}
        )
        if self.founding is not None and isinstance(app.mapper, FoundingMapper):
            app.mapper.founding = self.founding
        env = Environment(app.name, self.library_env(views_schema))
        datastore = PostgresFactory(env).datastore

        def close() -> None:
            datastore.close()
            app.close()

        made = views(datastore, indexes=indexes, create=create)
        return Part(made, app.postgres_recorder, app.mapper, close)

    def library_env(self, schema: str) -> dict[str, str]:
        return self.database.library_env(self.settings, schema)


def empty_district(settings: Settings) -> District:
    """A district with no reference data yet (the application's mapper needs none)."""
    return District(
        name="",
        zones={},
        communes={},
        cells={},
        departments={},
        answer_period_days=settings.answer_period_days,
    )


def bootstrap(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    schema: str | None = None,
    seed: Path | None = None,
) -> Service:
    """Connect, create what is missing, load reference data (seeding an empty store
    from ``seed`` if given) and return the running parts."""
    settings = settings or Settings()
    database = database or resolve(settings)
    schema = schema or settings.postgres_schema or None
    if schema:
        create_schema(database, schema)
    with schema_lock(database, schema or "public"):
        app = Petitions(
            empty_district(settings),
            env=database.library_env(settings, schema),
            dates=BusinessDates(earliest=settings.earliest_business_date),
        )
        reference = ReferenceStore(app.datastore, settings.legacy_names)
        reference.create_tables()
        if seed is not None and reference.is_empty():
            reference.load_seed(seed)
        app.province = reference.load_province(min_working_days=settings.min_working_days)
        datastore = app.datastore
        accounts = AccountStore(datastore)
        accounts.create_tables()  # before the tokens and sessions, which join it
        signin_limits = SignInLimits(
            datastore,
            limit=settings.signin_max_failures,
            window_seconds=settings.signin_window_seconds,
        )
        signin_limits.create_table()
        tokens = TokenStore(datastore)
        tokens.create_table(app.province.founding or settings.founding_organisation)
        only = app.province.only_below()
        tokens.only = only.code if only else None
        signing_key = load_or_create_signing_key(settings.signing_key_path)
        chain = AuditChainView(
            datastore,
            signing_key,
            key_id=key_id(signing_key.public_key()),
            checkpoint_every=settings.audit_checkpoint_every,
            checkpoint_seconds=settings.audit_checkpoint_seconds,
        )
        chain.create_table()
        access_log = AccessLog(datastore)
        access_log.create_table()
        sessions = SessionStore(datastore, hours=settings.session_hours)
        sessions.create_table()
        attachments = AttachmentStore(datastore)
        SavedFilterStore(datastore).create_table()
        DraftStore(datastore).create_table()
        install_guards(database.conninfo(), datastore.schema)
        read_models = views(datastore)
    return Service(
        settings,
        database,
        app,
        reference,
        read_models,
        tokens,
        chain,
        access_log,
        sessions,
        attachments,
        accounts,
        signin_limits,
    )
