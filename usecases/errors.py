"""The use cases' own refusals, beside the domain's (``domain.errors``)."""

from __future__ import annotations


class Refused(Exception):
    """A use case refused what it was asked, with the code the adapters answer under
    (``forbidden``, ``validation_error``, ``not_found``, ``views_behind``), what was wrong,
    each input at fault with why, and for a refusal worth retrying, after how many seconds.
    What was wrong and why are ``domain.messages.Message``s, said in the user's language by
    the adapters (``api.messages.render``)."""

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        fields: dict[str, str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail
        self.fields = dict(fields or {})
        self.retry_after = retry_after
