"""What the service holds: the demo's loading and the counts ``serve`` and ``summary`` print,
by organisation."""

from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import date

import structlog

from domain.organisations import Level, Organisation
from domain.reference import District
from service import demo_meetings, demo_province, demo_year
from service.bootstrap import Service, bootstrap
from service.settings import Settings
from workers.runner import catch_up, decode, read_pages

log = structlog.get_logger("petitions")


def summary(service: Service) -> dict[str, Counter[str]]:
    """Events by type, read from the event log (topics only, nothing decoded), and
    petitions by status, from the petition list view."""
    events: Counter[str] = Counter()
    start = 1
    while page := service.app.recorder.select_notifications(start=start, limit=5000):
        events.update(n.topic.rsplit(".", 1)[-1] for n in page)
        start = page[-1].id + 1
    statuses = Counter(service.views.petition_list.count_by_status())
    return {"events": events, "statuses": statuses}


def load_demo(service: Service) -> None:
    """Record the demo once, only into an empty event log: the demo district's year in a
    deployment of one district, the province's years in a deployment of several."""
    app = service.app
    if app.recorder.max_notification_id() is not None:
        log.info("demo.skipped", reason="the event log already holds events")
        return
    started = time.perf_counter()
    if app.province.only_below() is not None:
        year = demo_meetings.make_year(app.district, app.today())
        referrals = 0
    else:
        province_plan = demo_province.make_province_plan(app.province, app.today())
        year = demo_meetings.province_year(app.province, province_plan, app.today())
        referrals = len(province_plan.referrals)
    demo_year.run_year(
        service,
        year,
        lambda: catch_up_packet(service),
        on_progress=lambda n: log.info("demo.progress", steps=n),
    )
    plan = year.plan
    log.info(
        "demo.recorded",
        petitions=plan.petitions,
        commands=len(plan.steps) + len(year.meetings),
        meetings=len({m.meeting for m in year.meetings}),
        referrals=referrals,
        seconds=round(time.perf_counter() - started, 1),
    )


def organisation_line(organisation: Organisation, reference: District, petitions: int) -> str:
    """An organisation below the province: its name and code, level and lifetime, its
    reference data and the petitions raised in it."""
    lifetime = organisation.level.value
    if organisation.active_from > date(1900, 1, 1):
        lifetime += f" from {organisation.active_from.isoformat()}"
    if organisation.active_until is not None:
        lifetime += f" until {organisation.active_until.isoformat()}"
    held = [counted(len(reference.zones), "zone")]
    if organisation.level is Level.DISTRICT:
        held.append(counted(len(reference.communes), "commune"))
    held += [
        counted(len(reference.cells), "party cell"),
        counted(len(reference.departments), "department"),
    ]
    name = reference.name or organisation.name or "(no reference data loaded)"
    return (
        f"{name} [{organisation.code}], {lifetime}: {', '.join(held)}; "
        f"{counted(petitions, 'petition')}"
    )


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def print_summary(service: Service) -> None:
    figures = summary(service)
    province = service.app.province
    raised = Counter(service.views.petition_list.count_by("petition_list", "organisation"))
    below = province.below()
    print(f"Store: {service.database.describe()}")
    print(
        f"Province: {province.province.name} [{province.code}]: "
        f"{counted(len(province.reference(province.code).departments), 'department')}, "
        f"{counted(len(below), 'organisation')} below it"
    )
    for organisation in below:
        reference = province.reference(organisation.code)
        print(f"  {organisation_line(organisation, reference, raised[organisation.code])}")
    print(f"Event log: {sum(figures['events'].values())} events")
    for name, count in sorted(figures["events"].items()):
        print(f"  {name:<20} {count:>6}")
    print(f"Petitions: {sum(figures['statuses'].values())}")
    for name, count in sorted(figures["statuses"].items()):
        print(f"  {name:<20} {count:>6}")


def print_views(service: Service) -> None:
    today = service.app.today()
    settings = service.settings
    overdue = service.views.overdue.board(
        today, very_overdue_days=settings.very_overdue_days, limit=0
    )
    position = min(v.position() for v in service.views.values())
    print(f"Read models at position {position}:")
    print(
        f"  overdue on {today.isoformat()}: {overdue.total} "
        f"({sum(t['very_overdue'] for t in overdue.totals)} very overdue)"
    )
    report = service.views.categories.report(today.year)
    print(
        f"  raised in {today.year}: {report['total']} "
        f"({report['change']:+d} against {today.year - 1})"
    )
    cards = service.views.quality.scorecards(
        today.replace(month=1, day=1), today, min_answered=settings.min_answered_for_ranking
    )
    for card in [c for c in cards if c["rank"]][:3]:
        print(
            f"  #{card['rank']} {card['department']}: score {card['score']}, "
            f"on time {card['on_time']['count']}/{card['on_time']['total']}"
        )


def catch_up_packet(service: Service) -> None:
    """The briefing packet's view brought up to the log's head (an agenda reads it): the
    few events since the last agenda, a page a transaction, not in batch mode."""
    app, view = service.app, service.views.briefing_packet
    for page in read_pages(app.postgres_recorder, view.position(), None, 1000):
        view.process(decode(app.mapper, page))


def catch_up_all(service: Service) -> None:
    """Every read model and the audit chain brought up to the log's head."""
    catch_up(
        service.runners,
        service.app.postgres_recorder,
        service.app.mapper,
        page_size=service.settings.projection_page_size,
    )


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings) as service:
        catch_up_all(service)
        print_summary(service)
    return 0
