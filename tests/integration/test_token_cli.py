"""`petitions token create --role R --organisation O [--department D] --name N` on a
deployment of a province with several organisations, and on one of a single district."""

from __future__ import annotations

import re
from pathlib import Path

from service.bootstrap import Service, bootstrap
from service.database import Database
from service.demo_province import PROVINCE_SEED
from tests.conftest import settings_in
from tests.integration.helpers import run_cli


def secret_of(stdout: str) -> str:
    found = re.search(r"^token:\s+(\S+)$", stdout, re.M)
    assert found, stdout
    return found.group(1)


def test_a_token_belongs_to_the_organisation_it_is_created_for(
    database: Database, schema: str, tmp_path: Path
) -> None:
    service = bootstrap(settings_in(tmp_path), database=database, schema=schema, seed=PROVINCE_SEED)
    try:
        made = run_cli(
            service, "token", "create", "--role", "department", "--organisation", "xa-hoa-binh",
            "--department", "xa-hoa-binh-kinh-te", "--name", "Phòng Kinh tế xã Hòa Bình",
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        assert "organisation: xa-hoa-binh" in made.stdout
        principal = service.tokens.authenticate(secret_of(made.stdout))
        assert principal is not None
        assert (principal.organisation, principal.department) == (
            "xa-hoa-binh",
            "xa-hoa-binh-kinh-te",
        )
        province = run_cli(
            service, "token", "create", "--role", "committee", "--organisation", "tinh-hung-lam",
            "--name", "Ban Thường vụ Tỉnh ủy",
        )  # fmt: skip
        assert province.returncode == 0, province.stderr
        before = service.tokens.read("SELECT count(*) AS n FROM {}", service.tokens.table)
        for args, says in (
            ((), "name the organisation with --organisation"),
            (("--organisation", "xa-khong-co"), "unknown organisation"),
            (  # a department of another organisation
                ("--organisation", "xa-xuan-son", "--department", "xa-hoa-binh-kinh-te"),
                "unknown department xa-hoa-binh-kinh-te of xa-xuan-son",
            ),
        ):
            role = "department" if "--department" in args else "clerk"
            refused = run_cli(service, "token", "create", "--role", role, "--name", "x", *args)
            assert refused.returncode == 2, refused.stdout
            assert says in refused.stderr, refused.stderr
        after = service.tokens.read("SELECT count(*) AS n FROM {}", service.tokens.table)
        assert after == before  # a refusal issues nothing
    finally:
        service.close()


def test_a_single_district_needs_no_organisation(service: Service) -> None:
    made = run_cli(service, "token", "create", "--role", "clerk", "--name", "Văn phòng")
    assert made.returncode == 0, made.stderr
    principal = service.tokens.authenticate(secret_of(made.stdout))
    assert principal is not None and principal.organisation == "huyen"
