"""A cell's secretary's account on real PostgreSQL: the admin creates it naming one cell of
its organisation (refused whole, with the reason on `cell`, without one, with another
organisation's, or for another role); it signs in acting for that cell; a change of role
moves it to another cell or makes it an office's account, the cell gone; the command line
creates one with ``--cell``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.actors import Role
from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo_province import PROVINCE_SEED
from stores.accounts import principal_of
from tests.conftest import settings_in
from tests.integration.helpers import run_cli
from tests.integration.test_accounts import COMMUNE, OTHER, admin_of
from usecases.accounts import AccountRequest
from usecases.errors import Refused

pytestmark = pytest.mark.integration


@pytest.fixture
def province(database: Database, schema: str, tmp_path: Path) -> Iterator[Service]:
    service = bootstrap(settings_in(tmp_path), database=database, schema=schema, seed=PROVINCE_SEED)
    yield service
    service.close()


def cells_of(service: Service, organisation: str) -> list[str]:
    return sorted(service.app.province.reference(organisation).cells)


def test_the_admin_creates_a_secretary_of_one_of_its_cells(province: Service) -> None:
    admin, commune_admin = province.account_admin, admin_of(COMMUNE)
    own, foreign = cells_of(province, COMMUNE)[0], cells_of(province, OTHER)[0]
    request = AccountRequest("bi.thu.a", "Lê Văn Bí", "secretary", position="Bí thư Chi bộ")
    for cell, fault in (("", "cell_needed"), (foreign, "unknown_cell")):
        with pytest.raises(Refused) as refused:
            admin.create(commune_admin, AccountRequest(**{**vars(request), "cell": cell}))
        assert refused.value.fields == {"cell": fault}
    with pytest.raises(Refused) as refused:
        admin.create(commune_admin, AccountRequest("van.thu.b", "Lê B", "clerk", cell=own))
    assert refused.value.fields == {"cell": "no_cell"}
    assert province.accounts.listing() == []

    user_id, password = admin.create(
        commune_admin, AccountRequest(**{**vars(request), "cell": own})
    )
    row = province.accounts.verify("bi.thu.a", password)
    assert row is not None and (row["role"], row["department"]) == ("secretary", own)
    actor = principal_of(row).actor
    assert (actor.role, actor.cell, actor.department, actor.organisation) == (
        Role.SECRETARY,
        own,
        None,
        COMMUNE,
    )

    other_cell = cells_of(province, COMMUNE)[1]
    admin.change_role(commune_admin, user_id, "secretary", "", other_cell)
    moved = province.accounts.get(user_id)
    assert moved is not None and principal_of(moved).actor.cell == other_cell
    admin.change_role(commune_admin, user_id, "clerk", "")
    clerk = province.accounts.get(user_id)
    assert clerk is not None and (clerk["role"], clerk["department"]) == ("clerk", None)
    changes = [h["detail"] for h in province.accounts.history() if h["change"] == "role_changed"]
    assert changes[-1]["to"] == {"role": "secretary", "department": other_cell}


def test_the_command_line_creates_a_secretary_naming_its_cell(province: Service) -> None:
    cell = cells_of(province, COMMUNE)[0]
    common = ["user", "create", "--full-name", "Hà Văn Bí", "--role", "secretary"]
    made = run_cli(
        province, *common, "--username", "cli.bi.thu", "--organisation", COMMUNE, "--cell", cell
    )
    assert made.returncode == 0, made.stderr
    row = province.accounts.by_username("cli.bi.thu")
    assert row is not None and principal_of(row).actor.cell == cell
    refused = run_cli(province, *common, "--username", "cli.bi.thu.2", "--organisation", COMMUNE)
    assert refused.returncode == 2
    assert "cell: Bí thư chi bộ cần chọn chi bộ" in refused.stderr
