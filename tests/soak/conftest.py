"""The soak suite (``make soak``): every test here is a long reliability check."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/soak/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.soak)
