"""Saved filters: a user's named filters of a list page (its query string), kept per
owner (``usecases.access.filter_owner``: the person's account, else the credential's
subject), so one user never reads nor changes another's."""

from __future__ import annotations

from eventsourcing.postgres import PostgresDatastore

from stores.tables import Row, TableStore

NAME_MAX = 100
QUERY_MAX = 2_000
PER_PAGE = 50  # saved filters an owner keeps for one page


class FilterRefused(ValueError):
    """A filter that cannot be saved, and why: ``name`` (empty or too long), ``too_long``
    (the query), ``too_many`` (the owner's filters of the page)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class SavedFilterStore(TableStore):
    def __init__(self, datastore: PostgresDatastore) -> None:
        super().__init__(datastore)
        self.table = self.identifier("saved_filters")

    def create_table(self) -> None:
        self.write(
            "CREATE TABLE IF NOT EXISTS {} (owner text NOT NULL, page text NOT NULL,"
            " name text NOT NULL, query text NOT NULL,"
            " saved_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (owner, page, name))",
            self.table,
        )

    def save(self, owner: str, page: str, name: str, query: str) -> None:
        """Keep ``query`` under ``name`` (replacing the owner's filter of that name)."""
        name = " ".join(name.split())
        if not name or len(name) > NAME_MAX:
            raise FilterRefused("name", f"a filter's name has 1 to {NAME_MAX} characters")
        if len(query) > QUERY_MAX:
            raise FilterRefused("too_long", f"a filter has at most {QUERY_MAX} characters")
        saved = self.write(
            "INSERT INTO {0} (owner, page, name, query)"
            " SELECT %s, %s, %s, %s WHERE (SELECT count(*) FROM {0} WHERE owner = %s"
            " AND page = %s AND name <> %s) < %s"
            " ON CONFLICT (owner, page, name) DO UPDATE SET query = EXCLUDED.query,"
            " saved_at = now() RETURNING name",
            self.table,
            params=(owner, page, name, query, owner, page, name, PER_PAGE),
        )
        if not saved:
            raise FilterRefused("too_many", f"at most {PER_PAGE} saved filters a page")

    def of(self, owner: str, page: str) -> list[Row]:
        """The owner's filters of ``page``, by name."""
        return self.read(
            "SELECT name, query, saved_at FROM {} WHERE owner = %s AND page = %s ORDER BY name",
            self.table,
            params=(owner, page),
        )

    def delete(self, owner: str, page: str, name: str) -> bool:
        """Forget the owner's filter; False if it had none of that name."""
        gone = self.write(
            "DELETE FROM {} WHERE owner = %s AND page = %s AND name = %s RETURNING name",
            self.table,
            params=(owner, page, " ".join(name.split())),
        )
        return bool(gone)
