"""``user create``: an account from the command line, with a one-time password printed
once (or read from standard input with ``--password-stdin``), to be changed at the first
sign-in. The same rules as the admin's page (``usecases.accounts``); refusals name each
field with its reason, in Vietnamese as the pages say it, and change nothing."""

from __future__ import annotations

import argparse
import sys

from api.web.pages.account import FAULTS_BY_VALUE
from cli.processes import token_organisation
from domain.actors import Role
from service.bootstrap import bootstrap
from service.settings import Settings
from stores.accounts import By
from stores.tokens import TOKEN_ROLES, Principal
from usecases.accounts import AccountRequest
from usecases.errors import Refused


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser("user", help="accounts people sign in with").add_subparsers(
        dest="action", required=True
    )
    create = user.add_parser("create", help="create an account; prints its one-time password")
    create.add_argument("--username", required=True)
    create.add_argument("--full-name", required=True, help="the person's full name")
    create.add_argument("--role", required=True, choices=[r.value for r in TOKEN_ROLES])
    create.add_argument(
        "--organisation",
        help="the organisation (or the province) of the account; may be left out where the"
        " deployment holds one organisation below its province",
    )
    create.add_argument("--department", default="", help="the department of a department user")
    create.add_argument("--cell", default="", help="the party cell of a cell's secretary")
    create.add_argument("--position", default="", help="the person's position (chức vụ)")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the one-time password from standard input instead of making one",
    )
    create.set_defaults(handler=cmd_user_create)


def cmd_user_create(args: argparse.Namespace, settings: Settings) -> int:
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
    with bootstrap(settings) as service:
        province = service.app.province
        try:
            organisation = token_organisation(province, args.organisation)
        except ValueError as error:
            print(f"cannot create the account: {error}", file=sys.stderr)
            return 2
        # the command line acts for the whole deployment, recorded as no one signed in
        everyone = Principal("cli", "cli", Role.ADMIN, None, "cli", province.code)
        request = AccountRequest(
            username=args.username,
            full_name=args.full_name,
            role=args.role,
            organisation=organisation,
            department=args.department,
            position=args.position,
            cell=args.cell,
        )
        try:
            user_id, given = service.account_admin.create_as(By(), everyone, request, password)
        except Refused as refused:
            print("cannot create the account; nothing changed:", file=sys.stderr)
            for field, fault in refused.fields.items():
                said = FAULTS_BY_VALUE.get(fault, fault).replace(
                    "%(min)s", str(settings.password_min_length)
                )
                print(f"  - {field}: {said} ({fault})", file=sys.stderr)
            return 2
    print(f"user id:  {user_id}\nusername: {request.username.strip().lower()}")
    if password is None:
        print(f"one-time password: {given}\n(shown once; to be changed at the first sign-in)")
    else:
        print("one-time password: as given (to be changed at the first sign-in)")
    return 0
