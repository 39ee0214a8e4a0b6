"""A view's revision: its number and a hash of its tables and indexes, so that a column or
an index added changes it, and nothing else does (the database side, the drop and the
rebuild, is in tests/integration/test_view_revision_rebuilds.py)."""

from __future__ import annotations

import pytest

from projections.base import View
from projections.registry import VIEW_CLASSES
from projections.revisions import code_revision, revision_of

TABLES = {"t": "petition_id uuid PRIMARY KEY, zone text NOT NULL"}
INDEXES = ("CREATE INDEX IF NOT EXISTS t_zone ON {t} (zone)",)


@pytest.mark.parametrize("view", VIEW_CLASSES, ids=lambda v: v.name)
def test_every_read_model_has_a_revision(view: type[View]) -> None:
    found = revision_of(view)
    assert found is not None and found.startswith(f"{view.revision}:")


def test_read_models_have_revisions_of_their_own() -> None:
    revisions = [revision_of(v) for v in VIEW_CLASSES]
    assert len(set(revisions)) == len(VIEW_CLASSES)


def test_a_column_an_index_or_the_number_changes_the_revision() -> None:
    base = code_revision(1, TABLES, INDEXES)
    assert code_revision(1, TABLES, INDEXES) == base
    assert code_revision(2, TABLES, INDEXES) != base
    assert code_revision(1, {"t": TABLES["t"] + ", organisation text"}, INDEXES) != base
    assert code_revision(1, TABLES, (*INDEXES, "CREATE INDEX t_id ON {t} (petition_id)")) != base
    assert code_revision(1, {**TABLES, "u": "petition_id uuid PRIMARY KEY"}, INDEXES) != base


def test_layout_alone_does_not_change_the_revision() -> None:
    spread = {
        "t": """
        petition_id uuid PRIMARY KEY,
        zone text NOT NULL"""
    }
    base = code_revision(1, TABLES, INDEXES)
    assert code_revision(1, spread, INDEXES) == base
    assert code_revision(1, TABLES, ("CREATE INDEX IF NOT EXISTS t_zone ON {t}  (zone)",)) == base
