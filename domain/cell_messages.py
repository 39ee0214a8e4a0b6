"""The English refusals of a cell's secretary and of the monthly answer register (merged
into ``domain.messages.ENGLISH``; ``api.cell_messages`` says them in Vietnamese)."""

from __future__ import annotations

CELL_ENGLISH: dict[str, str] = {
    "actor.cell": "{field}: a cell's secretary names exactly one party cell; other roles none",
    "cell.unknown": "{field}: no party cell {code} that you may see",
    "register.month": "{field}: a month is written YYYY-MM",
    "forbidden.register": "You may read the answer register of your own organisation only",
}
