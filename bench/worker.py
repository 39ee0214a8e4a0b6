"""What the suite runs in a process of its own, so that its peak RSS is its own:
``python -m bench.worker rebuild FOLDER SOCKET_DIR PORT DBNAME PAGE_SIZE`` rebuilds every
read model (``workers.replay.rebuild``, as ``petitions replay`` does: aside, in
``REBUILD_PROCESSES`` parts, then swapped in) and prints one JSON line.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from bench.data import settings_for
from service.bootstrap import bootstrap
from service.database import Database
from workers import replay


def rebuild(folder: str, host: str, port: str, dbname: str, page_size: str) -> None:
    database = Database(host, int(port), "postgres", "", dbname, embedded=True)
    service = bootstrap(settings_for(Path(folder)), database=database)
    try:
        app = service.app
        started = time.perf_counter()
        parts = service.settings.rebuild_processes
        events = replay.rebuild(
            service.views,
            app.recorder,
            service.open_views,
            service.conninfo,
            page_size=int(page_size),
            parts=parts,
        )
        seconds = time.perf_counter() - started
    finally:
        service.close()
    # KiB on Linux; for the children, the largest of the part processes
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    part = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "events": events,
                "seconds": seconds,
                "parts": parts,
                "peak_rss_mib": max(own, part),
                "coordinator_peak_rss_mib": own,
                "part_peak_rss_mib": part,
            }
        )
    )


if __name__ == "__main__":
    {"rebuild": rebuild}[sys.argv[1]](*sys.argv[2:])
