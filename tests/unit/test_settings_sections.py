"""A section of the settings (``postgres_*``, ``smtp_*``) builds the object it describes,
each setting giving the parameter it names, or nothing while its host is unset."""

from __future__ import annotations

from service.database import Database, from_library_env
from service.settings import Settings
from workers.mail import SmtpSettings
from workers.policy import smtp_from


def test_the_library_environment_names_the_database() -> None:
    settings = Settings(
        postgres_host="db",
        postgres_port=6543,
        postgres_user="u",
        postgres_password="p",
        postgres_dbname="d",
    )
    assert from_library_env(settings) == Database("db", 6543, "u", "p", "d")
    assert from_library_env(Settings(postgres_host="")) is None


def test_the_smtp_settings_name_the_mail_server() -> None:
    settings = Settings(
        smtp_host="mail",
        smtp_port=587,
        smtp_sender="a@b.vn",
        smtp_username="u",
        smtp_password="p",
        smtp_starttls=True,
    )
    assert smtp_from(settings) == SmtpSettings("mail", 587, "a@b.vn", "u", "p", starttls=True)
    assert smtp_from(Settings(smtp_host="")) is None
