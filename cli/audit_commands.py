"""``audit verify``, ``audit export``, ``audit keygen``, ``audit public-key`` and
``audit verify-register``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from audit.bundle import export_bundle, verify_bundle
from audit.keys import key_id, load_or_create_signing_key, load_public_key, public_pem
from audit.register import RegisterVerdict, verify_file
from audit.verify import AuditVerdict, event_count, verify_database
from cli.progress import progress
from service.bootstrap import bootstrap
from service.settings import Settings
from workers.runner import catch_up


def public_key_for(args: argparse.Namespace, settings: Settings) -> Any:
    if args.public_key:
        return load_public_key(Path(args.public_key).read_bytes())
    return load_or_create_signing_key(settings.signing_key_path).public_key()


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 1 on a break, and on events left unsigned for longer than twice
    AUDIT_CHECKPOINT_SECONDS unless ``--allow-unsigned-tail``."""
    bound = 2 * settings.audit_checkpoint_seconds
    if args.bundle:
        key = load_public_key(Path(args.public_key).read_bytes()) if args.public_key else None
        with progress("audit.verify", None) as advance:
            report = verify_bundle(Path(args.bundle), key, max_tail_age=bound, progress=advance)
    else:
        with bootstrap(settings) as service:
            schema = service.app.datastore.schema
            with progress("audit.verify", event_count(service.conninfo, schema)) as advance:
                report = verify_database(
                    service.conninfo,
                    schema,
                    public_key_for(args, settings),
                    max_tail_age=bound,
                    processes=args.processes,
                    progress=advance,
                )
    report.tail_accepted = args.allow_unsigned_tail
    for line in report.lines():
        print(line)
    return 0 if report.verdict is AuditVerdict.INTACT else 1


def cmd_audit_export(args: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings) as service:
        catch_up([service.chain], service.app.postgres_recorder, service.app.mapper)
        position = service.chain.checkpoint_now()
        schema = service.app.datastore.schema
        with progress("audit.export", event_count(service.conninfo, schema)) as advance:
            events = export_bundle(
                service.conninfo, schema, public_key_for(args, settings), Path(args.file), advance
            )
        print(
            f"wrote {events} events and the signed checkpoints (latest at {position}) "
            f"to {args.file}"
        )
    return 0


def cmd_audit_keygen(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    if path.exists():
        print(f"{path} exists; not overwritten", file=sys.stderr)
        return 1
    key = load_or_create_signing_key(path).public_key()
    print(f"wrote {path} (key id {key_id(key)}); publish its public half:")
    print(public_pem(key), end="")
    return 0


def cmd_audit_public_key(args: argparse.Namespace, settings: Settings) -> int:
    key = load_or_create_signing_key(settings.signing_key_path).public_key()
    print(public_pem(key), end="")
    print(f"key id: {key_id(key)}", file=sys.stderr)
    return 0


def cmd_audit_verify_register(args: argparse.Namespace, settings: Settings) -> int:
    """Check a signed answer register offline (no database): against ``--public-key`` if
    given, else against the key the file carries (its id printed, to compare with the
    published one). Prints INTACT or ALTERED; exit 1 when altered."""
    key = load_public_key(Path(args.public_key).read_bytes()) if args.public_key else None
    check = verify_file(Path(args.file).read_bytes(), key)
    for line in check.lines():
        print(line)
    return 0 if check.verdict is RegisterVerdict.INTACT else 1
