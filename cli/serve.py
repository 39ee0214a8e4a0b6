"""``serve`` (the API, the workers and the demo in one process) and ``api`` (uvicorn's workers)."""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
from functools import partial

import structlog

from cli.summary import catch_up_all, load_demo, print_summary, print_views
from domain.reference import Province
from projections.registry import VIEW_CLASSES
from service import demo_accounts, demo_tokens
from service.bootstrap import bootstrap
from service.demo_province import PROVINCE_SEED
from service.settings import Settings
from workers import policy
from workers.projection_worker import (
    start_service_runners,
)

log = structlog.get_logger("petitions")


def worker_settings(settings: Settings) -> Settings:
    """Each view's runner holds a LISTEN connection and uses another to write."""
    needed = 2 * (len(VIEW_CLASSES) + 1) + 2  # the views and the audit chain
    pool = max(settings.postgres_pool_size, needed)
    return settings.model_copy(update={"postgres_pool_size": pool})


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

    seed = PROVINCE_SEED if args.demo else None
    with bootstrap(worker_settings(settings), seed=seed) as service:
        if args.demo:
            load_demo(service)
        catch_up_all(service)
        print_summary(service)
        print_views(service)
        if sock is None:
            return 0
        url = f"http://{args.host}:{args.port}"
        print(f"\nServing on {url}  (API docs: {url}/docs); Ctrl-C stops.")
        print(f"Web pages: {url}/  (sign in with an account's username and password)")
        if args.demo:
            print("Demo tokens (send as Authorization: Bearer <token>; the same at every start):")
            province = service.app.province
            issued = demo_tokens.demo_tokens(service.tokens, settings.data_dir, province)
            print_tokens(issued, province)
            print(f"  kept in {settings.data_dir / demo_tokens.FILE_NAME} (mode 0600)")
            print("Demo accounts for the web pages (username, password; the same at every start):")
            people = demo_accounts.demo_accounts(
                service.accounts,
                settings.data_dir,
                province,
                service.tokens.only,
                service.views.petition_list.count_by_cell,  # the secretaries: busy cells
            )
            print_accounts(people, province)
            print(f"  kept in {settings.data_dir / demo_accounts.FILE_NAME} (mode 0600)")
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
                create_app(service, background=partial(start_service_runners, service)),
                log_config=None,
                access_log=False,
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
    return 0


def print_accounts(people: list[demo_accounts.DemoAccount], province: Province) -> None:
    """A line per account (role, department, username, password); those of an
    organisation under a line naming it."""
    width = max([24, *(len(p.username) for p in people)])
    organisation = None
    for person in people:
        if person.organisation is not None and person.organisation != organisation:
            organisation = person.organisation
            named = province.organisation(organisation)
            print(f"  ── {named.name} [{named.code}], {named.level.value}")
        password = person.password or "(changed by its user)"
        print(f"  {person.role:<10} {person.username:<{width}} {password}")


def print_tokens(tokens: list[demo_tokens.DemoToken], province: Province) -> None:
    """A line per token (role, department, secret); those of an organisation under a
    line naming it."""
    width = max([16, *(len(t.department or "") for t in tokens)])
    organisation = None
    for token in tokens:
        if token.organisation is not None and token.organisation != organisation:
            organisation = token.organisation
            named = province.organisation(organisation)
            print(f"  ── {named.name} [{named.code}], {named.level.value}")
        new = "" if token.reused else "  (new)"
        print(f"  {token.role:<10} {token.department or '':<{width}} {token.secret}{new}")


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
