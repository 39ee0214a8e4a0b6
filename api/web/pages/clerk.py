"""The clerk's pages: a briefing's petitions (with answers given on the spot), the
cells' verdicts, and the briefing packet."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.answers import answer_command
from api.petitions import cosign_command, verify_command
from api.schemas import AnswerCreate, CosignCreate, PetitionCreate, VerificationCreate
from api.views import PetitionQuery
from api.web import labels
from api.web.i18n import N_
from api.web.pages.common import (
    Page,
    PageDep,
    PageProblem,
    day,
    page_problem,
    redirect,
    refusals_as_pages,
    shown_version,
    text,
    validated,
)
from api.web.pages.reports import document_for
from domain.errors import DomainError, PetitionNotFound
from domain.lifecycle import LIFECYCLE
from domain.messages import say
from domain.reference import District
from domain.vocabulary import Command
from usecases import access, similar
from usecases.access import UseCase
from usecases.commands import Context, PetitionDraft, RaisePetition

router = APIRouter(include_in_schema=False)
NOTHING_ENTERED = N_("Chưa nhập ý kiến nào.")


def zones_of(page: Page) -> dict[str, District]:
    """The zones the user's briefings are of, each with its organisation's reference
    data: its organisation's; to the province's users every organisation's."""
    province = page.service.app.province
    own = page.renderer.organisation_of(page.principal)
    shown = (
        list(province.references.values())
        if own.code == province.code
        else [province.reference(own.code)]
    )
    return {code: reference for reference in shown for code in reference.zones}


def briefing_choice(page: Page, zone: str | None, briefing: str | None) -> tuple[str, date]:
    service = page.service
    zones = zones_of(page)
    if not zones:
        raise PageProblem("not_found", say("page.no_zones"))
    zone = zone if zone in zones else next(iter(zones))
    chosen = day(briefing, "briefing", page.translated)
    if chosen is None:
        today = service.app.today()
        chosen = zones[zone].previous_briefing(zone, today + timedelta(days=1)) or today
    try:
        return zone, service.app.dates.check("briefing", chosen)
    except DomainError as refused:
        raise page_problem(refused) from None


ROW_FIELDS = ("key", "cell", "category", "kind", "summary", "text", "raised_by")
SPOT_FIELDS = ("spot_by", "spot_text")


def blank_rows(count: int) -> list[dict[str, str]]:
    return [{"key": uuid.uuid4().hex} for _ in range(count)]


@router.get("/briefing", response_class=HTMLResponse)
def briefing_form(
    page: PageDep,
    zone: str | None = None,
    briefing: str | None = None,
    done: str | None = None,
    meeting: str | None = None,
) -> Response:
    """The briefing's petitions to type; ``meeting``: the meeting they were raised at (a
    meeting's page links here with its id), else the briefing's name."""
    page.admit(UseCase.RAISE)
    service = page.service
    kept = page.kept()
    if kept is not None and kept.action == "/briefing":  # typed before signing in again
        zone, chosen = briefing_choice(page, kept.first("zone"), kept.first("briefing"))
        rows = typed_rows(kept.all, kept.first)
        return page.render(
            "briefing.html",
            zone=zone,
            briefing=chosen,
            not_held=chosen > service.app.today(),
            channel=kept.first("channel") or "meeting",
            meeting=kept.first("meeting"),
            rows=rows or blank_rows(5),
            errors={},
            kept=kept,
            kept_shown=True,
        )
    zone, chosen = briefing_choice(page, zone, briefing)
    return page.render(
        "briefing.html",
        zone=zone,
        briefing=chosen,
        not_held=chosen > service.app.today(),
        channel="meeting",
        meeting=(meeting or "").strip()[:200] or default_meeting(page, zone, chosen),
        rows=blank_rows(5),
        errors={},
        done=done,
    )


def typed_rows(
    values: Callable[[str], Sequence[Any]], value: Callable[[str], str]
) -> list[dict[str, str]]:
    """The petitions' rows of a posted briefing form (or one kept over a sign-in), by the
    form's ``values`` of a name, each with what the clerk chose for it if it was shown
    to repeat a petition."""
    columns = {f: values(f) for f in ROW_FIELDS + SPOT_FIELDS}
    rows = [
        {f: str(columns[f][i]).strip() if i < len(columns[f]) else "" for f in columns}
        for i in range(len(columns["key"]))
    ]
    for row in rows:
        row["duplicate"] = value(f"duplicate-{row['key']}")
    return rows


def repeated(row: dict[str, str]) -> str | None:
    """The earlier petition the clerk said the row raises again (None: none)."""
    choice = row.get("duplicate", "")
    return choice.removeprefix(REPEAT) if choice.startswith(REPEAT) else None


def cosigned_into(row: dict[str, str]) -> str | None:
    """The petition the row's cell co-signed instead of raising it anew (None: none)."""
    choice = row.get("duplicate", "")
    return choice.removeprefix(COSIGNED) if choice.startswith(COSIGNED) else None


def row_errors(refused: PageProblem) -> dict[str, str]:
    """A refusal as the row shows it: by field where the row has the field, else in words
    (a refusal of the meeting or of a date the row does not show), never just red."""
    if set(refused.fields) & set(ROW_FIELDS + SPOT_FIELDS):
        return refused.fields
    return {"": refused.detail}


def default_meeting(page: Page, zone: str, briefing: date) -> str:
    name = zones_of(page)[zone].zones[zone].name
    return f"Giao ban bí thư chi bộ {name} tháng {briefing.month}/{briefing.year}"


@router.post("/briefing", response_class=HTMLResponse)
async def briefing_record(page: PageDep) -> Response:
    return await run_in_threadpool(record_briefing, page, await page.posted())


def record_briefing(page: Page, form: FormData) -> Response:
    """Every filled row is checked first; only when all are valid are they recorded, each
    under its row's idempotency key, so sending the form again records nothing twice."""
    page.admit(UseCase.RAISE)
    service = page.service
    zone, chosen = briefing_choice(page, text(form, "zone"), text(form, "briefing"))
    channel, meeting = text(form, "channel") or "meeting", text(form, "meeting")
    rows = typed_rows(form.getlist, lambda name: text(form, name))
    cosigning = cosign_row(page, text(form, "cosign"), rows, channel, meeting, chosen)
    skipped = [r for r in rows if r["duplicate"] == SKIP or cosigned_into(r)]
    filled = [
        r for r in rows if any(r[f] for f in ("summary", "text", "cell")) and r not in skipped
    ]
    errors: dict[int, dict[str, str]] = {}
    drafts = []
    for index, row in enumerate(rows):
        if row not in filled:
            continue
        try:
            drafts.append(
                (
                    index,
                    row,
                    validated(
                        PetitionCreate,
                        kind=row["kind"],
                        category=row["category"],
                        summary=row["summary"],
                        text=row["text"],
                        cell=row["cell"],
                        raised_by=row["raised_by"],
                        channel=channel,
                        meeting=meeting if channel == "meeting" else None,
                        raised_on=chosen,
                        repeat_of=repeated(row),
                    ),
                )
            )
            if bool(row["spot_by"]) != bool(row["spot_text"]):
                raise PageProblem(
                    "validation_error",
                    say("page.spot_needs_both"),
                    fields={
                        "spot_by" if not row["spot_by"] else "spot_text": labels.FIELD_ERRORS[
                            "missing"
                        ]
                    },
                )
        except PageProblem as refused:
            errors[index] = row_errors(refused)
    # A briefing not held yet records nothing: the page says so, the rows stay as typed.
    not_held = chosen > service.app.today()
    context = {
        "zone": zone,
        "briefing": chosen,
        "not_held": not_held,
        "channel": channel,
        "meeting": meeting,
        "rows": rows or blank_rows(5),
        "errors": errors,
    }
    if cosigning is not None:  # the other rows as typed, to be sent when the clerk is done
        index, failed = cosigning
        shown = [d for d in drafts if d[0] not in errors or d[0] == index]
        context["errors"] = {index: row_errors(failed)} if failed else {}
        return page.render(
            "briefing.html",
            status=failed.status if failed else 200,
            similar=repeats(page, shown),
            cosignable=cosigns(page),
            done=None if failed else "cosigned",
            pending=bool(filled),
            **context,
        )
    if not filled and skipped:  # every petition typed was already there
        return redirect("/briefing", zone=zone, briefing=chosen.isoformat(), done="none_new")
    if not filled:
        errors[0] = {"summary": NOTHING_ENTERED}
    if errors or not_held:
        return page.render("briefing.html", status=422, **context)
    similar = repeats(page, drafts)
    if similar:  # nothing recorded until the clerk says, row by row, what each one is
        return page.render(
            "briefing.html", status=409, similar=similar, cosignable=cosigns(page), **context
        )
    position = 0
    recorded: set[int] = set()
    for index, row, body in drafts:
        try:
            draft = PetitionDraft(**body.model_dump())
            raised = RaisePetition(draft=draft, idempotency_key=row["key"])
            result = page.execute(raised)
            position = max(position, result.position or 0)
            if row["spot_by"] and service.app.state(result.id)["status"] != "answered":
                spoken = validated(
                    AnswerCreate,
                    mode="on_the_spot",
                    text=row["spot_text"],
                    answered_by=row["spot_by"],
                    meeting=meeting or None,
                    answered_on=chosen,
                )
                command = refusals_as_pages(answer_command, result.id, spoken, page.principal)
                spot = page.execute(command)
                position = max(position, spot.position or 0)
            recorded.add(index)
        except PageProblem as refused:
            errors[index] = row_errors(refused)
            context["recorded"] = recorded
            return page.render("briefing.html", status=refused.status, **context)
    return redirect(
        "/petitions",
        zone=zone,
        raised_from=chosen.isoformat(),
        raised_to=chosen.isoformat(),
        min_position=position,
        done="raised",
    )


# A row shown to repeat a petition: the clerk records it anyway, or leaves it out, or (the
# value followed by the petition's id) records it linked as a repeat of that petition, or
# its cell co-signed that petition instead.
RECORD, SKIP, REPEAT, COSIGNED = "record", "skip", "repeat:", "cosigned:"


def cosign_row(
    page: Page, asked: str, rows: list[dict[str, str]], channel: str, meeting: str, on: date
) -> tuple[int, PageProblem | None] | None:
    """The clerk's "this cell co-signs that petition" of one row (``asked``: the row's key
    and the petition's id): the row's cell is recorded as co-signing the petition, on the
    briefing's day, and the row is not raised. The row's index, and the refusal if there
    was one (None: no row asked). A cell that co-signed the petition already (the form
    sent again) records nothing twice."""
    key, _, petition = asked.partition(":")
    index = next((i for i, r in enumerate(rows) if r["key"] == key and key), None)
    if index is None:
        return None
    row = rows[index]
    try:
        pid = UUID(petition)
    except ValueError:
        missing = say("petition.not_found", petition_id=petition)
        return index, page_problem(PetitionNotFound(missing))
    try:
        body = validated(
            CosignCreate,
            cell=row["cell"],
            raised_by=row["raised_by"],
            channel=channel,
            meeting=meeting if channel == "meeting" else None,
            note=row["summary"],
            cosigned_on=on,
        )
        state = page.ask(
            UseCase.READ_PETITION,
            lambda: page.service.queries.petition(page.principal.actor, pid),
        )
        if not any(c["cell"] == body.cell for c in state["cosigners"]):
            page.execute(cosign_command(pid, body, None))
    except PageProblem as refused:
        return index, refused
    row["duplicate"] = f"{COSIGNED}{pid}"
    return index, None


def cosigns(page: Page) -> frozenset[str]:
    """The statuses of the petitions the user may have a row's cell co-sign (none if the
    user may not): the lifecycle's."""
    if not access.may(page.principal.actor, UseCase.COSIGN):
        return frozenset()
    return frozenset(str(s) for s in LIFECYCLE[Command.COSIGN].statuses)


def repeats(page: Page, drafts: list[tuple[int, dict[str, str], Any]]) -> dict[int, list[Any]]:
    """The petitions each row may repeat (``usecases.similar``), by the row's index: of
    the rows the clerk has not yet said to record anyway, and not recorded already under
    the row's key (a form sent again)."""
    ctx = Context.of(page.principal, getattr(page.request.state, "request_id", None))
    found: dict[int, list[Any]] = {}
    for index, row, body in drafts:
        if row["duplicate"] == RECORD or repeated(row):
            continue
        if similar.recorded_under(page.service.queries, ctx, row["key"]):
            continue
        close = refusals_as_pages(
            lambda b=body: similar.similar_petitions(
                page.service.queries,
                page.principal.actor,
                category=b.category,
                cell=b.cell,
                summary=b.summary,
                text=b.text,
            )
        )
        if close:
            found[index] = close
    return found


@router.get("/verification", response_class=HTMLResponse)
def verification_form(
    page: PageDep,
    zone: str | None = None,
    briefing: str | None = None,
    min_position: int | None = None,
    done: str | None = None,
    meeting: str | None = None,
) -> Response:
    page.admit(UseCase.VERIFY)
    zone, chosen = briefing_choice(page, zone, briefing)
    found = awaiting_verdicts(page, zone, chosen, min_position)
    if meeting and meeting.strip():  # a meeting's page links here with its id
        found["meeting"] = meeting.strip()[:200]
    return page.render("verification.html", **found, errors={}, done=done)


def awaiting_verdicts(
    page: Page, zone: str, briefing: date, min_position: int | None
) -> dict[str, Any]:
    """The zone's answered petitions that take a verdict dated ``briefing``: those whose
    latest recorded date is on or before it (a verdict may not precede what it judges).
    Answers given after it are verified at a later briefing: listed apart, without a
    verdict. A briefing not held yet takes no verdict at all (a business date is never in
    the future)."""
    service = page.service
    found = page.ask(
        UseCase.LIST_PETITIONS,
        lambda: service.queries.petitions(
            page.principal.actor,
            PetitionQuery(status="answered", zone=zone).filter(),
            min_position=min_position,
            limit=200,
        ),
    )
    petitions, later = [], []
    for item in found["items"]:
        if item["last_business_date"] > briefing:
            later.append(item)
            continue
        state = service.app.state(item["petition_id"])
        petitions.append({**item, "answer": state["answers"][-1] if state["answers"] else None})
    petitions.sort(key=lambda p: (p["verify_by"] or date.max, p["raised_on"]))
    later.sort(key=lambda p: (p["verify_by"] or date.max, p["raised_on"]))
    return {
        "zone": zone,
        "briefing": briefing,
        "not_held": briefing > service.app.today(),
        "next_briefing": zones_of(page)[zone].next_briefing(zone, briefing),
        "meeting": default_meeting(page, zone, briefing),
        "petitions": petitions,
        "later": later,
    }


@router.post("/verification", response_class=HTMLResponse)
async def verification_record(page: PageDep) -> Response:
    return await run_in_threadpool(record_verdicts, page, await page.posted())


def record_verdicts(page: Page, form: FormData) -> Response:
    """Each petition given a verdict is recorded at its version as shown, so a verdict on a
    petition changed meanwhile is refused rather than applied to what nobody saw."""
    page.admit(UseCase.VERIFY)
    zone, chosen = briefing_choice(page, text(form, "zone"), text(form, "briefing"))
    meeting = text(form, "meeting") or None
    errors: dict[str, str] = {}
    position, recorded = 0, 0
    for petition_id in form.getlist("petition"):
        verdict = text(form, f"verdict-{petition_id}")
        if not verdict:
            continue
        try:
            body = validated(
                VerificationCreate,
                verdict=verdict,
                flags=form.getlist(f"flags-{petition_id}"),
                comment=text(form, f"comment-{petition_id}"),
                meeting=meeting,
                verified_on=chosen,
            )
            version = shown_version(text(form, f"version-{petition_id}"))
            command = verify_command(UUID(str(petition_id)), body, version)
            result = page.execute(command)
            position, recorded = max(position, result.position or 0), recorded + 1
        except (PageProblem, ValueError) as refused:
            errors[str(petition_id)] = getattr(refused, "detail", str(refused))
    if errors:
        context = awaiting_verdicts(page, zone, chosen, position or None)
        return page.render("verification.html", status=422, errors=errors, **context)
    return redirect(
        "/verification",
        zone=zone,
        briefing=chosen.isoformat(),
        min_position=position or None,
        done="verified" if recorded else None,
    )


@router.get("/packet", response_class=HTMLResponse)
def packet(
    page: PageDep,
    zone: str | None = None,
    briefing: str | None = None,
    number: str | None = None,
    position: str | None = None,
    signer: str | None = None,
) -> Response:
    """The packet to print: the organisation's letterhead, the number and signer typed on
    the page."""
    zone, chosen = briefing_choice(page, zone, briefing)
    found = page.ask(
        UseCase.BRIEFING_PACKET,
        lambda: page.service.queries.packet(page.principal.actor, zone, chosen),
    )
    document = document_for(
        page, found["organisation"], number=number, position=position, signer=signer
    )
    return page.render("packet.html", packet=found, zone=zone, document=document)
