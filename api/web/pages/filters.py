"""Saved filters: on the petition list and the overdue board a user saves the filter shown
under a name, finds it again in a list of its own, applies it (a link) and deletes it. Each
user's are its own (``usecases.access.owner``)."""

from __future__ import annotations

import inspect
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.views import PetitionQuery
from api.web.pages import overview
from api.web.pages.common import Page, PageDep, PageProblem, redirect, text
from domain.messages import say
from stores.saved_filters import NAME_MAX, PER_PAGE, FilterRefused
from usecases import access
from usecases.access import UseCase

router = APIRouter(include_in_schema=False)

# The pages whose filters are saved: the use case each serves, and the query parameters
# that make its filter (those the page reads, but paging and the notices).
FILTER_PAGES: dict[str, tuple[UseCase, frozenset[str]]] = {
    "petitions": (
        UseCase.LIST_PETITIONS,
        frozenset(PetitionQuery.model_fields) | {"organisation"},
    ),
    "board": (
        UseCase.OVERDUE_BOARD,
        frozenset(inspect.signature(overview.board).parameters) - {"page", "offset", "done"},
    ),
}


# Why a filter was not saved, as the page says it.
REFUSALS = {
    "name": f"Tên bộ lọc cần có từ 1 đến {NAME_MAX} ký tự",
    "too_long": "Bộ lọc quá dài để lưu",
    "too_many": f"Mỗi trang giữ tối đa {PER_PAGE} bộ lọc: hãy xóa bớt bộ lọc cũ",
}


def filter_query(page_name: str, query: str) -> str:
    """The filter of ``query`` as the page reads it: its own parameters, filled, in order."""
    keys = FILTER_PAGES[page_name][1]
    return urlencode(sorted((k, v) for k, v in parse_qsl(query) if k in keys and v.strip()))


def saved_of(page: Page, page_name: str) -> list[dict[str, Any]]:
    """The user's saved filters of the page (what the page lists)."""
    return page.service.filters.of(access.owner(page.principal), page_name)


def admitted(page: Page, page_name: str) -> None:
    if page_name not in FILTER_PAGES:
        raise PageProblem("not_found", say("page.no_filters"))
    page.admit(UseCase.SAVED_FILTERS)
    page.admit(FILTER_PAGES[page_name][0])


@router.post("/filters/{page_name}")
async def save_filter(page_name: str, page: PageDep) -> Response:
    admitted(page, page_name)
    form = await page.posted()
    query = filter_query(page_name, text(form, "query"))
    owner = access.owner(page.principal)
    try:
        await run_in_threadpool(
            page.service.filters.save, owner, page_name, text(form, "name"), query
        )
    except FilterRefused as refused:
        message = REFUSALS[refused.reason]
        raise PageProblem("validation_error", message, fields={"name": message}) from None
    return redirect(f"/{page_name}", **dict(parse_qsl(query)), done="filter_saved")


@router.post("/filters/{page_name}/delete")
async def delete_filter(page_name: str, page: PageDep) -> Response:
    admitted(page, page_name)
    form = await page.posted()
    owner = access.owner(page.principal)
    gone = await run_in_threadpool(
        page.service.filters.delete, owner, page_name, text(form, "name")
    )
    if not gone:
        raise PageProblem("not_found", say("page.no_such_filter"))
    return redirect(f"/{page_name}", done="filter_deleted")
