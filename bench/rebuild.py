"""Rebuild speed of all read models and audit verification speed (orientation figures
until the benchmark suite lands).

Records several demo years into a separate embedded database (once), then times
`replay.rebuild` at two page sizes. Run: .venv/bin/python -m bench.rebuild [folder]
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from service.audit import verify_database
from service.bootstrap import bootstrap
from service.database import start_embedded
from service.demo import make_plan, run_plan
from service.reference import DEMO_SEED
from service.settings import Settings
from workers import replay
from workers.runner import catch_up

YEARS = 6


def main(folder: str = "/tmp/petitions-bench") -> None:
    database = start_embedded(Path(folder), dbname="bench")
    settings = Settings(_env_file=None, PETITIONS_DATA_DIR=folder)  # type: ignore[call-arg]
    service = bootstrap(settings, database=database, seed=DEMO_SEED)
    app = service.app
    if app.recorder.max_notification_id() is None:
        started = time.perf_counter()
        for seed in range(YEARS):
            run_plan(
                app, make_plan(app.district, date(2026, 10, 31), per_briefing=15, seed=100 + seed)
            )
        events = app.recorder.max_notification_id() or 0
        elapsed = time.perf_counter() - started
        print(f"recorded {events} events in {elapsed:.1f} s ({events / elapsed:,.0f} events/s)")
    for page_size in (1000, 5000):
        started = time.perf_counter()
        events = replay.rebuild(
            service.views, app.recorder, app.mapper, service.conninfo, page_size=page_size
        )
        elapsed = time.perf_counter() - started
        print(
            f"rebuild, page {page_size}: {events} events in {elapsed:.2f} s"
            f" = {events / elapsed:,.0f} events/s"
        )
    catch_up([service.chain], app.recorder, app.mapper, page_size=5000)
    key = service.chain.signing_key.public_key()  # type: ignore[union-attr]
    for _ in range(3):
        report = verify_database(service.conninfo, service.app.factory.datastore.schema, key)
        print(f"audit verify: {report.lines()[0]}")
    service.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
