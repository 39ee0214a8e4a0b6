"""Languages of the web pages. The templates and labels are written in Vietnamese, the
default; the English catalogue (``locale/en/LC_MESSAGES/messages.po``, kept with Babel)
translates them. The catalogue is compiled in memory at start-up, so no binary is committed."""

from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT = "vi"


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


def load(language: str) -> gettext.NullTranslations:
    """The translations for ``language``: none needed for Vietnamese, the source language."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def N_(message: str) -> str:  # the gettext convention: marked, translated later
    """Marks a label for the catalogue; it is translated where it is shown."""
    return message
