"""Signed letters uploaded with written answers, kept by content: the event records the
SHA-256 of the bytes, and the bytes are stored once under it, never changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

# What a signed letter may be: the first bytes tell, whatever the file's name says.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff(content: bytes) -> str | None:
    """The media type the bytes start like, or None for anything else."""
    for signature, media_type in SIGNATURES.items():
        if content.startswith(signature):
            return media_type
    return None


@dataclass(frozen=True)
class Stored:
    name: str
    sha256: str
    size: int
    content_type: str

    def as_attachment(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "content_type": self.content_type,
        }


class AttachmentStore:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = sql.Identifier(datastore.schema, "attachments")

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (sha256 text PRIMARY KEY,"
                    " content_type text NOT NULL, size bigint NOT NULL, content bytea NOT NULL,"
                    " stored_at timestamptz NOT NULL DEFAULT now())"
                ).format(self.table)
            )

    def put(self, name: str, content: bytes) -> Stored:
        """Store the bytes (once per content); raises ValueError if they are not a PDF,
        PNG or JPEG."""
        media_type = sniff(content)
        if media_type is None:
            raise ValueError("not a PDF, PNG or JPEG file")
        sha256 = hashlib.sha256(content).hexdigest()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "INSERT INTO {} (sha256, content_type, size, content) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT (sha256) DO NOTHING"
                ).format(self.table),
                (sha256, media_type, len(content), content),
            )
        return Stored(name, sha256, len(content), media_type)

    def get(self, sha256: str) -> tuple[str, bytes] | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT content_type, content FROM {} WHERE sha256 = %s").format(
                    self.table
                ),
                (sha256,),
            )
            row = curs.fetchone()
        return None if row is None else (row["content_type"], bytes(row["content"]))
