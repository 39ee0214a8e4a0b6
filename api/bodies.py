"""A request body read into the use cases' command on one petition (the API's routes and
the web pages' forms read theirs so)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel

from usecases.commands import Change

C = TypeVar("C", bound=Change)
# A command's fields that come from the route, not from its body.
ROUTED = frozenset({"petition_id", "on", "expected_version"})


def command_from(
    kind: type[C],
    petition_id: UUID,
    body: BaseModel,
    version: int | None,
    *,
    on: date | None,
    **given: Any,
) -> C:
    """``kind`` on the petition at the version shown, dated ``on``: each of its other
    fields ``given``, else the body's field of the same name. A field neither names is a
    mistake in the code, refused at once rather than left at the command's default."""
    wanted = {f.name for f in dataclasses.fields(kind)} - ROUTED - given.keys()
    missing = wanted - type(body).model_fields.keys()
    if missing:
        raise TypeError(
            f"{type(body).__name__} has no {', '.join(sorted(missing))} for {kind.__name__}"
        )
    taken = {name: getattr(body, name) for name in wanted}
    return kind(petition_id=petition_id, on=on, expected_version=version, **taken, **given)
