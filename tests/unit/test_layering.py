"""The layering: the domain imports only the standard library,
eventsourcing and itself; projections know events, not the web layer."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STDLIB = set(sys.stdlib_module_names)


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_domain_imports_only_stdlib_eventsourcing_and_itself() -> None:
    modules = imported_modules("domain")
    assert modules, "no domain modules found"
    for path, names in modules.items():
        foreign = {n for n in names if n not in STDLIB and n not in {"eventsourcing", "domain"}}
        assert not foreign, f"{path} imports {sorted(foreign)}"


@pytest.mark.parametrize("package", ["projections", "workers"])
def test_projections_and_workers_do_not_import_the_web_layer(package: str) -> None:
    for path, names in imported_modules(package).items():
        assert not names & {"fastapi", "starlette", "api"}, f"{path} imports the web layer"
