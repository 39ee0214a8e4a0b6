"""The ``petitions`` command line."""

from __future__ import annotations

import argparse
import sys

from cli import quality_eval, users
from cli.audit_commands import (
    cmd_audit_export,
    cmd_audit_keygen,
    cmd_audit_public_key,
    cmd_audit_verify,
    cmd_audit_verify_register,
)
from cli.backup import cmd_backup, cmd_restore
from cli.processes import (
    cmd_policy,
    cmd_reference_load,
    cmd_replay,
    cmd_token_create,
    cmd_token_revoke,
    cmd_worker,
)
from cli.serve import (
    cmd_api,
    cmd_serve,
)
from cli.summary import cmd_summary
from service.logs import configure_logging
from service.settings import Settings
from stores.tokens import TOKEN_ROLES


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="petitions", description="The petition tracker.")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser(
        "serve", help="start the service (embedded PostgreSQL unless configured)"
    )
    serve.add_argument("--demo", action="store_true", help="load the demo province once")
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
    create.add_argument("--cell", help="the party cell a cell's secretary's token reads")
    create.add_argument(
        "--organisation",
        help="the organisation (or the province) it acts for; may be left out where the"
        " deployment holds one organisation below its province",
    )
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
    verify.add_argument(
        "--processes",
        type=int,
        help="processes that check the signed segments of a long log in parallel"
        " (default: the cores, at most 4; 1: one walk)",
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
    checked = audit_parser.add_parser(
        "verify-register", help="check a signed monthly answer register offline"
    )
    checked.add_argument("file", help="the register's file (GET /v1/registers/answers)")
    checked.add_argument(
        "--public-key",
        help="the published checkpoint public key (PEM); without it, the key the file"
        " carries, whose id is printed to compare with the published one",
    )
    checked.set_defaults(handler=cmd_audit_verify_register)
    users.add_parser(sub)
    quality_eval.add_parser(sub)
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
