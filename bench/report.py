"""Print the figures of a ``make bench`` run as the Markdown tables of BENCHMARKS.md:
``python -m bench.report [bench-results.json]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def n(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def runs(figure: dict[str, Any]) -> str:
    return " / ".join(n(r) for r in figure["runs"])


def main(path: str = "bench-results.json") -> None:
    r = json.loads(Path(path).read_text(encoding="utf-8"))
    m, h = r["machine"], r["history"]
    print(f"Run of {r['started_utc']}, `{r['command']}`: {r['wall_seconds'] / 60:.1f} min wall")
    print(
        f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Linux "
        f"{m['kernel']}; Python {m['python']}; PostgreSQL {m['postgresql']} (embedded, "
        f"shared_buffers {m['postgresql_shared_buffers']}); load average at start "
        f"{', '.join(f'{x:.1f}' for x in m['load_average_at_start'])}"
    )
    print(
        f"\nHistory: {h['events']:,} events, {h['petitions']:,} petitions, {h['zones']} zones,"
        f" {h['communes']:,} communes, {h['cells']:,} cells, {h['departments']} departments,"
        f" {h['first_day']} to {h['last_day']}; generated in {h['generation_seconds']:.0f} s"
        f" (this run: {r['generation_seconds_this_run']:.0f} s)"
    )

    print("\n| command path | 1 writer | 4 writers |\n|---|---|---|")
    c = r["command_path"]
    for key, label in (
        ("raw_insert_rows_per_s", "raw INSERT + COMMIT, rows/s"),
        ("raw_insert_locked_rows_per_s", "raw with `LOCK TABLE … IN EXCLUSIVE MODE`, rows/s"),
        ("raw_insert_locked_notify_rows_per_s", "raw with the lock and `NOTIFY`, rows/s"),
        ("application_events_per_s", "application (raise, assign, answer, verify), events/s"),
    ):
        print(
            f"| {label} | {n(c['writers_1'][key]['median'])} ({runs(c['writers_1'][key])})"
            f" | {n(c['writers_4'][key]['median'])} ({runs(c['writers_4'][key])}) |"
        )
    for key, label in (
        ("ratio_to_raw", "application ÷ raw"),
        ("ratio_to_raw_locked", "application ÷ raw with the lock"),
    ):
        print(f"| {label} | {c['writers_1'][key]:.2f} | {c['writers_4'][key]:.2f} |")

    phases = r.get("phase_seconds", {})
    if phases:
        print("\n| phase | wall s |\n|---|---|")
        for name, seconds in phases.items():
            print(f"| {name} | {seconds:,.0f} |")

    b = r["rebuild"]
    rebuilt = b["rebuild"]
    print(
        f"\nRebuild: {rebuilt['events']:,} events, {rebuilt.get('parts', 1)} parts (processes);"
        f" raw read and decode path over the log's first {b.get('baseline_events', 0):,} events."
    )
    print("\n| log path | median | runs |\n|---|---|---|")
    for key, label in (
        ("raw_keyset_read_rows_per_s", "raw keyset read (psycopg, pages of 5,000), rows/s"),
        ("library_decode_events_per_s", "library read + decode, events/s"),
    ):
        print(f"| {label} | {n(b[key]['median'])} | {runs(b[key])} |")
    rb = b["rebuild"]["events_per_s"]
    print(f"| rebuild of the six read models, events/s | {n(rb['median'])} | {runs(rb)} |")
    a = b["audit"]["events_per_s"]
    print(f"| audit verify, events/s | {n(a['median'])} | {runs(a)} |")
    print(
        f"\nRebuild ÷ raw read {b['ratio_rebuild_to_raw_read']:.3f}; rebuild ÷ decode path "
        f"{b['ratio_rebuild_to_decode']:.2f}."
    )

    q = r["queries"]
    qd = r["query_data"]
    print(
        f"\nQueries over {qd['rows']['petition_list']:,} petitions ({qd['copies']} copies):"
        "\n\n| query | p50 ms | p99 ms | calls | rows |\n|---|---|---|---|---|"
    )
    for name, f in q.items():
        if not name.startswith("_"):  # "_slowest": which one, and its profile
            print(
                f"| {name} | {f['p50_ms']:.1f} | {f['p99_ms']:.1f} | {f['samples']}"
                f" | {f['rows_last']:,} |"
            )

    w = r["http"]
    print("\n| HTTP load | offered req/s | achieved req/s | p50 ms | p99 ms | failures |")
    print("|---|---|---|---|---|---|")
    cl = w["closed_loop"]
    print(
        f"| closed loop, {cl['users']} users | – | {cl['rps']:.0f} | {cl['p50_ms']:.0f}"
        f" | {cl['p99_ms']:.0f} | {cl['failures']} |"
    )
    for s in w["steps"]:
        print(
            f"| open loop, {s['users']} users | {s['target_rps']} | {s['rps']:.0f}"
            f" | {s['p50_ms']:.0f} | {s['p99_ms']:.0f} | {s['failures']} |"
        )
    print(f"\nHighest offered rate with p99 < 100 ms: {w['highest_rate_p99_under_100ms']}")

    mem = r["memory"]
    print(
        f"\nPeak RSS: rebuild {mem['rebuild_worker_peak_rss_mib']:.0f} MiB (the largest part;"
        f" coordinator {rebuilt.get('coordinator_peak_rss_mib', 0):.0f} MiB); API process"
        f" {mem['api_process_peak_rss_mib']:.0f} MiB; projection worker"
        f" {mem['projection_worker_peak_rss_mib']:.0f} MiB"
    )
    print("\n| target | aim | measured | |\n|---|---|---|---|")
    for name, t in r["targets"].items():
        print(
            f"| {name} | {t['target']} | {n(t['measured'], 2)}"
            f" | {'met' if t['met'] else 'missed'} |"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
