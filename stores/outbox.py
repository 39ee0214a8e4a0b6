"""The reminders' outbox: written with the reminder events, delivered as daily e-mail digests.

*Same transaction.* ``OutboxRecorder`` is the application's recorder (chosen through the
library's ``APPLICATION_RECORDER_TOPIC``, see ``service/database.py``). The ``Petitions``
application saves a ``ReminderIssued`` event with ``save(petition, outbox=[...])``; the
library hands that keyword to ``_insert_events``, which runs inside the transaction that
inserts the events. So a reminder event and its outbox row are committed together or
not at all. A written answer's signed letters come the same way
(``save(petition, letters=[...])``): their bytes go into the attachments table
(``stores/attachments.py``) in the transaction of the ``AnsweredInWriting`` event.

*Digests.* The deliverer (``workers/mail.py``) groups the undelivered rows per department
and business day into a digest and gives it a deterministic ``Message-ID``,
``<petitions-reminders.YYYYMMDD.department.N@sender-domain>`` (N counts the digests of
that department and day: a second one only for reminders issued after the first was
made). Sequence: make the digest and record its Message-ID on its rows (committed),
count the attempt (committed), send over SMTP, mark the digest sent. A crash after the
server accepted the message and before "mark sent" leaves the digest unsent: the next
pass sends it again with the same Message-ID, the same rows and ``X-Petitions-Attempt``
one higher, so the receiver recognises the duplicate; nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import structlog
from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from stores import attachments
from stores.tables import TableStore

log = structlog.get_logger(__name__)

# The save() keywords by which the application hands the recorder a reminder's deliveries
# and an answer's letters, to be written in the transaction that records the events.
OUTBOX = "outbox"
LETTERS = "letters"

OUTBOX_TABLE = "reminder_outbox"
DIGEST_TABLE = "reminder_digests"
TABLES = (DIGEST_TABLE, OUTBOX_TABLE)  # in the order they are created (and backed up)

CREATE_STATEMENTS = (
    """CREATE TABLE IF NOT EXISTS {schema}.reminder_digests (
        message_id text PRIMARY KEY, department text NOT NULL, day date NOT NULL,
        seq int NOT NULL, recipients text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0, last_attempt_at timestamptz, last_error text,
        sent_at timestamptz,
        UNIQUE (department, day, seq))""",
    """CREATE TABLE IF NOT EXISTS {schema}.reminder_outbox (
        id bigserial PRIMARY KEY, petition_id uuid NOT NULL, event_version int NOT NULL,
        kind text NOT NULL, department text NOT NULL, department_name text NOT NULL,
        due_on date NOT NULL, issued_on date NOT NULL, summary text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        message_id text REFERENCES {schema}.reminder_digests (message_id),
        UNIQUE (petition_id, event_version))""",
    "CREATE INDEX IF NOT EXISTS reminder_outbox_undigested ON {schema}.reminder_outbox"
    " (issued_on, department) WHERE message_id IS NULL",
    "CREATE INDEX IF NOT EXISTS reminder_outbox_digest ON {schema}.reminder_outbox (message_id)",
    "CREATE INDEX IF NOT EXISTS reminder_digests_unsent ON {schema}.reminder_digests"
    " (day) WHERE sent_at IS NULL",
)
OUTBOX_COLUMNS = (
    "petition_id",
    "event_version",
    "kind",
    "department",
    "department_name",
    "due_on",
    "issued_on",
    "summary",
)


class OutboxRecorder(PostgresApplicationRecorder):
    """The application recorder, also inserting the ``outbox`` rows and the ``letters``
    given to ``save()`` in the transaction that inserts the events."""

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema = sql.Identifier(datastore.schema)
        self.sql_create_statements.extend(
            sql.SQL(statement).format(schema=schema) for statement in CREATE_STATEMENTS
        )
        self.sql_create_statements.append(
            sql.SQL(attachments.CREATE_STATEMENT).format(
                table=sql.Identifier(datastore.schema, attachments.TABLE)
            )
        )
        self.insert_outbox_statement = sql.SQL("INSERT INTO {}.{} ({}) VALUES ({})").format(
            schema,
            sql.Identifier(OUTBOX_TABLE),
            sql.SQL(", ").join(map(sql.Identifier, OUTBOX_COLUMNS)),
            sql.SQL(", ").join(map(sql.Placeholder, OUTBOX_COLUMNS)),
        )

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if (kwargs.get(OUTBOX) or kwargs.get(LETTERS)) and self.datastore.enable_db_functions:
            # That path inserts through a database function and skips _insert_events.
            raise ProgrammingError("the outbox and letters need POSTGRES_ENABLE_DB_FUNCTIONS=n")
        ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
        return ids

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        rows = kwargs.get(OUTBOX) or ()
        if rows:
            curs.executemany(self.insert_outbox_statement, [dict(r) for r in rows])
        letters = kwargs.get(LETTERS) or ()
        if letters:
            attachments.insert_letters(curs, self.datastore.schema, letters)
        super()._insert_events(curs, stored_events, **kwargs)

    def position_of(self, originator_id: UUID, version: int) -> int | None:
        """The log position of one stored event (a replayed write answers with it)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT notification_id FROM {} WHERE originator_id = %s"
                    " AND originator_version = %s"
                ).format(sql.Identifier(self.datastore.schema, self.events_table_name)),
                (originator_id, version),
            )
            row = curs.fetchone()
        return None if row is None else int(row["notification_id"])


def message_id_for(department: str, day: date, seq: int, sender: str) -> str:
    domain = sender.rpartition("@")[2].strip("<> ") or "localhost"
    local = re.sub(r"[^A-Za-z0-9_-]", "_", department)
    return f"<petitions-reminders.{day:%Y%m%d}.{local}.{seq}@{domain}>"


class Outbox(TableStore):
    """The outbox tables: digests made from undelivered reminders, attempts, sent marks."""

    def table(self, name: str) -> sql.Identifier:
        return self.identifier(name)

    def make_digests(
        self, recipients: Callable[[str], list[str]], sender: str
    ) -> tuple[list[str], list[str]]:
        """Group the reminders not yet in a digest per department and business day, each
        group a digest with its Message-ID recorded on its rows (one transaction).
        Returns the new Message-IDs and the departments that have no address."""
        made: list[str] = []
        unknown: set[str] = set()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                (f"petitions-outbox:{self.datastore.schema}",),
            )
            curs.execute(
                sql.SQL(
                    "SELECT department, issued_on, array_agg(id ORDER BY id) AS ids FROM {}"
                    " WHERE message_id IS NULL GROUP BY department, issued_on"
                    " ORDER BY issued_on, department"
                ).format(self.table(OUTBOX_TABLE))
            )
            for group in curs.fetchall():
                department, day = group["department"], group["issued_on"]
                to = recipients(department)
                if not to:
                    unknown.add(department)
                    continue
                curs.execute(
                    sql.SQL(
                        "SELECT coalesce(max(seq), 0) + 1 AS seq FROM {}"
                        " WHERE department = %s AND day = %s"
                    ).format(self.table(DIGEST_TABLE)),
                    (department, day),
                )
                row = curs.fetchone()
                assert row is not None
                message_id = message_id_for(department, day, int(row["seq"]), sender)
                curs.execute(
                    sql.SQL(
                        "INSERT INTO {} (message_id, department, day, seq, recipients)"
                        " VALUES (%s, %s, %s, %s, %s)"
                    ).format(self.table(DIGEST_TABLE)),
                    (message_id, department, day, row["seq"], to),
                )
                curs.execute(
                    sql.SQL("UPDATE {} SET message_id = %s WHERE id = ANY(%s)").format(
                        self.table(OUTBOX_TABLE)
                    ),
                    (message_id, group["ids"]),
                )
                made.append(message_id)
        return made, sorted(unknown)

    def unsent(self) -> list[dict[str, Any]]:
        """Digests not marked sent (never sent, or sent and not marked), oldest first."""
        return self.read(
            "SELECT * FROM {} WHERE sent_at IS NULL ORDER BY day, seq, department",
            self.table(DIGEST_TABLE),
        )

    def reminders_of(self, message_id: str) -> list[dict[str, Any]]:
        return self.read(
            "SELECT * FROM {} WHERE message_id = %s ORDER BY kind DESC, due_on, id",
            self.table(OUTBOX_TABLE),
            params=(message_id,),
        )

    def begin_attempt(self, message_id: str) -> int:
        """Count an attempt before sending (committed); returns its number."""
        (row,) = self.write(
            "UPDATE {} SET attempts = attempts + 1, last_attempt_at = now()"
            " WHERE message_id = %s RETURNING attempts",
            self.table(DIGEST_TABLE),
            params=(message_id,),
        )
        return int(row["attempts"])

    def record_failure(self, message_id: str, error: str) -> None:
        self.write(
            "UPDATE {} SET last_error = %s WHERE message_id = %s",
            self.table(DIGEST_TABLE),
            params=(error[:2000], message_id),
        )

    def mark_sent(self, message_id: str) -> None:
        self.write(
            "UPDATE {} SET sent_at = now(), last_error = NULL"
            " WHERE message_id = %s AND sent_at IS NULL",
            self.table(DIGEST_TABLE),
            params=(message_id,),
        )

    def waiting(self) -> int:
        """Reminders not delivered yet: in no digest, or in a digest not marked sent."""
        (row,) = self.read(
            "SELECT count(*) AS n FROM {} o LEFT JOIN {} d USING (message_id)"
            " WHERE d.sent_at IS NULL",
            self.table(OUTBOX_TABLE),
            self.table(DIGEST_TABLE),
        )
        return int(row["n"])
