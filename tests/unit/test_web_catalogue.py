"""The English catalogue translates every message the pages use: extracted from the
templates and the web modules as `make messages` does, each one has an English text with
the same placeholders, and none is left over from messages no longer used."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.web import i18n

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("api/web/**.py", "python"), ("api/web/templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def used_messages() -> set[str]:
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, options_map={}
        )
        if isinstance(message, str)
    }


def test_every_message_of_the_pages_has_an_english_translation() -> None:
    with i18n.catalogue_path("en").open("rb") as po:
        catalogue = read_po(po, locale="en")
    translated = {m.id: m.string for m in catalogue if m.id}
    used = used_messages()
    assert len(used) > 150
    missing = sorted(used - {k for k, v in translated.items() if v})
    assert not missing, f"untranslated (run make messages, then translate): {missing}"
    unused = sorted(set(translated) - used)
    assert not unused, f"no longer used (run make messages): {unused}"
    for source, english in translated.items():
        assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(english)), source


# letters only Vietnamese writes: an English text holding one ran into a Vietnamese text, as
# a merge of the catalogue once glued two entries together
VIETNAMESE_LETTERS = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)


def test_no_english_text_runs_into_vietnamese() -> None:
    with i18n.catalogue_path("en").open("rb") as po:
        catalogue = read_po(po, locale="en")
    mixed = [m.id for m in catalogue if m.id and VIETNAMESE_LETTERS.search(str(m.string))]
    assert not mixed, f"English texts with Vietnamese in them: {mixed}"


def test_the_english_pages_say_it_in_english() -> None:
    english = i18n.load("en")
    assert english.gettext("Đăng nhập") == "Sign in"
    assert english.gettext("Ý kiến quá hạn") == "Overdue petitions"
    assert i18n.load("vi").gettext("Đăng nhập") == "Đăng nhập"
