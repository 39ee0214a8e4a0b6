"""Forms kept over a sign-in: a page form posted after its session ended is kept here,
under a random id (only its hash is stored) and the owner it was typed by, for a short
while; once the owner signs in again the page shows it filled in as typed. Nobody else
reads it: the id alone opens nothing, the owner must be the one signed in."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from eventsourcing.postgres import PostgresDatastore

from stores.tables import TableStore

DRAFT_ID_BYTES = 24
KEPT_FOR = timedelta(days=1)


def digest(draft_id: str) -> str:
    return hashlib.sha256(draft_id.encode()).hexdigest()


@dataclass(frozen=True)
class Draft:
    """What was posted where: the form's ``action`` (its path), the page to show it on
    (``back``), its fields in order, and how many files it carried (not kept)."""

    action: str
    back: str
    fields: tuple[tuple[str, str], ...]
    files: int = 0

    def first(self, name: str) -> str:
        return next((v for k, v in self.fields if k == name), "")

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.fields if k == name]


class DraftStore(TableStore):
    def __init__(self, datastore: PostgresDatastore, *, kept_for: timedelta = KEPT_FOR) -> None:
        super().__init__(datastore)
        self.kept_for = kept_for
        self.table = self.identifier("form_drafts")

    def create_table(self) -> None:
        self.write(
            "CREATE TABLE IF NOT EXISTS {} (sha256 text PRIMARY KEY, owner text NOT NULL,"
            " action text NOT NULL, back text NOT NULL, fields jsonb NOT NULL,"
            " files int NOT NULL DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now(),"
            " expires_at timestamptz NOT NULL)",
            self.table,
        )

    def keep(self, owner: str, draft: Draft) -> str:
        """Keep the form for ``owner``; returns the id that finds it again (shown once)."""
        draft_id = secrets.token_urlsafe(DRAFT_ID_BYTES)
        self.write(
            "WITH gone AS (DELETE FROM {0} WHERE expires_at < now())"
            " INSERT INTO {0} (sha256, owner, action, back, fields, files, expires_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, now() + %s)",
            self.table,
            params=(
                digest(draft_id),
                owner,
                draft.action,
                draft.back,
                json.dumps([list(f) for f in draft.fields], ensure_ascii=False),
                draft.files,
                self.kept_for,
            ),
        )
        return draft_id

    def find(self, draft_id: str, owner: str) -> Draft | None:
        """The form kept under ``draft_id`` if it is ``owner``'s and still kept."""
        rows = self.read(
            "SELECT action, back, fields, files FROM {} WHERE sha256 = %s AND owner = %s"
            " AND expires_at > now()",
            self.table,
            params=(digest(draft_id), owner),
        )
        if not rows:
            return None
        row = rows[0]
        fields = tuple((str(k), str(v)) for k, v in row["fields"])
        return Draft(row["action"], row["back"], fields, row["files"])
