"""The petitions' pages: the list, a department's inbox, one petition with its history
and the forms of what the user may do to it, and the letters of its answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from api.answers import answer_command
from api.notes import NoteCreate, note_command
from api.petitions import (
    assign_command,
    cosign_command,
    deadline_command,
    merge_command,
    reason_command,
    refer_command,
    verify_command,
)
from api.schemas import (
    AnswerCreate,
    AssignmentCreate,
    CosignCreate,
    DeadlineCreate,
    MergeCreate,
    ReasonCreate,
    ReferralCreate,
    VerificationCreate,
)
from api.views import PetitionQuery
from api.web import labels
from api.web.i18n import N_
from api.web.pages import commitments as commitment
from api.web.pages import coordination as coordination_pages
from api.web.pages import topic_forms
from api.web.pages.answer_quality import answer_scores
from api.web.pages.common import (
    NO_SUCH_ACTION,
    Page,
    PageDep,
    PageProblem,
    date_fields,
    redirect,
    refusals_as_pages,
    shown_version,
    text,
    validated,
)
from domain.actors import Command
from domain.lifecycle import WHILE_HELD, commands_for
from domain.messages import say
from domain.reference import Province
from domain.vietnam import BUSINESS_TZ
from domain.vocabulary import Status
from projections.petition_list import PetitionFilter
from service.bootstrap import Service
from stores.attachments import Letter, LetterRefused, disposition, measure
from stores.drafts import Draft
from stores.tokens import Principal
from usecases import access, similar
from usecases.access import UseCase
from usecases.commands import (
    Close,
    Decline,
    Escalate,
    PetitionCommand,
    Reopen,
    ReturnReferral,
    Withdraw,
)

router = APIRouter(include_in_schema=False)


@router.get("/petitions", response_class=HTMLResponse)
def petition_list(
    page: PageDep,
    cursor: str | None = None,
    min_position: int | None = None,
    done: str | None = None,
    organisation: str | None = None,
) -> Response:
    query = page.request.query_params
    raw = {k: v for k, v in query.items() if k in PetitionQuery.model_fields and v}
    filters = validated(PetitionQuery, **raw)
    # The dates as typed (dd/mm/yyyy) in ISO 8601, as the links, the export and a saved
    # filter carry them.
    dates = date_fields(PetitionQuery) & raw.keys()
    raw.update({k: getattr(filters, k).isoformat() for k in dates})
    if organisation:
        raw["organisation"] = organisation
    found = page.ask(
        UseCase.LIST_PETITIONS,
        lambda: page.service.queries.petitions(
            page.principal.actor,
            filters.filter(),
            min_position=min_position,
            cursor=cursor or None,
            limit=50,
            organisation=organisation or None,
        ),
    )
    return page.render(
        "petitions.html",
        page=found,
        filters=raw,
        next_query=urlencode({**raw, "cursor": found["next_cursor"]})
        if found["next_cursor"]
        else None,
        done=done,
        saved=page.service.filters.of(access.owner(page.principal), "petitions"),
        query=urlencode(sorted(raw.items())),
    )


@router.get("/inbox", response_class=HTMLResponse)
def inbox(page: PageDep, min_position: int | None = None) -> Response:
    found = page.ask(
        UseCase.INBOX,
        lambda: page.service.queries.inbox(page.principal.actor, min_position=min_position),
    )
    owed = coordination_pages.owed(page)  # the contributions it owes as a coordinating one
    return page.render(
        "inbox.html", items=found["items"], owed=owed, today=page.service.app.today()
    )


def as_of_moment(value: str | None) -> datetime | None:
    """A ``datetime-local`` value, read in Vietnamese time."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=BUSINESS_TZ)
    except ValueError:
        raise PageProblem("validation_error", say("page.as_of", field="as_of")) from None


@router.get("/petitions/{petition_id}", response_class=HTMLResponse)
def petition_page(
    petition_id: UUID,
    page: PageDep,
    as_of: str | None = None,
    done: str | None = None,
    merge_q: str | None = None,
    merge_cell: str | None = None,
) -> Response:
    context = petition_context(page, petition_id, as_of, merge_q=merge_q, merge_cell=merge_cell)
    kept = page.kept()
    failed = kept_form(kept, petition_id, context["actions"])
    return page.render(
        "petition.html",
        **context,
        done=done,
        errors={},
        failed=failed,
        kept=kept,
        kept_shown=failed is not None,
    )


def kept_form(kept: Draft | None, petition_id: UUID, actions: list[str]) -> dict[str, Any] | None:
    """A form of this petition kept over a sign-in, shown as a refused form is: filled in
    as typed, saying why (None: none kept, or its form is no longer offered)."""
    if kept is None:
        return None
    parts = kept.action.strip("/").split("/")
    if len(parts) != 3 or parts[1] != str(petition_id) or parts[2] not in actions:
        return None
    action = parts[2]
    values: dict[str, Any] = {f: kept.first(f) for f in ACTION_MODELS[action][2]}
    values["version"] = kept.first("version")
    if "flags" in values:
        values["flags"] = kept.all("flags")
    return {"action": action, "detail": labels.KEPT, "values": values, "files": kept.files}


def petition_context(
    page: Page,
    petition_id: UUID,
    as_of: str | None,
    *,
    merge_q: str | None = None,
    merge_cell: str | None = None,
) -> dict[str, Any]:
    service, principal = page.service, page.principal
    actor = principal.actor
    moment = as_of_moment(as_of)
    petition = page.ask(
        UseCase.READ_PETITION,
        lambda: service.queries.petition(actor, petition_id, as_of=moment),
    )
    events = (
        refusals_as_pages(lambda: service.queries.history(actor, petition_id))
        if access.may(actor, UseCase.READ_HISTORY)
        else None
    )
    if events is not None and moment is not None:
        events = [e for e in events if e["recorded_at"] <= moment]
    current = petition if moment is None else service.app.state(petition_id)
    actions = actions_for(principal, current, service.app.province) if moment is None else []
    notes = (
        refusals_as_pages(lambda: service.queries.notes(actor, petition_id))
        if access.reads_notes(actor, SimpleNamespace(**current), service.app.province)
        else None
    )
    if notes is not None and moment is not None:
        notes = [n for n in notes if n["recorded_at"] <= moment]
    return {
        "petition": petition,
        # the petition it was merged into, by its number (the timeline's "Gộp vào")
        "merged_into": service.queries.numbers.of(petition["merged_into"]),
        "events": events,
        "notes": notes,
        "as_of": as_of,
        "actions": actions,
        "today": service.app.today(),
        "merge": merge_targets(page, petition, merge_q, merge_cell) if "merge" in actions else {},
        **answer_scores(service, actor, petition_id),  # advisory, beside each written answer
        # the earlier petitions it may repeat, as at its entry (usecases.similar)
        "earlier": refusals_as_pages(lambda: similar.earlier_like(service.queries, actor, current))
        if "repeat" in actions
        else [],
    }


# The petition page's forms, each the command it issues.
PAGE_COMMANDS: dict[str, Command] = {
    "assign": Command.ASSIGN,
    "refer": Command.REFER,
    "return": Command.RETURN_REFERRAL,
    "extend": Command.EXTEND_DEADLINE,
    "answer": Command.ANSWER_IN_WRITING,
    "decline": Command.DECLINE,
    "spot": Command.ANSWER_ON_THE_SPOT,
    "verify": Command.VERIFY,
    "escalate": Command.ESCALATE,
    "withdraw": Command.WITHDRAW,
    "merge": Command.MERGE,
    "close": Command.CLOSE,
    "note": Command.NOTE,
    "reopen": Command.REOPEN,
    "cosign": Command.COSIGN,
} | topic_forms.PAGE_COMMANDS
# The forms sent only with their box ticked: the endings, which only the committee's
# reopening undoes, and that reopening.
CONFIRMED = frozenset({"withdraw", "merge", "close", "reopen"})
UPLOADS = {"answer": "letter", "fulfil": "evidence"}  # the forms sending files: their field
NO_SUCH_LETTER = N_("Ý kiến này không có văn bản như vậy.")


def actions_for(principal: Principal, petition: dict[str, Any], province: Province) -> list[str]:
    """The forms shown to this user for this petition: those whose command the domain's
    lifecycle lets this role issue in the petition's status, which the user's organisation
    handles (the province only what is referred to it, and then what it handles alone),
    a referral only once and only where the province has departments, a reopening only of
    what the committee ended (the domain and the access rules still decide)."""
    in_charge = principal.department is not None and petition["department"] == (
        principal.department
    )
    allowed = commands_for(Status(petition["status"]), principal.role, in_charge=in_charge)
    referred = petition["referred_to"] is not None
    can_refer = not referred and bool(province.reference(province.code).departments)
    return [
        action
        for action, command in PAGE_COMMANDS.items()
        if command in allowed
        and access.acts(principal.actor, referred, command, province)
        and (command is not Command.REFER or can_refer)
        and (command is not Command.REOPEN or petition.get("reopens_to") is not None)
        and (petition.get("held_by") is None or command in WHILE_HELD)  # domain.clearance
        and topic_forms.offered(action, command, principal, petition)
    ]


# A form's command, from its request model, the user, the version shown and the letters.
Builder = Callable[[UUID, Any, Principal, "int | None", list[Letter]], PetitionCommand]


def reason(kind: Any) -> Builder:
    return lambda pid, body, _, version, __: reason_command(kind, pid, body, version)


ACTION_MODELS: dict[str, tuple[type[Any], Builder, tuple[str, ...]]] = {
    "assign": (
        AssignmentCreate,
        lambda pid, body, _, version, __: assign_command(pid, body, version),
        ("department", "due_on", "note"),
    ),
    "refer": (
        ReferralCreate,
        lambda pid, body, _, version, __: refer_command(pid, body, version),
        ("organisation", "department", "due_on", "note"),
    ),
    "return": (ReasonCreate, reason(ReturnReferral), ("reason",)),
    "extend": (
        DeadlineCreate,
        lambda pid, body, _, version, __: deadline_command(pid, body, version),
        ("due_on", "reason"),
    ),
    "escalate": (ReasonCreate, reason(Escalate), ("reason",)),
    "close": (ReasonCreate, reason(Close), ("reason",)),
    "reopen": (ReasonCreate, reason(Reopen), ("reason",)),
    "withdraw": (ReasonCreate, reason(Withdraw), ("reason",)),
    "merge": (
        MergeCreate,
        lambda pid, body, _, version, __: merge_command(pid, body, version),
        ("into", "reason"),
    ),
    "decline": (ReasonCreate, reason(Decline), ("reason",)),
    "verify": (
        VerificationCreate,
        lambda pid, body, _, version, __: verify_command(pid, body, version),
        ("verdict", "flags", "comment", "meeting", "verified_on", "reassign_to", "due_on"),
    ),
    "spot": (AnswerCreate, answer_command, ("text", "answered_by", "meeting", "answered_on")),
    "note": (
        NoteCreate,
        # a note says nothing of the state it was written on: any version takes it
        lambda pid, body, _, version, __: note_command(pid, body, None),
        ("text",),
    ),
    "answer": (
        commitment.WrittenAnswerForm,
        lambda pid, body, who, version, letters: answer_command(
            pid, body.answer(), who, version, letters
        ),
        commitment.ANSWER_FIELDS + commitment.PLEDGE_FIELDS,
    ),
    "cosign": (
        CosignCreate,
        lambda pid, body, _, version, __: cosign_command(pid, body, version),
        ("cell", "raised_by", "channel", "meeting", "note", "cosigned_on"),
    ),
} | topic_forms.ACTION_MODELS
# The use cases a form serves: the page admits the roles they admit, as the API's route
# does; both answers are posted to the one answer route, and admitted as it admits them.
ANSWERS = (UseCase.ANSWER_IN_WRITING, UseCase.ANSWER_ON_THE_SPOT)
ACTION_USE_CASES: dict[str, tuple[UseCase, ...]] = {
    action: ANSWERS if action in ("answer", "spot") else (access.COMMAND_USE_CASES[command],)
    for action, command in PAGE_COMMANDS.items()
}


@router.post("/petitions/{petition_id}/{action}", response_class=HTMLResponse)
async def petition_action(petition_id: UUID, action: str, page: PageDep) -> Response:
    if action not in ACTION_MODELS:
        raise PageProblem("not_found", NO_SUCH_ACTION)
    form = await page.posted()
    limit = page.service.settings.max_upload_bytes
    uploads = []
    if action in UPLOADS:
        for letter in form.getlist(UPLOADS[action]):
            if isinstance(letter, UploadFile) and letter.filename:
                uploads.append((letter.filename, await letter.read(limit + 1)))
    return await run_in_threadpool(act, page, petition_id, action, form, uploads)


def act(
    page: Page, petition_id: UUID, action: str, form: FormData, uploads: list[tuple[str, bytes]]
) -> Response:
    model, build, fields = ACTION_MODELS[action]
    values: dict[str, Any] = {f: text(form, f) for f in fields}
    if "flags" in fields:
        values["flags"] = form.getlist("flags")
    if action in ("answer", "spot"):
        values["mode"] = "written" if action == "answer" else "on_the_spot"
    try:
        # The letters are only measured here; they are stored with the answer's event,
        # in its transaction, once every check has passed.
        page.admit(*ACTION_USE_CASES[action])
        if action in CONFIRMED and text(form, "confirm") != "yes":
            raise PageProblem(
                "validation_error",
                "Hãy đánh dấu ô xác nhận trước khi gửi.",
                fields={"confirm": labels.CONFIRM_NEEDED},
            )
        letters = measured(page.service, uploads) if action in UPLOADS else []
        values |= coordination_pages.form_values(action, form)
        body = validated(model, **values)
        version = shown_version(text(form, "version")) if text(form, "version") else None
        command = refusals_as_pages(
            lambda: build(petition_id, body, page.principal, version, letters)
        )
        written = page.execute(command)
    except PageProblem as refused:
        if refused.code in ("petition_not_found", "forbidden", "not_found"):
            raise
        context = petition_context(
            page,
            petition_id,
            None,
            merge_q=text(form, "merge_q") or None,
            merge_cell=text(form, "merge_cell") or None,
        )
        return page.render(
            "petition.html",
            status=refused.status,
            **context,
            done=None,
            failed={"action": action, "detail": refused.detail, "values": values},
            errors=refused.fields,
        )
    held = action == "answer" and written.status == Status.ASSIGNED  # waits for clearance
    return redirect(f"/petitions/{petition_id}", done="answer_held" if held else action)


MERGE_CANDIDATES = 20  # petitions a merge's search shows


def merge_targets(
    page: Page, petition: dict[str, Any], q: str | None, cell: str | None
) -> dict[str, Any]:
    """The petitions this one may be merged into, as the user searched for them (by the
    list's words and by cell), or else those of its own cell: what the list shows the
    user, but this petition and those already withdrawn or merged (the domain refuses
    them as targets)."""
    q = (q or "").strip()[:200] or None
    cell = (
        cell
        if cell in page.service.app.province.reference(petition["organisation"]).cells
        else None
    )
    wanted = PetitionFilter(text=q, cell=cell or (None if q else petition["cell"]))
    found = page.ask(
        UseCase.LIST_PETITIONS,
        lambda: page.service.queries.petitions(
            page.principal.actor, wanted, limit=MERGE_CANDIDATES + 1
        ),
    )
    ended = {str(Status.WITHDRAWN), str(Status.MERGED)}
    candidates = [
        row
        for row in found["items"]
        if row["petition_id"] != petition["id"] and row["status"] not in ended
    ]
    return {"q": q, "cell": cell, "candidates": candidates[:MERGE_CANDIDATES]}


def measured(service: Service, uploads: list[tuple[str, bytes]]) -> list[Letter]:
    """The uploaded letters, checked as the API checks them (size, type by first bytes)."""
    limit = service.settings.max_upload_bytes
    try:
        return [measure(name, content, limit) for name, content in uploads]
    except LetterRefused as refused:
        if refused.reason == "too_large":
            raise PageProblem(
                "validation_error",
                f"Văn bản lớn hơn {limit:,} byte".replace(",", "."),
                fields={"letter": labels.LETTER_TOO_LARGE},
            ) from None
        raise PageProblem(
            "validation_error",
            "Văn bản không phải PDF, PNG hay JPEG",
            fields={"letter": labels.NOT_A_LETTER},
        ) from None


@router.get("/petitions/{petition_id}/files/{sha256}")
def letter_file(petition_id: UUID, sha256: str, page: PageDep) -> Response:
    """A letter of one of the petition's answers, to whoever may read the petition."""
    petition = page.ask(
        UseCase.READ_PETITION,
        lambda: page.service.queries.petition(page.principal.actor, petition_id),
    )
    names = {
        a["sha256"]: a["name"]
        for answer in petition["answers"]
        for a in answer.get("attachments", [])
    } | commitment.evidence(petition)
    found = page.service.attachments.get(sha256) if sha256 in names else None
    if found is None:
        raise PageProblem("not_found", NO_SUCH_LETTER)
    media_type, content = found
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": disposition(names[sha256], media_type),
            # Served as the type its bytes were measured to be, never sniffed as another,
            # and never run as a page of this site.
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )
