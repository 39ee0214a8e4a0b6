"""Who an event's actor was, as people read it: the person's name and position recorded
with the event, or, for events recorded before actors named their person, the name the
actor's token was issued under, where the token table knows it (else the actor keeps no
name and is shown by its id)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, Protocol


class KnownNames(Protocol):
    """The names known for actor ids (the token table's ``names``): those it knows."""

    def __call__(self, ids: Collection[str], /) -> Mapping[str, str]: ...


def name_unnamed(
    rows: Iterable[dict[str, Any]],
    known: KnownNames | None,
    *,
    id_key: str = "id",
    name_key: str = "name",
) -> None:
    """Give each row (an actor's ``id_key`` and ``name_key``) recorded without a name the
    name ``known`` has for its id, in place."""
    unnamed = [row for row in rows if row.get(name_key) is None]
    if not unnamed or known is None:
        return
    names = known({row[id_key] for row in unnamed})
    for row in unnamed:
        row[name_key] = names.get(row[id_key])
