"""The demo province's seed in the reference store: it loads and validates (the dissolved
district and three communes of post-merger size, every code unique), and a seed with
faults is refused whole, every fault named, nothing of it written."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql

from domain.organisations import Level
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo_province import COMMUNE_DEPARTMENTS, PROVINCE_SEED
from service.settings import Settings
from stores.province_seed import SeedError
from stores.reference import TABLES

DISTRICT = "huyen-yen-hoa"
SEED: dict[str, Any] = json.loads(PROVINCE_SEED.read_text(encoding="utf-8"))


@pytest.fixture
def empty(database: Database, schema: str, settings: Settings) -> Iterator[Service]:
    """The service on a schema of its own with no reference data yet."""
    service = bootstrap(settings, database=database, schema=schema)
    yield service
    service.close()


def row_counts(service: Service) -> dict[str, int]:
    datastore = service.app.datastore
    counts = {}
    with datastore.transaction(commit=False) as curs:
        for table in TABLES:
            curs.execute(
                sql.SQL("SELECT count(*) AS n FROM {}").format(
                    sql.Identifier(datastore.schema, table)
                )
            )
            row = curs.fetchone()
            assert row is not None
            counts[table] = int(row["n"])
    return counts


def names(service: Service, table: str) -> dict[str, str]:
    datastore = service.app.datastore
    with datastore.transaction(commit=False) as curs:
        curs.execute(
            sql.SQL("SELECT code, name FROM {}").format(sql.Identifier(datastore.schema, table))
        )
        return {r["code"]: r["name"] for r in curs.fetchall()}


def test_the_demo_province_seed_loads_with_a_dissolved_district_and_three_communes(
    empty: Service,
) -> None:
    empty.reference.load_seed(PROVINCE_SEED)
    province = empty.reference.load_province()
    assert len(province.organisations) == 5
    assert province.founding == DISTRICT
    top = province.province
    assert top.level is Level.PROVINCE and top.parent is None
    assert len(province.reference(top.code).departments) == 8
    district = province.organisation(DISTRICT)
    assert district.level is Level.DISTRICT
    assert (district.active_from, district.active_until) == (date(2000, 1, 1), date(2025, 7, 1))
    assert district.active_on(date(2025, 6, 30)) and not district.active_on(date(2025, 7, 1))
    old = province.reference(DISTRICT)
    assert (len(old.zones), len(old.communes), len(old.cells), len(old.departments)) == (
        4,
        25,
        250,
        12,
    )
    assert "yen-lac-thon3" in old.cells and "kinh-te-ha-tang" in old.departments
    communes = [o for o in province.below() if o.level is Level.COMMUNE]
    assert len(communes) == 3
    rules = set()
    for commune in communes:
        assert commune.parent == top.code and commune.active_from == date(2025, 7, 1)
        assert commune.active_until is None
        reference = province.reference(commune.code)
        assert 20 <= len(reference.cells) <= 60, commune.code
        assert set(reference.communes) == {commune.code}
        assert all(c.commune == commune.code for c in reference.cells.values())
        for zone in reference.zones.values():
            assert zone.calendar is not None, zone.code
            rules.add(str(zone.calendar.rule))
        own = {code.removeprefix(f"{commune.code}-") for code in reference.departments}
        assert set(COMMUNE_DEPARTMENTS.values()) <= own
        assert len(reference.departments) == 10
    zoned = {c.code: len(province.reference(c.code).zones) for c in communes}
    # At least one commune with zones of its own, one keeping its own calendar alone.
    assert sorted(zoned.values()) == [1, 2, 3]
    alone = next(code for code, n in zoned.items() if n == 1)
    assert list(province.reference(alone).zones) == [alone]
    assert len(rules) == 6  # every zone of every commune briefs on a day of its own
    codes = [o.code for o in province.organisations.values()] + [
        code
        for reference in province.references.values()
        for table in (reference.zones, reference.communes, reference.cells, reference.departments)
        for code in table
        if code not in province.organisations  # a commune is its own commune and zone
    ]
    assert [code for code, n in Counter(codes).items() if n > 1] == []
    assert row_counts(empty)["ref_cells"] == 250 + sum(
        len(province.reference(c.code).cells) for c in communes
    )


def bad_seed(tmp_path: Path, *changes: str) -> Path:
    """The demo province's seed with ``changes`` made to it, and a harmless change beside
    them (the province renamed), which must not be written either."""
    seed = json.loads(json.dumps(SEED))
    seed["province"]["name"] = "Tỉnh đổi tên"
    by_code = {o["code"]: o for o in seed["organisations"]}
    for change in changes:
        if change == "cell of another's commune":
            by_code[DISTRICT]["cells"][0]["commune"] = "xa-hoa-binh"
        elif change == "cell of another's zone":
            by_code["xa-hoa-binh"]["cells"][0]["zone"] = "phuong-yen-hoa-trung-tam"
        elif change == "duplicate code":
            by_code["xa-xuan-son"]["departments"][0]["code"] = "cong-an"
        elif change == "parent not the province":
            by_code["phuong-yen-hoa"]["parent"] = "tinh-khac"
        elif change == "default of another's department":
            by_code["xa-hoa-binh"]["category_departments"]["transport"] = "so-xay-dung"
        elif change == "default of no category":
            by_code["xa-hoa-binh"]["category_departments"]["roads"] = "xa-hoa-binh-kinh-te"
        elif change == "cell moved":  # valid as a file, but the store has it elsewhere
            cell = by_code["xa-hoa-binh"]["cells"].pop()
            by_code["xa-xuan-son"]["cells"].append({"code": cell["code"], "name": cell["name"]})
        else:
            raise AssertionError(change)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "faults"),
    [
        (
            ["cell of another's commune"],
            [
                "organisation huyen-yen-hoa: cell thi-tran-yen-hoa-tdp1 names commune "
                "'xa-hoa-binh', not one of its communes"
            ],
        ),
        (
            ["cell of another's zone"],
            [
                "organisation xa-hoa-binh: cell xa-hoa-binh-thon-binh-minh names zone "
                "'phuong-yen-hoa-trung-tam', not one of its zones"
            ],
        ),
        (["duplicate code"], ["code 'cong-an' is used 2 times"]),
        (
            ["parent not the province"],
            [
                "organisation phuong-yen-hoa: its parent 'tinh-khac' is not the province "
                "'tinh-hung-lam'"
            ],
        ),
        (
            ["duplicate code", "parent not the province"],
            [
                "code 'cong-an' is used 2 times",
                "organisation phuong-yen-hoa: its parent 'tinh-khac' is not the province "
                "'tinh-hung-lam'",
            ],
        ),
        (
            ["default of another's department", "default of no category"],
            [
                "organisation xa-hoa-binh: category_departments: 'roads' is not a category",
                "organisation xa-hoa-binh: category transport defaults to 'so-xay-dung', "
                "not one of its departments",
            ],
        ),
        (["cell moved"], ["xa-hoa-binh-thcs-tan-hoa belongs to xa-hoa-binh, not xa-xuan-son"]),
    ],
)
def test_a_seed_with_faults_is_refused_whole_and_changes_nothing(
    empty: Service, tmp_path: Path, changes: list[str], faults: list[str]
) -> None:
    empty.reference.load_seed(PROVINCE_SEED)
    before = row_counts(empty)
    organisations = names(empty, "ref_organisations")
    with pytest.raises(SeedError) as refused:
        empty.reference.load_seed(bad_seed(tmp_path, *changes))
    assert refused.value.faults == faults
    assert row_counts(empty) == before
    assert names(empty, "ref_organisations") == organisations
    assert organisations["tinh-hung-lam"] == SEED["province"]["name"]


def test_a_seed_with_faults_writes_nothing_into_an_empty_store(
    empty: Service, tmp_path: Path
) -> None:
    before = row_counts(empty)
    with pytest.raises(SeedError) as refused:
        empty.reference.load_seed(bad_seed(tmp_path, "duplicate code", "cell of another's zone"))
    assert len(refused.value.faults) == 2
    assert row_counts(empty) == before
    assert before["ref_cells"] == 0 and before["ref_organisations"] == 0


def test_each_organisation_keeps_its_own_default_department_per_category(
    empty: Service,
) -> None:
    empty.reference.load_seed(PROVINCE_SEED)
    province = empty.reference.load_province()
    commune = province.reference("xa-hoa-binh").categories
    assert commune["transport"].department == "xa-hoa-binh-kinh-te"
    assert commune["security"].department == "xa-hoa-binh-cong-an"
    assert province.reference(DISTRICT).categories["security"].department == "cong-an"
    top = province.reference("tinh-hung-lam").categories
    assert top["transport"].department == "so-xay-dung"
    assert top["party"].department is None  # the province sets none for party work
    # every default is one of the organisation's own departments
    for code, reference in province.references.items():
        for category in reference.categories.values():
            assert category.department is None or category.department in reference.departments, (
                code,
                category.code,
            )
    assert row_counts(empty)["ref_category_departments"] == 7 + 8 * 4
