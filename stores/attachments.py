"""Signed letters uploaded with written answers, kept by content: the event records the
SHA-256 of the bytes, and the bytes are stored once under it, never changed.

A letter is measured here (its size against the limit, its type by its first bytes,
whatever its name or the upload claims) before the answer is decided; its bytes are
written only by the application's recorder (``stores/outbox.py``), in the transaction
that records the answer's event, so a refused answer never leaves a row behind.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from domain.petition import NAME_MAX

TABLE = "attachments"
CREATE_STATEMENT = (
    "CREATE TABLE IF NOT EXISTS {table} (sha256 text PRIMARY KEY,"
    " content_type text NOT NULL, size bigint NOT NULL, content bytea NOT NULL,"
    " stored_at timestamptz NOT NULL DEFAULT now())"
)
INSERT_STATEMENT = (
    "INSERT INTO {table} (sha256, content_type, size, content) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (sha256) DO NOTHING"
)

# What a signed letter may be: the first bytes tell, whatever the file's name says.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
LETTERS_MAX = 20  # letters one answer may carry


@dataclass(frozen=True)
class Letter:
    """A signed letter uploaded with a written answer: its file name, its bytes and the
    media type they were measured to be. Its SHA-256 and size are computed from the bytes;
    the answer's event records them, and the recorder stores the bytes in the transaction
    that records the event, so a refused answer stores nothing."""

    name: str
    content: bytes = field(repr=False)
    content_type: str
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.content).hexdigest())

    @property
    def size(self) -> int:
        return len(self.content)

    def attachment(self) -> dict[str, Any]:
        """What the event records of the letter."""
        return {
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "content_type": self.content_type,
        }


def sniff(content: bytes) -> str | None:
    """The media type the bytes start like, or None for anything else."""
    for signature, media_type in SIGNATURES.items():
        if content.startswith(signature):
            return media_type
    return None


class LetterRefused(ValueError):
    """An upload that is no letter: ``too_large`` (over the limit) or ``not_a_letter``."""

    def __init__(self, reason: str, name: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.name, self.message = reason, name, message


def file_name(name: str | None) -> str:
    """The name a letter is recorded under: the upload's own name without any folder,
    printable, at most NAME_MAX characters; "letter" if nothing is left."""
    base = re.split(r"[/\\]", name or "")[-1]
    printable = "".join(c for c in base if c.isprintable()).strip()
    return printable[:NAME_MAX] or "letter"


def measure(name: str | None, content: bytes, limit: int) -> Letter:
    """The letter as measured: refused if larger than ``limit`` bytes or not a PDF, PNG or
    JPEG by its first bytes. Stores nothing."""
    recorded = file_name(name)
    if len(content) > limit:
        raise LetterRefused("too_large", recorded, f"{recorded}: larger than {limit} bytes")
    media_type = sniff(content)
    if media_type is None:
        raise LetterRefused("not_a_letter", recorded, f"{recorded}: not a PDF, PNG or JPEG file")
    return Letter(name=recorded, content=content, content_type=media_type)


def insert_letters(curs: Cursor[DictRow], schema: str, letters: Sequence[Letter]) -> None:
    """Store the letters' bytes (once per content) on the cursor of the events' transaction."""
    unique = {letter.sha256: letter for letter in letters}
    curs.executemany(
        sql.SQL(INSERT_STATEMENT).format(table=sql.Identifier(schema, TABLE)),
        [(x.sha256, x.content_type, x.size, x.content) for x in unique.values()],
    )


def ascii_name(text: str) -> str:
    """``text`` in ASCII: Vietnamese letters without their marks, other characters as _."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    unmarked = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9 ._()-]+", "_", unmarked).strip(" ._")


def disposition(name: str, media_type: str) -> str:
    """``Content-Disposition`` of a letter's download: its recorded name with the extension
    of its measured type (whatever the name ended with), as an ASCII ``filename`` and in
    full as the RFC 5987 ``filename*``."""
    extension = EXTENSIONS.get(media_type, "")
    stem = (name.rpartition(".")[0] or name).strip() or "letter"
    fallback = (ascii_name(stem) or "letter") + extension
    encoded = quote(stem + extension, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


class AttachmentStore:
    """Reads the stored letters (the recorder writes them)."""

    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = sql.Identifier(datastore.schema, TABLE)

    def get(self, sha256: str) -> tuple[str, bytes] | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT content_type, content FROM {} WHERE sha256 = %s").format(
                    self.table
                ),
                (sha256,),
            )
            row: Any = curs.fetchone()
        return None if row is None else (row["content_type"], bytes(row["content"]))
