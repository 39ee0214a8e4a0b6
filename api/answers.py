"""An answer's body, JSON or a multipart form carrying the signed letters, read into
the command of its use case: an answer in writing, or one given on the spot."""

from __future__ import annotations

import email.message
import json
import re
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from api.bodies import command_from
from api.problems import Problem
from api.schemas import AnswerCreate
from domain.messages import say
from stores.attachments import EXTENSIONS, LETTERS_MAX, Letter, LetterRefused, measure
from stores.tokens import Principal
from usecases import access
from usecases.access import UseCase
from usecases.commands import AnswerInWriting, AnswerOnTheSpot

LETTER_FIELD = "letter"
MULTIPART = "multipart/form-data"


def form_schema() -> dict[str, Any]:
    """The multipart form of an answer: the JSON body's fields as form fields (a form has
    no null), and the signed letters as ``letter`` files."""
    schema = AnswerCreate.model_json_schema()
    properties: dict[str, Any] = {}
    for name, field in schema["properties"].items():
        choices = [c for c in field.get("anyOf", [field]) if c.get("type") != "null"]
        properties[name] = {k: v for k, v in field.items() if k not in ("anyOf", "default")}
        properties[name].update(choices[0])
    properties[LETTER_FIELD] = {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "maxItems": LETTERS_MAX,
        "description": "A signed letter: PDF, PNG or JPEG (told by its first bytes), at most "
        "MAX_UPLOAD_BYTES each",
    }
    return {
        "type": "object",
        "properties": properties,
        "required": schema["required"],
        "additionalProperties": False,
    }


ANSWER_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AnswerCreate.model_json_schema()},
            MULTIPART: {
                "schema": form_schema(),
                "encoding": {LETTER_FIELD: {"contentType": ", ".join(EXTENSIONS)}},
            },
        },
    }
}


def invalid(errors: Sequence[Any]) -> RequestValidationError:
    """A refusal of the body, as FastAPI words its own (the problem handler lists them)."""
    return RequestValidationError([{**e, "loc": ("body", *e.get("loc", ()))} for e in errors])


def media_type(request: Request) -> str:
    """The body's media type, without its parameters ("" if none is declared)."""
    header = request.headers.get("content-type")
    if not header:
        return ""
    message = email.message.Message()
    message["content-type"] = header
    return message.get_content_type()


async def answer_input(request: Request, limit: int) -> tuple[AnswerCreate, list[Letter]]:
    """The answer's fields, and its letters as measured (size and type by their first bytes,
    whatever the upload claims); nothing is stored here."""
    kind = media_type(request)
    if kind == MULTIPART:
        form = await request.form(max_files=LETTERS_MAX, max_fields=50)
        try:
            return await form_input(form, limit)
        finally:
            await form.close()
    if not re.fullmatch(r"application/([^/]+\+)?json", kind):
        raise Problem(
            "unsupported_media_type",
            say("answer.media_type"),
        )
    raw = await request.body()
    try:
        data = json.loads(raw) if raw else None
    except json.JSONDecodeError as error:
        raise invalid(
            [{"type": "json_invalid", "loc": (error.pos,), "msg": "JSON decode error", "input": {}}]
        ) from None
    except (ValueError, RecursionError):  # not UTF-8, UTF-16 or UTF-32; nested too deep
        raise HTTPException(400, say("http.body_unread")) from None
    if isinstance(data, dict) and "attachments" in data:
        raise Problem(
            "validation_error",
            say("answer.letters_in_json"),
            errors=[
                {"field": "attachments", "in": "body", "message": say("answer.upload_letter")}
            ],
        )
    try:
        return AnswerCreate.model_validate(data), []
    except ValidationError as error:
        raise invalid(error.errors()) from None


async def form_input(form: FormData, limit: int) -> tuple[AnswerCreate, list[Letter]]:
    fields: dict[str, str] = {}
    letters: list[Letter] = []
    wrong: list[dict[str, Any]] = []
    for name, value in form.multi_items():
        if name == LETTER_FIELD:
            if not isinstance(value, UploadFile):
                wrong.append({"type": "file", "loc": (name,), "msg": "must be a file"})
            elif value.filename or value.size:  # a browser sends an empty part for no file
                content = await value.read(limit + 1)
                try:
                    letters.append(measure(value.filename, content, limit))
                except LetterRefused as refused:
                    why = say(f"letter.{refused.reason}", name=refused.name, limit=limit)
                    raise Problem(
                        "validation_error",
                        why,
                        errors=[{"field": LETTER_FIELD, "in": "body", "message": why}],
                    ) from None
        elif isinstance(value, UploadFile):
            wrong.append({"type": "not_a_file", "loc": (name,), "msg": "must not be a file"})
        elif name in fields:
            wrong.append({"type": "repeated", "loc": (name,), "msg": "given more than once"})
        else:
            fields[name] = value
    if wrong:
        raise invalid(wrong)
    try:
        return AnswerCreate.model_validate(fields), letters
    except ValidationError as error:
        raise invalid(error.errors()) from None


def answer_command(
    petition_id: UUID,
    body: AnswerCreate,
    principal: Principal,
    version: int | None = None,
    letters: Sequence[Letter] = (),
) -> AnswerInWriting | AnswerOnTheSpot:
    """The command an answer's fields make: in writing, or on the spot. Whether the role
    may give that answer is asked first, before its fields are."""
    if body.mode == "written":
        access.check(principal.actor, UseCase.ANSWER_IN_WRITING)
        refuse_fields(body, ("answered_by", "meeting"), "answer.written_takes_not")
        # Blank is absent, as refuse_fields has it: an empty signer is no signer.
        missing = [
            f for f in ("document_number", "document_date", "signer") if not getattr(body, f)
        ]
        if missing:
            raise Problem(
                "validation_error",
                say("answer.written_needs", fields=tuple(missing)),
                errors=[
                    {"field": f, "in": "body", "message": say("field.missing")} for f in missing
                ],
            )
        return command_from(
            AnswerInWriting, petition_id, body, version, on=body.answered_on, letters=tuple(letters)
        )
    access.check(principal.actor, UseCase.ANSWER_ON_THE_SPOT)
    refuse_fields(body, ("document_number", "document_date", "signer"), "answer.spot_takes_not")
    if letters:
        raise Problem(
            "validation_error",
            say("answer.spot_letters"),
            errors=[{"field": LETTER_FIELD, "in": "body", "message": say("field.not_here")}],
        )
    if not body.answered_by:
        raise Problem(
            "validation_error",
            say("answer.spot_who"),
            errors=[{"field": "answered_by", "in": "body", "message": say("field.missing")}],
        )
    return command_from(AnswerOnTheSpot, petition_id, body, version, on=body.answered_on)


def refuse_fields(body: Any, fields: tuple[str, ...], refusal: str) -> None:
    """Refused (``refusal``, naming them) if the body gives any of ``fields``."""
    given = [f for f in fields if getattr(body, f)]
    if given:
        raise Problem(
            "validation_error",
            say(refusal, fields=tuple(given)),
            errors=[
                {"field": f, "in": "body", "message": say("field.not_here")} for f in given
            ],
        )
