"""The long-running processes and the maintenance commands: ``worker``, ``policy``,
``replay``, ``reference load``, ``token create`` and ``token revoke``."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import structlog

from cli.progress import progress
from cli.serve import worker_settings
from domain.actors import Role
from domain.errors import DomainError
from domain.reference import Province
from service.bootstrap import bootstrap
from service.settings import Settings
from stores.province_seed import SeedError
from workers import policy, replay
from workers.projection_worker import (
    run_until_stopped,
    start_service_runners,
    stop_on_signals,
)

log = structlog.get_logger("petitions")


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(worker_settings(settings))
    stop = threading.Event()
    stop_on_signals(stop)
    try:
        threads = start_service_runners(service, stop)
        log.info("worker.started", views=list(service.views))
        run_until_stopped(threads, stop)
    finally:
        service.close()
    return 0


def cmd_policy(args: argparse.Namespace, settings: Settings) -> int:
    """The deadline policy: one pass with ``--once`` (exit 1 if a digest could not be
    sent), else a pass every POLICY_INTERVAL_SECONDS until SIGTERM or SIGINT."""
    with bootstrap(settings) as service:
        if args.once:
            report = policy.run_once(service)
            print(report.line())
            return 1 if report.delivery.failed else 0
        stop = threading.Event()
        stop_on_signals(stop)
        policy.run_until_stopped(service, stop)
    return 0


def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(settings)
    app, page_size = service.app, settings.projection_page_size
    try:
        started = time.perf_counter()
        if args.verify:
            differences = replay.verify(
                service.views,
                app.postgres_recorder,
                app.mapper,
                service.datastore_for,
                service.conninfo,
                page_size=page_size,
            )
            for line in differences:
                print(line)
            print(
                f"{len(differences)} differences between the live views and a clean rebuild "
                f"({time.perf_counter() - started:.1f} s)"
            )
            return 1 if differences else 0
        try:
            total = app.postgres_recorder.max_notification_id() or 0
            with progress("replay", total) as advance:
                events = replay.rebuild(
                    service.views,
                    app.postgres_recorder,
                    service.open_views,
                    service.conninfo,
                    page_size=page_size,
                    parts=settings.rebuild_processes,
                    lock_timeout=args.wait,
                    progress=advance,
                )
        except TimeoutError as busy:
            print(f"petitions replay: {busy}", file=sys.stderr)
            return 1
        elapsed = time.perf_counter() - started
        print(
            f"Rebuilt {len(service.views)} views from {events} events in {elapsed:.1f} s "
            f"({events / elapsed if elapsed else 0:,.0f} events/s)"
        )
    finally:
        service.close()
    return 0


def cmd_reference_load(args: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings) as service:
        try:
            service.reference.load_seed(Path(args.file))
        except SeedError as error:
            print(f"{args.file} was not loaded; nothing changed:", file=sys.stderr)
            for fault in error.faults:
                print(f"  - {fault}", file=sys.stderr)
            return 1
        print(f"Loaded reference data from {args.file}")
    return 0


def cmd_token_create(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(settings)
    try:
        role = Role(args.role)
        province = service.app.province
        organisation = token_organisation(province, args.organisation)
        if args.department and args.department not in province.reference(organisation).departments:
            print(f"unknown department {args.department} of {organisation}", file=sys.stderr)
            return 2
        if args.cell and args.cell not in province.reference(organisation).cells:
            print(f"unknown cell {args.cell} of {organisation}", file=sys.stderr)
            return 2
        token_id, secret = service.tokens.create(
            role=role,
            department=args.cell if role is Role.SECRETARY else args.department,
            name=args.name,
            subject=args.subject,
            organisation=organisation,
        )
        print(
            f"token id: {token_id}\ntoken:    {secret}\n"
            f"subject:  {args.subject or args.name}\norganisation: {organisation}\n"
            "(shown once; only its hash is kept)"
        )
    except (ValueError, DomainError) as error:
        print(f"cannot create the token: {error}", file=sys.stderr)
        return 2
    finally:
        service.close()
    return 0


def token_organisation(province: Province, asked: str | None) -> str:
    """The organisation a token is issued for: the one asked (ValueError for an unknown
    one), else the deployment's only one below its province."""
    if asked is not None:
        return province.organisation(asked).code
    only = province.only_below()
    if only is None:
        names = ", ".join(o.code for o in province.below())
        raise ValueError(f"name the organisation with --organisation ({province.code}, {names})")
    return only.code


def cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings) as service:
        if not service.tokens.revoke(args.token_id):
            print(f"no active token {args.token_id}", file=sys.stderr)
            return 1
        print(f"revoked {args.token_id}")
    return 0
