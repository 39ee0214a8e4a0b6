"""A cell's secretary's pages, phone first: its cell's petitions, newest first (status,
department, due date, answer), each petition's page read-only (the answer, its letter's
number, date, signer and attachments, the due dates), and the month's answer register of
its organisation, printable and downloadable signed. The rules are the use cases'
(``usecases.access``): a petition of another cell is not found, and nothing is offered
to do."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.register import answer_register, signed_response
from api.web.pages.common import PageDep, refusals_as_pages
from audit.keys import key_id
from domain.vocabulary import Status, values
from projections.petition_list import PetitionFilter
from usecases.access import UseCase

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 30


@router.get("/cell", response_class=HTMLResponse)
def cell_petitions(page: PageDep, status: str | None = None, cursor: str | None = None) -> Response:
    page.admit(UseCase.CELL_PETITIONS)
    chosen = status if status in values(Status) else None
    actor = page.principal.actor
    found = page.ask(
        UseCase.LIST_PETITIONS,
        lambda: page.service.queries.petitions(
            actor, PetitionFilter(status=chosen), cursor=cursor or None, limit=PAGE_SIZE
        ),
    )
    return page.render(
        "cell.html",
        items=found["items"],
        next_cursor=found["next_cursor"],
        chosen=chosen,
        statuses=values(Status),
        cell=actor.cell,
        today=page.service.app.today(),
    )


@router.get("/cell/petitions/{petition_id}", response_class=HTMLResponse)
def cell_petition(petition_id: UUID, page: PageDep) -> Response:
    page.admit(UseCase.CELL_PETITIONS)
    petition = page.ask(
        UseCase.READ_PETITION,
        lambda: page.service.queries.petition(page.principal.actor, petition_id),
    )
    return page.render("cell_petition.html", petition=petition, today=page.service.app.today())


@router.get("/registers/answers", response_class=HTMLResponse)
async def register_page(
    page: PageDep, organisation: str | None = None, month: str | None = None
) -> Response:
    """The month's register as a page to print, with its signed file to download."""
    page.admit(UseCase.ANSWER_REGISTER)
    register = answer_register(page.service)
    found = await run_in_threadpool(
        refusals_as_pages,
        lambda: register.register(page.principal.actor, organisation or None, month or None),
    )
    return page.render("register.html", register=found, key_id=register_key_id(page))


@router.get("/registers/answers/file")
async def register_file(
    page: PageDep, organisation: str | None = None, month: str | None = None
) -> Response:
    """The signed file of the month's register (the API's own, for the signed-in user)."""
    page.admit(UseCase.ANSWER_REGISTER)
    register = answer_register(page.service)
    found, data = await run_in_threadpool(
        refusals_as_pages,
        lambda: register.signed(page.principal.actor, organisation or None, month or None),
    )
    return signed_response(found, data)


def register_key_id(page: PageDep) -> str:
    """The id of the key the register is signed with, to compare with the published one."""
    key = page.service.chain.signing_key
    assert key is not None
    return key_id(key.public_key())
