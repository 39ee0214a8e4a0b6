"""What the suite runs in a process of its own, so that its peak RSS is its own:
``python -m bench.worker rebuild FOLDER SOCKET_DIR PORT DBNAME PAGE_SIZE`` rebuilds every
read model in place (``workers.replay.rebuild``, as ``petitions replay`` does) and prints
one JSON line.
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
        events = replay.rebuild(
            service.views, app.recorder, app.mapper, service.conninfo, page_size=int(page_size)
        )
        seconds = time.perf_counter() - started
    finally:
        service.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"events": events, "seconds": seconds, "peak_rss_mib": peak_kib / 1024}))


if __name__ == "__main__":
    {"rebuild": rebuild}[sys.argv[1]](*sys.argv[2:])
