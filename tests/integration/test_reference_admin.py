"""The administration of reference data in PostgreSQL: a change is written whole with its
row of history (who, when, before and after) or not at all; renames keep the names of
before with the day they gave way; a retirement keeps the row; another process reads a
change within its next look; a seed loaded again keeps what only the pages set."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from psycopg import sql

from domain.actors import Role
from domain.errors import InvalidCommand
from service.bootstrap import Service, bootstrap
from service.demo import DEMO_SEED
from stores.reference_changes import Insert, Record, ReferenceChanges, Taken, Update, Who
from stores.tokens import Principal
from tests.integration.helpers import CLERK, COMMITTEE, draft
from usecases.reference_form import Refusal

ADMIN = Principal(
    "tok_admin",
    "token of the admin",
    Role.ADMIN,
    None,
    "admin",
    "huyen",
    full_name="Trần Thị Quản",
    position="Chuyên viên",
)
AUDITOR = Principal("tok_auditor", "auditor", Role.AUDITOR, None, "auditor", "huyen")


def change(service: Service, kind: str, action: str, **values: str) -> Record:
    app = service.app
    return service.reference_admin.apply(
        ADMIN, None, kind, action, values, date(2026, 6, 30), app.dates
    )


def rows(service: Service, table: str) -> list[dict[str, Any]]:
    datastore = service.app.datastore
    with datastore.transaction(commit=False) as curs:
        curs.execute(
            sql.SQL("SELECT * FROM {} ORDER BY 1, 2").format(
                sql.Identifier(datastore.schema, table)
            )
        )
        return list(curs.fetchall())


def test_a_rename_keeps_the_old_name_until_its_day_and_is_in_the_history(
    service: Service,
) -> None:
    change(
        service,
        "cells",
        "rename",
        code="yen-lac-thon3",
        name="Chi bộ thôn Lạc Hồng",
        effective="2026-06-01",
    )
    cell = service.app.district.cells["yen-lac-thon3"]
    assert cell.name == "Chi bộ thôn Lạc Hồng"
    assert cell.name_on(date(2026, 5, 31)) == "Chi bộ Thôn 3"
    assert cell.name_on(date(2026, 6, 1)) == "Chi bộ thôn Lạc Hồng"
    assert [
        (r["kind"], r["code"], r["until"], r["name"]) for r in rows(service, "ref_former_names")
    ] == [("cell", "yen-lac-thon3", date(2026, 6, 1), "Chi bộ Thôn 3")]
    change(
        service,
        "cells",
        "rename",
        code="yen-lac-thon3",
        name="Chi bộ thôn Lạc Việt",
        effective="2026-06-20",
    )
    cell = service.app.district.cells["yen-lac-thon3"]
    assert [cell.name_on(date(2026, m, d)) for m, d in ((5, 1), (6, 10), (6, 25))] == [
        "Chi bộ Thôn 3",
        "Chi bộ thôn Lạc Hồng",
        "Chi bộ thôn Lạc Việt",
    ]
    history = service.reference_admin.history(AUDITOR, service.app.province)
    assert [(h.kind, h.code, h.action, h.effective) for h in history] == [
        ("cell", "yen-lac-thon3", "rename", date(2026, 6, 20)),
        ("cell", "yen-lac-thon3", "rename", date(2026, 6, 1)),
    ]
    latest = history[0]
    assert latest.details == {
        "name": {"before": "Chi bộ thôn Lạc Hồng", "after": "Chi bộ thôn Lạc Việt"}
    }
    assert latest.who == Who("tok_admin", "Trần Thị Quản", "admin")
    assert latest.organisation == "huyen" and latest.at is not None
    assert service.reference.revision() == latest.id


def test_a_refused_change_writes_nothing_and_names_every_fault(service: Service) -> None:
    before = {t: rows(service, t) for t in ("ref_departments", "ref_former_names", "ref_changes")}
    with pytest.raises(Refusal) as refused:
        change(
            service, "departments", "rename", code="cong-an", name="x" * 201, effective="2026-07-01"
        )
    assert refused.value.by_field() == {
        "name": "Tên dài tối đa 200 ký tự.",
        "effective": "Không được sau 30/06/2026 (hôm nay).",
    }
    assert refused.value.by_field(english=True)["effective"] == "Not after 2026-06-30."
    with pytest.raises(Refusal) as refused:
        change(service, "departments", "retire", code="no-such", retired_on="")
    assert set(refused.value.by_field()) == {"code", "retired_on"}
    assert {t: rows(service, t) for t in before} == before


def test_a_change_meeting_a_row_written_meanwhile_is_refused_whole(service: Service) -> None:
    changes = ReferenceChanges(service.reference)
    who = Who("tok_admin", "Trần Thị Quản", "admin")
    before = rows(service, "ref_departments")
    with pytest.raises(Taken):
        changes.apply(
            [
                Update("ref_departments", {"code": "cong-an"}, {"name": "Công an huyện mới"}),
                # another admin's new department took this code a moment before
                Insert(
                    "ref_departments",
                    {"code": "y-te", "name": "Phòng Y tế 2", "organisation": "huyen"},
                ),
            ],
            Record("huyen", "department", "y-te", "create", {}),
            who,
        )
    assert rows(service, "ref_departments") == before
    assert rows(service, "ref_changes") == []


def test_a_retired_department_keeps_its_petitions_and_takes_no_new_one(service: Service) -> None:
    app = service.app
    old = app.raise_petition(draft(), CLERK).id
    app.assign(old, COMMITTEE, department="y-te", on=date(2026, 3, 5))
    change(service, "departments", "retire", code="y-te", retired_on="2026-06-01")
    assert app.state(old)["department"] == "y-te"
    assert app.district.departments["y-te"].retired_on == date(2026, 6, 1)
    other = app.raise_petition(draft(summary="Trạm y tế xuống cấp"), CLERK).id
    with pytest.raises(InvalidCommand, match="retired on 2026-06-01"):
        app.assign(other, COMMITTEE, department="y-te", on=date(2026, 6, 2))
    app.assign(other, COMMITTEE, department="y-te", on=date(2026, 5, 29))  # of before: taken


def test_another_process_reads_a_change_at_its_next_look(service: Service) -> None:
    other = bootstrap(
        service.settings, database=service.database, schema=service.app.datastore.schema
    )
    try:
        change(service, "zones", "rename", code="khu-1", name="Khu vực 1 – Ven sông")
        assert other.app.district.zones["khu-1"].name != "Khu vực 1 – Ven sông"
        other.refresh_reference(every=0)
        assert other.app.district.zones["khu-1"].name == "Khu vực 1 – Ven sông"
        assert other.reference_revision == service.reference_revision
    finally:
        other.close()


def test_a_seed_loaded_again_keeps_retirements_and_category_defaults_hold(
    service: Service,
) -> None:
    change(service, "cells", "retire", code="yen-lac-thon3", retired_on="2026-06-01")
    service.reference.load_seed(DEMO_SEED)
    province = service.reference.load_province()
    assert province.reference("huyen").cells["yen-lac-thon3"].retired_on == date(2026, 6, 1)
    defaults = {c.code: c.department for c in province.reference("huyen").categories.values()}
    assert defaults["security"] == "cong-an" and defaults["transport"] == "kinh-te-ha-tang"
