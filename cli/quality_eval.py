"""``petitions quality-eval``: how well the answers' advisory score (``likely generic``)
matches the answers the cell secretaries flagged generic, from the read model of the
stored events: precision and recall over every verified written answer."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.summary import catch_up_all
from service.bootstrap import Service, bootstrap
from service.settings import Settings
from usecases.answer_quality import Evaluation, evaluate


def evaluation(service: Service, organisation: str | None = None) -> Evaluation:
    """The evaluation over the verified written answers (of ``organisation``, or all)."""
    organisations = None if organisation is None else frozenset({organisation})
    return evaluate(service.views.answer_quality.verified(organisations=organisations))


def lines(found: dict[str, Any]) -> list[str]:
    def percent(value: float | None) -> str:
        return "n/a" if value is None else f"{100 * value:.1f} %"

    return [
        f"Verified written answers: {found['verified']}",
        f"  likely generic (score >= {found['threshold']}): {found['likely_generic']}",
        f"  flagged generic by the secretaries: {found['flagged_generic']}",
        f"  both: {found['both']}",
        f"Precision: {percent(found['precision'])}",
        f"Recall: {percent(found['recall'])}",
    ]


def cmd_quality_eval(args: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings) as service:
        catch_up_all(service)
        found = evaluation(service, args.organisation).as_dict()
    print(json.dumps(found) if args.json else "\n".join(lines(found)))
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    evaluate_parser = sub.add_parser(
        "quality-eval",
        help="the answers' advisory score against the secretaries' generic flags",
    )
    evaluate_parser.add_argument("--organisation", help="one organisation's answers only")
    evaluate_parser.add_argument("--json", action="store_true", help="the figures as JSON")
    evaluate_parser.set_defaults(handler=cmd_quality_eval)
