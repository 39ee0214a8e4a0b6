"""A petition's number, the one people say ("KN-2026-0123"): the organisation's
``seq``-th petition raised (by date raised) in ``year``, written in the deployment's
format. The sequence itself is kept by the petition list's read model
(``projections.petition_list``), which says where it comes from and why."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

DEFAULT_FORMAT = "KN-{year}-{seq:04d}"
FIELDS = ("year", "seq")


@dataclass(frozen=True)
class NumberFormat:
    """A format such as ``KN-{year}-{seq:04d}``: both fields once, nothing else, and a
    number it writes reads back as the same year and sequence (a format that cannot say
    where the year ends and the sequence begins is refused)."""

    template: str = DEFAULT_FORMAT
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts: list[str] = []
        seen: list[str] = []
        try:
            parsed = list(string.Formatter().parse(self.template))
        except ValueError as error:
            raise ValueError(f"petition number format {self.template!r}: {error}") from None
        for literal, name, spec, conversion in parsed:
            parts.append(re.escape(literal))
            if name is None:
                continue
            if name not in FIELDS or conversion:
                raise ValueError(
                    f"petition number format {self.template!r}: only {{year}} and {{seq}}"
                    f" may be filled in, not {{{name}}}"
                )
            seen.append(name)
            parts.append(f"(?P<{name}>[0-9]+)")
            try:
                format(1, spec or "")
            except ValueError:
                raise ValueError(
                    f"petition number format {self.template!r}: {{{name}:{spec}}} is not"
                    " a format of a whole number"
                ) from None
        if sorted(seen) != sorted(FIELDS):
            raise ValueError(
                f"petition number format {self.template!r}: needs {{year}} and {{seq}} once each"
            )
        object.__setattr__(self, "pattern", re.compile("".join(parts), re.IGNORECASE))
        for year, seq in ((2026, 1), (2026, 123), (1999, 100_000)):
            if self.parse(self.format(year, seq)) != (year, seq):
                raise ValueError(
                    f"petition number format {self.template!r}: {self.format(year, seq)!r}"
                    " does not read back as its year and sequence"
                )

    def format(self, year: int, seq: int) -> str:
        return self.template.format(year=year, seq=seq)

    def parse(self, text: str) -> tuple[int, int] | None:
        """The year and sequence of a number as a person types it (any case, spaces
        around it); None for text that is no number."""
        found = self.pattern.fullmatch(text.strip())
        if found is None:
            return None
        year, seq = int(found["year"]), int(found["seq"])
        return (year, seq) if seq > 0 else None
