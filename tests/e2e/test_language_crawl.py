"""Every page and every refusal says it in Vietnamese.

Each role signs in with the page's language cookie set to Vietnamese and follows every link
of every page it reaches (this origin, GET, bounded), and sends each form it finds wrong:
empty, a date that is none (31/02/2026), a text too long. Mistyped addresses and wrong
queries are asked for as a browser asks. The API is called on each route of its OpenAPI
document with wrong bodies, queries and ids. What a person reads of each page and each
problem document (``tests.e2e.language``) must hold no English word and no raw field code.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from uuid import UUID

import httpx
import pytest

from domain.actors import Actor, Role
from service.bootstrap import Service
from service.database import Database
from tests.e2e import language
from tests.e2e.conftest import DEPARTMENT, Live, live_service, web_client
from usecases.commands import Context, PetitionDraft
from usecases.meetings import HoldMeeting, ScheduleMeeting

pytestmark = pytest.mark.integration

TWO_COMMUNES = Path(__file__).parents[1] / "fixtures" / "two_communes.json"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
BROWSER = {"Accept": HTML, "Accept-Language": "vi-VN,vi;q=0.9"}
API = {"Accept": "application/json", "Accept-Language": "vi"}

MAX_PAGES = 90  # pages read per person
MAX_OF_A_SHAPE = 2  # pages of one route (a petition's page: two petitions)
MAX_FORMS = 40  # forms sent wrong per person
NOT_A_DATE = "31/02/2026"
TOO_LONG = "Nội dung quá dài " * 400  # 6,800 characters
NONE_SUCH = "ma-khong-ton-tai"  # a code of nothing (shown back in refusals: no English in it)
# Links and forms the crawl leaves alone: those that sign out, switch the language, or
# that with any input act on the crawl's own sign-in (its password, second factor).
LEFT = re.compile(r"^/(signout|lang/|static/|account/password|account/second-factor)")
UUID_OR_NUMBER = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{64}|\d+")

# who signs in: (role, department, organisation or None for the deployment's, full name)
DISTRICT_PEOPLE = {
    "van-thu": (Role.CLERK, None, None, "Nguyễn Thị Văn"),
    "thuong-vu": (Role.COMMITTEE, None, None, "Trần Văn Thường"),
    "phong-ban": (Role.DEPARTMENT, DEPARTMENT, None, "Lê Thị Phòng"),
    "kiem-tra": (Role.AUDITOR, None, None, "Phạm Văn Kiểm"),
    "quan-tri": (Role.ADMIN, None, None, "Hoàng Thị Trị"),
}
PROVINCE_PEOPLE = {
    "tinh-thuong-vu": (Role.COMMITTEE, None, "tinh-thu", "Đỗ Văn Tỉnh"),
    "tinh-kiem-tra": (Role.AUDITOR, None, "tinh-thu", "Vũ Thị Soát"),
    "tinh-quan-tri": (Role.ADMIN, None, "tinh-thu", "Bùi Văn Quản"),
    "xa-phong-ban": (Role.DEPARTMENT, "an-kinh-te", "xa-an", "Ngô Thị Xã"),
}


def people(service: Service, who: dict[str, tuple[Role, str | None, str | None, str]]) -> Any:
    """A token for each person of ``who`` (the API's calls are theirs)."""

    def made(_: Service) -> dict[str, str]:
        return {
            name: service.tokens.create(
                role=role, department=department, name=name, organisation=organisation
            )[1]
            for name, (role, department, organisation, _full) in who.items()
        }

    return made


def make_live(
    database: Database, factory: pytest.TempPathFactory, who: dict[str, Any], **seed: Any
) -> Iterator[Live]:
    def tokens(service: Service) -> dict[str, str]:
        return dict(people(service, who)(service))

    for live in live_service(database, factory, tokens=tokens, **seed):
        for name, (role, department, _, full_name) in who.items():
            principal = live.service.tokens.authenticate(live.tokens[name])
            assert principal is not None
            password = f"mk-{uuid.uuid4().hex}"
            live.service.accounts.create(
                username=name,
                full_name=full_name,
                position="Chuyên viên",
                role=role,
                department=department,
                organisation=principal.organisation or "",
                password=password,
                must_change=False,
            )
            live.accounts[name] = (name, password)
        yield live


@pytest.fixture(scope="module")
def district(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    for live in make_live(database, tmp_path_factory, DISTRICT_PEOPLE):
        petitions_of_every_state(live)
        yield live


@pytest.fixture(scope="module")
def province(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    yield from make_live(database, tmp_path_factory, PROVINCE_PEOPLE, seed=TWO_COMMUNES)


def petitions_of_every_state(live: Live) -> None:
    """Petitions raised, assigned, answered and closed, so their pages show each part (a
    timeline, an answer), by the crawl's own people (their ids are on the audit's pages)."""
    app = live.service.app
    today = app.today()
    clerk = Context(Actor("van-thu", Role.CLERK))
    committee = Context(Actor("thuong-vu", Role.COMMITTEE))
    department = Context(Actor("phong-ban", Role.DEPARTMENT, DEPARTMENT))

    def raised(summary: str, category: str, days_ago: int = 0) -> UUID:
        draft = PetitionDraft(
            kind="proposal",
            category=category,
            summary=summary,
            text=summary + ".",
            cell=next(iter(app.district.cells)),
            raised_by="Nguyễn Văn Thử",
            channel="meeting",
            meeting="Giao ban",
            raised_on=today - timedelta(days=days_ago),
        )
        return app.raise_petition(draft, clerk).id

    raised("Mương thoát nước thôn 4 bị lấp", "environment")
    assigned = raised("Cầu tràn thôn 2 sạt lở", "transport", days_ago=40)
    app.assign(assigned, committee, department=DEPARTMENT, on=today - timedelta(days=39))
    answered = raised("Đường liên thôn xuống cấp", "transport", days_ago=9)
    app.assign(answered, committee, department=DEPARTMENT)
    app.answer_in_writing(
        answered,
        department,
        text="Đã khảo sát, sẽ sửa trong quý tới.",
        document_number="12/KTHT",
        document_date=today,
        signer="Trưởng phòng",
        on=today,
    )
    closed = raised("Nhà văn hóa thôn 5 dột mái", "services")
    app.close_petition(closed, committee, reason="Đã giải quyết")
    meetings_of_every_part(live, clerk)


def meetings_of_every_part(live: Live, clerk: Context) -> None:
    """A briefing scheduled (its page offers the notice, agenda and attendance forms) and
    one held (its minutes and closing forms, its attendance table), so the crawl sends
    each meeting form wrong."""
    app, meetings = live.service.app, live.service.meetings
    today = app.today()
    cell = next(iter(app.district.cells))
    zone = app.district.zone_of_cell(cell).code
    meetings.execute(ScheduleMeeting(kind="briefing", zone=zone, scheduled_on=today), clerk)
    held = meetings.execute(ScheduleMeeting(kind="briefing", zone=zone, scheduled_on=today), clerk)
    attendance = ({"role": "secretary", "cell": cell, "status": "late", "minutes_late": 5},)
    meetings.execute(HoldMeeting(meeting_id=held.id, chair="Bí thư", attendance=attendance), clerk)


# ---- reading pages --------------------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: list[dict[str, str]] = field(default_factory=list)  # name, kind, value, type


class Links(HTMLParser):
    """The links and forms of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.select: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {k: v or "" for k, v in attrs}
        if tag == "a" and given.get("href"):
            self.links.append(given["href"])
        elif tag == "form":
            self.forms.append(Form(given.get("method", "get").upper(), given.get("action", "")))
        elif tag in ("input", "textarea", "select", "button") and self.forms and "name" in given:
            kind = given.get("type", "text").lower() if tag == "input" else tag
            entry = {"name": given["name"], "kind": kind, "value": given.get("value", "")}
            # a date field (``macros.date_input``) shows how a date is written
            entry["date"] = "date" if "dd/mm/yyyy" in given.get("placeholder", "") else ""
            self.forms[-1].fields.append(entry)
            if tag == "select":
                self.select = entry
        elif tag == "option" and self.select is not None and not self.select["value"]:
            self.select["value"] = given.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None


def shape(url: str) -> str:
    """A route and its query's names: the pages of one route alike."""
    parts = urlsplit(url)
    names = sorted({k for k, _ in parse_qsl(parts.query)})
    return UUID_OR_NUMBER.sub("#", parts.path) + "?" + "&".join(names)


@dataclass
class Crawl:
    """What one signed-in person reads, and every English word found in it."""

    client: httpx.Client
    who: str
    found: dict[str, tuple[str, language.Finding]]  # text -> (where, finding): once each
    seen: set[str] = field(default_factory=set)
    shapes: Counter[str] = field(default_factory=Counter)
    forms: set[str] = field(default_factory=set)
    read: int = 0

    def note(self, where: str, findings: list[language.Finding]) -> None:
        for finding in findings:
            self.found.setdefault(finding.text, (f"{self.who} {where}", finding))

    def check(self, where: str, answer: httpx.Response) -> str | None:
        """The answer's HTML, its English noted; a problem document's too."""
        kind = answer.headers.get("content-type", "")
        if kind.startswith("text/html"):
            self.note(where, language.in_page(answer.text))
            return answer.text
        if "json" in kind and answer.status_code >= 400:
            self.note(where, language.in_problem(answer.json()))
            if answer.request.method == "GET" and "problem" in kind:  # a browser's: a page
                self.note(where, [language.Finding(f"{kind} {answer.status_code}", ("JSON",))])
        return None

    def local(self, base: str, href: str) -> str | None:
        target = urljoin(base, href.split("#", 1)[0])
        parts = urlsplit(target)
        if (
            not href
            or href.startswith(("mailto:", "javascript:"))
            or parts.netloc != urlsplit(str(self.client.base_url)).netloc
        ):
            return None
        if LEFT.match(parts.path):
            return None
        return parts.path + ("?" + parts.query if parts.query else "")

    def walk(self, *starts: str) -> None:
        queue = list(starts)
        while queue and self.read < MAX_PAGES:
            url = queue.pop(0)
            if url in self.seen or self.shapes[shape(url)] >= MAX_OF_A_SHAPE:
                continue
            self.seen.add(url)
            self.shapes[shape(url)] += 1
            answer = self.client.get(url, headers=BROWSER)
            self.read += 1
            html = self.check(f"GET {url}", answer)
            if html is None:
                continue
            page = Links()
            page.feed(html)
            here = str(answer.url)
            for href in page.links:
                found = self.local(here, href)
                if found is not None:
                    queue.append(found)
            for form in page.forms:
                self.send_wrong(here, form)

    def send_wrong(self, here: str, form: Form) -> None:
        action = self.local(here, form.action or here)
        shown = [f for f in form.fields if f["kind"] not in ("hidden", "submit", "button")]
        if action is None or not shown or len(self.forms) >= MAX_FORMS:
            return
        key = f"{form.method} {shape(action)} {sorted(f['name'] for f in shown)}"
        if key in self.forms:
            return
        self.forms.add(key)
        for wrong in ("empty", "wrong"):
            data: list[tuple[str, str]] = []
            for f in form.fields:
                if f["kind"] in ("hidden",):
                    data.append((f["name"], f["value"]))
                elif f["kind"] in ("submit", "button", "checkbox", "radio", "file"):
                    continue
                elif wrong == "empty":
                    data.append((f["name"], ""))
                elif f["date"]:
                    data.append((f["name"], NOT_A_DATE))
                elif f["kind"] == "select":
                    data.append((f["name"], f["value"] or NONE_SUCH))
                elif f["kind"] == "number":
                    data.append((f["name"], "-1"))
                else:  # too long for a field, not for an address
                    data.append((f["name"], TOO_LONG if form.method == "POST" else TOO_LONG[:300]))
            if form.method == "GET":
                url = action.split("?", 1)[0] + "?" + urlencode(data)
                answer = self.client.get(url, headers=BROWSER)
                self.check(f"GET {url[:200]} ({wrong})", answer)
            else:
                answer = self.client.post(action, data=dict(data), headers=BROWSER)
                self.check(f"POST {action} ({wrong})", answer)


MISTYPED = [
    "/khong-co-trang-nay",
    "/petitions/khong-phai-ma",
    f"/petitions/{uuid.UUID(int=1)}",
    "/lookup",
    "/lookup?petition=abc",
    "/lookup?petition=KN-1999-9999",
    "/petitions?raised_from=31/02/2026",
    "/exports/petitions?raised_from=31/02/2026",
    "/exports/petitions?format=docx",
    "/exports/overdue?on=abc",
    "/admin/reference/khong-co",
]


def crawl(live: Live, who: str, found: dict[str, tuple[str, language.Finding]]) -> Crawl:
    client, answer = web_client(live, who)
    assert answer.status_code in (200, 303), answer.text[:500]
    client.cookies.set("lang", "vi")
    walker = Crawl(client, who, found)
    walker.walk("/", *MISTYPED)
    for path in MISTYPED[:2]:  # a form sent to a page that has none
        walker.check(f"POST {path}", client.post(path, data={"x": "1"}, headers=BROWSER))
    client.close()
    return walker


# ---- the API ------------------------------------------------------------------------------


def wrong_value(schema: dict[str, Any], long: int = 20_000) -> Any:
    """A value the schema refuses: a date that is none, a word for a number, too long."""
    kind = schema.get("type")
    if schema.get("format") in ("date", "date-time"):
        return "2026-02-31"
    if "enum" in schema:
        return NONE_SUCH
    if kind in ("integer", "number"):
        return "muoi"
    if kind == "boolean":
        return "co-le"
    if kind == "array":
        return "khong-phai-danh-sach"
    return "x" * long


def parameter_schema(parameter: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = parameter.get("schema", {})
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return {**option, **{k: v for k, v in schema.items() if k != "anyOf"}}
    return schema


def body_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        found: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return found
    return schema


def api_calls(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Each operation called wrong: (method, path, httpx's keyword arguments)."""
    for template, operations in document["paths"].items():
        if not template.startswith("/v1"):
            continue
        for method, operation in operations.items():
            params = [parameter_schema(p) | {"name": p["name"], "in": p["in"]}
                      for p in operation.get("parameters", [])]  # fmt: skip
            path = template
            for p in params:
                if p["in"] == "path":
                    given = str(uuid.uuid4()) if p.get("format") == "uuid" else NONE_SUCH
                    path = path.replace("{" + p["name"] + "}", given)
            query = {p["name"]: wrong_value(p, 300) for p in params if p["in"] == "query"}
            headers = {p["name"]: "khong-hop-le" for p in params if p["in"] == "header"}
            yield method.upper(), path, {"params": query, "headers": headers}
            if method.upper() in ("POST", "PUT", "PATCH"):
                schema = body_schema(document, operation)
                properties = schema.get("properties", {})
                yield method.upper(), path, {"json": {}}
                yield (
                    method.upper(),
                    path,
                    {"json": {k: wrong_value(parameter_schema({"schema": v}))
                              for k, v in properties.items()}},
                )  # fmt: skip
                yield method.upper(), path, {"content": b"{", "headers": {"Content-Type": "a/b"}}


def call_api(live: Live, found: dict[str, tuple[str, language.Finding]]) -> int:
    document = httpx.get(live.url + "/openapi.json").json()
    calls = 0
    for who in (*live.tokens, None):
        headers = dict(API)
        if who is not None:
            headers["Authorization"] = f"Bearer {live.tokens[who]}"
        with httpx.Client(base_url=live.url, headers=headers, timeout=30) as client:
            for method, path, options in api_calls(document):
                extra = options.pop("headers", {})
                answer = client.request(method, path, headers={**headers, **extra}, **options)
                options["headers"] = extra
                calls += 1
                kind = answer.headers.get("content-type", "")
                if answer.status_code >= 400:
                    assert "problem+json" in kind, (method, path, answer.status_code, kind)
                    for finding in language.in_problem(answer.json()):
                        found.setdefault(finding.text, (f"{who} {method} {path}", finding))
    return calls


# ---- the test -------------------------------------------------------------------------------


def test_every_page_and_refusal_is_in_vietnamese(district: Live, province: Live) -> None:
    started = time.monotonic()
    found: dict[str, tuple[str, language.Finding]] = {}
    read = sent = 0
    for live, who in (
        *((district, w) for w in DISTRICT_PEOPLE),
        *((province, w) for w in PROVINCE_PEOPLE),
    ):
        walker = crawl(live, who, found)
        read, sent = read + walker.read, sent + len(walker.forms)
        print(f"{who}: {walker.read} pages, {len(walker.forms)} forms")
        assert walker.read > 5, (who, walker.seen)
    with httpx.Client(base_url=district.url, headers=BROWSER) as anonymous:
        anonymous.cookies.set("lang", "vi")
        signin = Crawl(anonymous, "anonymous", found)
        signin.walk("/signin", *MISTYPED[:3])
        signin.check("GET /signin/code", anonymous.get("/signin/code", headers=BROWSER))
    calls = call_api(district, found) + call_api(province, found)
    took = time.monotonic() - started
    listed = "\n".join(f"{where}: {finding}" for where, finding in found.values())
    print(f"read {read} pages, sent {sent} forms wrong, called the API {calls} times, {took:.0f} s")
    assert read > 150 and sent > 20 and calls > 200
    assert not found, f"{len(found)} texts with English or field codes:\n{listed}"
