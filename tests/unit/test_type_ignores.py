"""Every silenced type error names its code and says why, so a reader can judge it and
mypy (``warn_unused_ignores`` under ``--strict``) drops it once it is no longer needed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$")
EXPLAINED = re.compile(r"^\[[a-z][a-z-]*(?:,\s*[a-z][a-z-]*)*\]\s+#\s*\S")


def unexplained(text: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), 1)
        if (found := IGNORE.search(line)) and not EXPLAINED.match(found["rest"].strip())
    ]


def test_the_type_checker_covers_every_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert config["strict"] is True
    assert set(config["packages"]) == packages


def test_every_type_ignore_names_its_code_and_a_reason() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    found = {
        str(path.relative_to(ROOT)): lines
        for package in config["packages"]
        for path in sorted((ROOT / package).rglob("*.py"))
        if (lines := unexplained(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_check_tells_an_explained_ignore_from_a_bare_one() -> None:
    assert unexplained("x = f()  # type: ignore\n") == [1]
    assert unexplained("x = f()  # type: ignore[attr-defined]\n") == [1]
    assert unexplained("x = f()  # type: ignore[attr-defined]  # set by a plugin\n") == []
    assert unexplained("x = f()  # type: ignore[a-b, c]  # why\ny = 1\n") == []
