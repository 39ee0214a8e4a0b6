"""No module grows past 500 lines, outside the tests and the benchmarks: a longer one holds
more than one thing, and is split into cohesive modules. The petition aggregate is the one
exception: its events and their rules belong together."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 500
OUTSIDE = {"tests", "bench", ".venv", "build"}
EXCEPTIONS = {"domain/petition.py"}


def long_modules(root: Path, limit: int = LIMIT) -> dict[str, int]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in OUTSIDE or relative.parts[0].startswith("."):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit and relative.as_posix() not in EXCEPTIONS:
            found[relative.as_posix()] = lines
    return found


def test_no_module_is_longer_than_the_limit() -> None:
    assert long_modules(ROOT) == {}


def test_the_check_finds_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "long.py").write_text("x = 1\n" * (LIMIT + 1))
    (tmp_path / "api" / "short.py").write_text("x = 1\n" * LIMIT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "long_test.py").write_text("x = 1\n" * (LIMIT + 1))
    assert long_modules(tmp_path) == {"api/long.py": LIMIT + 1}
