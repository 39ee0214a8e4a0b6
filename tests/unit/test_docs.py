"""The docs stand on their own and say what the code does.

* No project file refers to anything outside the repository (another folder of the
  machine, a product brief kept elsewhere) or to issue numbers;
* every HTTP route of the application is in docs/contract.md with the roles it admits, and
  contract.md names no route the application lacks; the same for the web pages' routes and
  for the problem codes;
* every relative link in the Markdown files resolves to a file of the repository (and to a
  heading, when it names one).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.app import create_app
from api.problems import PROBLEMS
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "contract.md"
SKIPPED_DIRS = {".git", ".venv", ".bench-data", ".hypothesis", ".pytest_cache", "__pycache__"}
SUFFIXES = {".py", ".md", ".toml", ".html"}

# What a project file must not say. Each pattern is written so that it does not match its
# own source text, so this file is scanned like any other.
OUTSIDE = {
    "a folder outside the repository": re.compile(r"(\.\./)+shared|shared[/]|/work[/]"),
    "the product brief kept outside": re.compile(r"DESIGN\s*§|DESIGN[.]md|design\s+card", re.I),
    "an issue number": re.compile(r"\bissues?\s+(no\.?\s*|#\s*)?[0-9]", re.I),
    "a section sign": re.compile(r"§\s*[0-9]"),
    "a link leaving the repository": re.compile(r"\]\((\.\./|/(?!/))"),
}


def project_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIPPED_DIRS or not path.is_file():
            continue
        if path.suffix in SUFFIXES or path.name in ("Makefile", "Dockerfile"):
            yield path


def test_the_scan_sees_the_project() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in project_files()}
    assert {"README.md", "Makefile", "pyproject.toml", "docs/contract.md"} <= names
    assert "api/web/templates/base.html" in names and "tests/unit/test_docs.py" in names


def test_no_file_refers_outside_the_repository_or_to_issue_numbers() -> None:
    found = []
    for path in project_files():
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            for what, pattern in OUTSIDE.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    assert not found, "say it in the project's own words:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ("see ../sha" + "red/brief.md", True),
        ("see DESI" + "GN.md", True),
        ("as in DESI" + "GN §" + "7", True),
        ("the long checks (issue " + "10)", True),
        ("[brief](.." + "/brief.md)", True),
        ("the XLSX's shared strings", False),
        ("the policy worker may issue a reminder", False),
        ("[contract](docs/contract.md#routes)", False),
    ],
)
def test_the_patterns_catch_what_they_are_meant_to(line: str, caught: bool) -> None:
    assert any(p.search(line) for p in OUTSIDE.values()) is caught


# ---- routes ---------------------------------------------------------------------------------

DOCUMENTATION_PATHS = {"/docs", "/docs/oauth2-redirect", "/redoc"}


@functools.cache
def app() -> FastAPI:
    """The application as served, over a stand-in service: building the routes needs the
    settings and the (here empty) list of projection runners, no database."""
    service: Any = SimpleNamespace(runners=[], settings=Settings(_env_file=None))
    return create_app(service)


def routes(application: FastAPI) -> Iterator[tuple[str, str, APIRoute]]:
    """(method, path, route) of every FastAPI route, those of included routers too."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # a FastAPI that keeps included routes in app.routes itself
        found: list[tuple[Any, Any]] = [(r, r) for r in application.routes]
    else:
        found = [(c, c.original_route) for c in iter_route_contexts(application.routes)]
    for effective, original in found:
        if isinstance(original, APIRoute):
            for method in sorted(effective.methods or ()):
                yield method, effective.path, original


def dependencies(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from dependencies(sub)


def admitted(route: APIRoute) -> str:
    """The roles a route admits as contract.md writes them: the roles, "any token", or
    "anyone"."""
    calls = list(dependencies(route.dependant))
    roles = set().union(*(getattr(call, "roles", ()) for call in calls))
    if roles:
        return ", ".join(sorted(str(r) for r in roles))
    names = {getattr(call, "__name__", "") for call in calls}
    return "any token" if names & {"authenticate", "metrics_reader"} else "anyone"


def section(text: str, heading: str) -> str:
    body = text.split(f"\n{heading}\n", 1)[1]
    return re.split(r"\n#{2,3} ", body, maxsplit=1)[0]


def table(text: str) -> dict[tuple[str, str], str]:
    """(method, path) -> the third cell, of a table whose rows begin | METHOD | `path` |."""
    rows = {}
    for match in re.finditer(
        r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| ([^|]*)\|", text, re.M
    ):
        method, path, cell = match.groups()
        assert (method, path) not in rows, f"{method} {path} is listed twice"
        rows[method, path] = cell.strip()
    return rows


def documented_roles(cell: str) -> str:
    roles = re.findall(r"`([a-z]+)`", cell)
    return ", ".join(sorted(roles)) if roles else cell.strip()


def test_every_api_route_is_in_the_contract_with_its_roles() -> None:
    listed = table(section(CONTRACT.read_text(), "## Routes"))
    served = {
        (method, path): admitted(route)
        for method, path, route in routes(app())
        if route.include_in_schema
    }
    assert len(served) > 30
    assert sorted(set(served) - set(listed)) == [], "routes missing from docs/contract.md"
    assert sorted(set(listed) - set(served)) == [], "docs/contract.md names routes not served"
    wrong = {
        f"{m} {p}": (documented_roles(listed[m, p]), roles)
        for (m, p), roles in served.items()
        if documented_roles(listed[m, p]) != roles
    }
    assert not wrong, f"roles in docs/contract.md (documented, served): {wrong}"


def test_every_web_page_route_is_in_the_contract() -> None:
    listed = table(section(CONTRACT.read_text(), "### Web pages"))
    served = {
        (method, path)
        for method, path, route in routes(app())
        if not route.include_in_schema and path not in DOCUMENTATION_PATHS
    }
    assert len(served) > 15
    assert sorted(served - set(listed)) == [], "pages missing from docs/contract.md"
    assert sorted(set(listed) - served) == [], "docs/contract.md names pages not served"


def test_every_problem_code_is_in_the_contract_with_its_status() -> None:
    text = section(CONTRACT.read_text(), "## Problem documents")
    listed = dict(re.findall(r"^\| `([a-z_]+)` \| ([0-9]{3}) \|", text, re.M))
    assert listed == {code: str(status) for code, (status, _, _) in PROBLEMS.items()}


# ---- links ----------------------------------------------------------------------------------

LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings, as GitHub makes them."""
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", path.read_text(), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def markdown_files() -> list[Path]:
    return [p for p in project_files() if p.suffix == ".md"]


def test_every_relative_link_resolves() -> None:
    broken = []
    for path in markdown_files():
        for target in LINK.findall(path.read_text()):
            if re.match(r"[a-z]+:", target):  # https:, mailto:
                continue
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            where = f"{path.relative_to(ROOT)} → {target}"
            if ROOT not in linked.parents and linked != ROOT:
                broken.append(f"{where}: outside the repository")
            elif not linked.exists():
                broken.append(f"{where}: no such file")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                broken.append(f"{where}: no such heading")
    assert not broken, "\n".join(broken)


def test_the_docs_are_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert f"](docs/{doc.name}" in readme, f"README.md does not link docs/{doc.name}"


def test_every_setting_has_a_row_in_the_readme_configuration_table() -> None:
    from service.settings import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Configuration")
    table = readme[start : readme.index("\n## ", start + 1)]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    missing = [
        env
        for name, info in Settings.model_fields.items()
        for env in [(info.validation_alias if isinstance(info.validation_alias, str) else name)]
        if not any(f"`{env.upper()}`" in row.split(" | ")[0] for row in rows)
    ]
    assert missing == [], f"README's Configuration table lacks {missing}"


PATH_NAMED = re.compile(r"`((?:[a-z_]+/)+[a-z_]+\.(?:py|md|json|html))`")
SYMBOL_NAMED = re.compile(r"`((?:[a-z_]+/)+[a-z_]+\.py)` `(\w+)`")


@pytest.mark.parametrize("document", ["README.md", "docs/domain.md", "docs/contract.md"])
def test_every_file_the_docs_name_exists(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    named = sorted(set(PATH_NAMED.findall(text)))
    assert named, f"{document} names no file"
    assert [p for p in named if not (ROOT / p).exists()] == []


def test_the_symbols_the_readme_places_are_where_it_says() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    placed = SYMBOL_NAMED.findall(text)
    assert placed, "the README's table of where things live places no symbol"
    missing = [
        f"{path} {name}"
        for path, name in placed
        if not re.search(rf"\b{name}\b", (ROOT / path).read_text(encoding="utf-8"))
    ]
    assert missing == []
