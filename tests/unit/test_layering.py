"""The layout's folders are its layers: the domain imports only the standard library,
eventsourcing and itself; every other folder imports only folders below it; no two
folders import each other, directly or round a longer cycle."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STDLIB = set(sys.stdlib_module_names)

# Lower first. A folder may import folders of a lower rank, never its own rank's others
# nor a higher one. ``service`` is the composition root: it wires the stores, the audit
# package and the use cases; the adapters (api, workers) stand on it; ``cli`` starts them.
RANKS: dict[str, int] = {
    "domain": 0,
    "projections": 1,
    "stores": 1,
    "audit": 2,
    "usecases": 3,
    "service": 4,
    "api": 5,
    "workers": 5,
    "cli": 6,
}
# Subfolders that are layers of their own inside an adapter: file formats know nothing of
# the routes and pages that serve them, only the API's request models (``api.schemas``),
# which the import checks its rows with.
LEAVES = {"api.formats": {"api"}}
LEAF_MAY_IMPORT = {"api.formats": ("api.formats", "api.schemas")}


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute, whether at the top, inside a function or
    under ``TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def folder_imports(folders: Iterable[str]) -> dict[str, dict[str, set[str]]]:
    """folder -> {file: the project's folders it imports, other than its own}."""
    found: dict[str, dict[str, set[str]]] = {}
    for folder in folders:
        files: dict[str, set[str]] = {}
        for path in sorted((ROOT / folder).rglob("*.py")):
            tops = {name.split(".")[0] for name in imports_of(path)}
            files[str(path.relative_to(ROOT))] = (tops & set(RANKS)) - {folder}
        found[folder] = files
    return found


def upward(ranks: dict[str, int], imports: dict[str, dict[str, set[str]]]) -> list[str]:
    return [
        f"{path} ({folder}, rank {ranks[folder]}) imports {other} (rank {ranks[other]})"
        for folder, files in imports.items()
        for path, others in files.items()
        for other in sorted(others)
        if ranks[other] >= ranks[folder]
    ]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every elementary cycle's first appearance in a depth-first walk."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            walk(start, [start])
    return found


def test_every_top_level_package_has_a_rank() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == set(RANKS), f"rank the new folders: {sorted(packages ^ set(RANKS))}"


# Pure computation the domain may use: rapidfuzz measures how close two texts are
# (domain.similarity); it reads and writes nothing.
DOMAIN_LIBRARIES = {"eventsourcing", "domain", "rapidfuzz"}


def test_domain_imports_only_stdlib_eventsourcing_and_itself() -> None:
    modules = folder_imports(["domain"])["domain"]
    assert modules, "no domain modules found"
    for path in modules:
        tops = {name.split(".")[0] for name in imports_of(ROOT / path)}
        foreign = {n for n in tops if n not in STDLIB and n not in DOMAIN_LIBRARIES}
        assert not foreign, f"{path} imports {sorted(foreign)}"


def test_no_folder_imports_its_own_rank_or_above() -> None:
    assert upward(RANKS, folder_imports(RANKS)) == []


def test_no_cycle_between_folders() -> None:
    edges: dict[str, set[str]] = {folder: set() for folder in RANKS}
    for folder, files in folder_imports(RANKS).items():
        for others in files.values():
            edges[folder] |= others
    assert cycles(edges) == []


@pytest.mark.parametrize("leaf", sorted(LEAVES))
def test_format_folders_import_nothing_of_their_adapter(leaf: str) -> None:
    folder = ROOT / leaf.replace(".", "/")
    forbidden = LEAVES[leaf]
    for path in sorted(folder.rglob("*.py")):
        bad = {
            name
            for name in imports_of(path)
            if name.split(".")[0] in forbidden and not name.startswith(LEAF_MAY_IMPORT[leaf])
        }
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("package", ["projections", "stores", "audit", "usecases", "workers"])
def test_below_the_web_layer_nothing_imports_it(package: str) -> None:
    for path in sorted((ROOT / package).rglob("*.py")):
        tops = {name.split(".")[0] for name in imports_of(path)}
        assert not tops & {"fastapi", "starlette"}, f"{path} imports the web framework"


# ---- the checks themselves ----------------------------------------------------------------


def test_the_checks_find_an_upward_import_and_a_cycle() -> None:
    ranks = {"low": 0, "high": 1, "side": 1}
    imports = {"low": {"low/a.py": {"high"}}, "high": {"high/b.py": {"low", "side"}}, "side": {}}
    assert upward(ranks, imports) == [
        "low/a.py (low, rank 0) imports high (rank 1)",
        "high/b.py (high, rank 1) imports side (rank 1)",
    ]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_of_sees_nested_and_type_checking_imports(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from api.app import create_app\n"
        "def f():\n    import workers.policy\n"
    )
    assert {"api.app", "api.app.create_app", "workers.policy"} <= imports_of(source)
