"""The ``petitions`` command line."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import structlog

from domain.application import Petitions
from domain.petition import Petition
from service import demo
from service.bootstrap import Service, bootstrap
from service.logs import configure_logging
from service.reference import DEMO_SEED
from service.settings import Settings

log = structlog.get_logger("petitions")


def summary(app: Petitions) -> dict[str, Counter[str]]:
    """Events by type and petitions by status, read straight from the event log."""
    events: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    start = 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=1000)
        if not page:
            break
        for n in page:
            event_type = n.topic.rsplit(".", 1)[-1]
            events[event_type] += 1
            if event_type == "Raised":
                petition: Petition = app.repository.get(n.originator_id)
                statuses[str(petition.status)] += 1
        start = page[-1].id + 1
    return {"events": events, "statuses": statuses}


def load_demo(service: Service) -> None:
    """Record the demo district's year once: only into an empty event log."""
    app = service.app
    if app.recorder.max_notification_id() is not None:
        log.info("demo.skipped", reason="the event log already holds events")
        return
    plan = demo.make_plan(app.district, app.today())
    started = time.perf_counter()
    demo.run_plan(app, plan, on_progress=lambda n: log.info("demo.progress", steps=n))
    log.info(
        "demo.recorded",
        petitions=plan.petitions,
        commands=len(plan.steps),
        seconds=round(time.perf_counter() - started, 1),
    )


def print_summary(service: Service) -> None:
    figures = summary(service.app)
    district = service.app.district
    print(f"Store: {service.database.describe()}")
    print(
        f"District: {district.name or '(no reference data loaded)'}: {len(district.zones)} zones, "
        f"{len(district.communes)} communes, {len(district.cells)} party cells, "
        f"{len(district.departments)} departments"
    )
    print(f"Event log: {sum(figures['events'].values())} events")
    for name, count in sorted(figures["events"].items()):
        print(f"  {name:<20} {count:>6}")
    print(f"Petitions: {sum(figures['statuses'].values())}")
    for name, count in sorted(figures["statuses"].items()):
        print(f"  {name:<20} {count:>6}")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(settings, seed=DEMO_SEED if args.demo else None)
    try:
        if args.demo:
            load_demo(service)
        print_summary(service)
        print(
            "The store is initialised. The HTTP API is not part of this build yet; "
            "nothing more to serve."
        )
    finally:
        service.close()
    return 0


def cmd_reference_load(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(settings)
    try:
        service.reference.load_seed(Path(args.file))
        print(f"Loaded reference data from {args.file}")
    finally:
        service.close()
    return 0


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(settings)
    try:
        print_summary(service)
    finally:
        service.close()
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="petitions", description="The petition tracker.")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser(
        "serve", help="start the service (embedded PostgreSQL unless configured)"
    )
    serve.add_argument("--demo", action="store_true", help="load the demo district once")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=cmd_serve)
    ref = sub.add_parser("reference", help="reference data").add_subparsers(
        dest="action", required=True
    )
    load = ref.add_parser("load", help="insert or update reference data from a seed file")
    load.add_argument("file")
    load.set_defaults(handler=cmd_reference_load)
    sub.add_parser("summary", help="events and petitions in the log").set_defaults(
        handler=cmd_summary
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    return int(args.handler(args, settings))


if __name__ == "__main__":
    sys.exit(main())
