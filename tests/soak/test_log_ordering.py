"""Log ordering under concurrency (check 1, RELIABILITY.md): 10 writers each record 100
transactions through the application while 2 readers tail the log the way the projection
runners do (select the notifications after the last one seen). No event may become visible
after a reader has passed its position: every id in the final log up to where a reader got
must have been seen by it (0 late-visible ids), in order, once."""

from __future__ import annotations

import threading
import time

from service.bootstrap import Service
from tests.figures import record
from tests.integration.helpers import CLERK, draft

WRITERS, TRANSACTIONS, READERS = 10, 100, 2


def test_no_event_becomes_visible_behind_a_reader(service: Service) -> None:
    app = service.app
    done = threading.Event()
    seen: list[list[int]] = [[] for _ in range(READERS)]
    reads = [0] * READERS
    errors: list[BaseException] = []

    def reader(i: int) -> None:
        after = 0
        try:
            while True:
                finished = done.is_set()  # read once more after the writers are done
                page = app.recorder.select_notifications(start=after + 1, limit=20)
                reads[i] += 1
                seen[i].extend(n.id for n in page)
                if page:
                    after = page[-1].id
                elif finished:
                    return
        except BaseException as error:
            errors.append(error)

    def writer(w: int) -> None:
        try:
            for t in range(TRANSACTIONS):
                app.raise_petition(draft(summary=f"ghi {w}-{t}"), CLERK)
        except BaseException as error:
            errors.append(error)

    started = time.monotonic()
    readers = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    writers = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join(300)
    done.set()
    for t in readers:
        t.join(60)
    seconds = time.monotonic() - started
    assert not errors, errors[:3]
    final = [n.id for n in app.recorder.select_notifications(start=1, limit=10**6)]
    assert len(final) == WRITERS * TRANSACTIONS
    late = 0
    for ids in seen:
        assert ids == sorted(set(ids)), "a reader saw an id twice or out of order"
        late += len(set(final) - set(ids))  # in the log, never seen by a reader that passed it
    record(
        "1 log ordering",
        f"{WRITERS} writers × {TRANSACTIONS} transactions, {READERS} readers tailing "
        f"({sum(reads)} reads): {late} late-visible ids ({seconds:.1f} s)",
        writers=WRITERS,
        transactions=WRITERS * TRANSACTIONS,
        reads=sum(reads),
        late_visible=late,
        seconds=round(seconds, 1),
    )
    assert late == 0
