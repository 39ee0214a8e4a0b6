"""The monthly answer register as a signed file, and its offline check.

The file is one JSON document, ``{"register": ..., "signature": ...}``, written in one
canonical form (keys sorted, no spaces, UTF-8, a final newline): the register (the
organisation, the month, when it was made and its rows) and its Ed25519 signature by the
audit checkpoint key (``audit.keys``), over ``MESSAGE_PREFIX`` and the register's own
canonical form. The signature names the key's id and carries its public half, so the
file is checked anywhere, with no database: against a public key given (the one the
service publishes: ``petitions audit public-key``, ``GET /v1/audit/integrity``), or
against the key it carries, whose id the reader compares with the published one.

Any change to the file is found: it no longer parses, is no longer in its canonical form,
names another key than it carries, or its signature no longer matches."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from audit.keys import key_id, load_public_key, public_pem

FORMAT = "petitions-answer-register/1"
MESSAGE_PREFIX = b"petitions-answer-register\n"
ALGORITHM = "Ed25519"


class RegisterVerdict(StrEnum):
    INTACT = "INTACT"
    ALTERED = "ALTERED"


def canonical(value: Any) -> bytes:
    """The one form a JSON value is written and signed in."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signed_message(register: dict[str, Any]) -> bytes:
    return MESSAGE_PREFIX + canonical(register)


def signed_file(register: dict[str, Any], key: Ed25519PrivateKey) -> bytes:
    """The register (plain JSON values only) and its signature, as the file's bytes."""
    public = key.public_key()
    document = {
        "format": FORMAT,
        "register": register,
        "signature": {
            "algorithm": ALGORITHM,
            "key_id": key_id(public),
            "public_key": public_pem(public),
            "value": base64.b64encode(key.sign(signed_message(register))).decode(),
        },
    }
    return canonical(document) + b"\n"


@dataclass(frozen=True)
class RegisterCheck:
    verdict: RegisterVerdict
    reason: str
    key_id: str | None = None  # the id of the key the file says signed it
    against: str = "embedded"  # "given": a public key given; "embedded": the file's own
    rows: int | None = None

    def lines(self) -> list[str]:
        said = [self.verdict.value, self.reason]
        if self.key_id is not None:
            said.append(f"signed by key id {self.key_id} (checked against the {self.against} key)")
        if self.against == "embedded" and self.verdict is RegisterVerdict.INTACT:
            said.append(
                "compare that key id with the one the service publishes"
                " (petitions audit public-key), or pass --public-key"
            )
        return said


def altered(reason: str, **known: Any) -> RegisterCheck:
    return RegisterCheck(RegisterVerdict.ALTERED, reason, **known)


def verify_file(data: bytes, public_key: Ed25519PublicKey | None = None) -> RegisterCheck:
    """Whether ``data`` is a register file exactly as signed: by ``public_key`` if given,
    else by the key the file carries."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return altered("the file is not the JSON document it was written as")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return altered(f"the file is not an answer register ({FORMAT})")
    if canonical(document) + b"\n" != data:
        return altered("the file is not in the form it was signed in")
    register, signature = document.get("register"), document.get("signature")
    if not isinstance(register, dict) or not isinstance(signature, dict):
        return altered("the register or its signature is missing")
    named = signature.get("key_id")
    known: dict[str, Any] = {"key_id": named if isinstance(named, str) else None}
    try:
        carried = load_public_key(str(signature.get("public_key", "")).encode())
        value = base64.b64decode(str(signature.get("value", "")), validate=True)
    except (ValueError, TypeError, binascii.Error, UnsupportedAlgorithm):
        return altered("the signature's key or value is unreadable", **known)
    if base64.b64encode(value).decode() != signature.get("value") or public_pem(
        carried
    ) != signature.get("public_key"):
        return altered("the signature's key or value is not written as it was", **known)
    if signature.get("algorithm") != ALGORITHM or key_id(carried) != named:
        return altered("the signature names another key than it carries", **known)
    key, known["against"] = carried, "embedded"
    if public_key is not None:
        key, known["against"] = public_key, "given"
        if key_id(public_key) != named:
            return altered("the register was not signed with the public key given", **known)
    rows = register.get("rows")
    known["rows"] = len(rows) if isinstance(rows, list) else None
    try:
        key.verify(value, signed_message(register))
    except InvalidSignature:
        return altered("the signature does not match the register", **known)
    return RegisterCheck(RegisterVerdict.INTACT, "the register is as it was signed", **known)
