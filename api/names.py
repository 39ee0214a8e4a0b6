"""Codes to the names people read, across every organisation of the deployment (a code
names one thing in a deployment, so one look-up serves a petition of any organisation and
the province's department that answered it); an unknown code is shown as it is."""

from __future__ import annotations

from domain.organisations import WORDS, LevelWords
from domain.reference import Province


class Names:
    def __init__(self, province: Province) -> None:
        self.province = province
        refs = province.references.values()
        self.zones = {code: z.name for r in refs for code, z in r.zones.items()}
        self.communes = {code: c.name for r in refs for code, c in r.communes.items()}
        self.cells = {code: c.name for r in refs for code, c in r.cells.items()}
        # where each cell is: its commune's name, else its zone's
        self.places = {
            code: self.communes.get(c.commune) or self.zones.get(c.zone or "")
            for r in refs
            for code, c in r.cells.items()
        }
        self.departments = {code: d.name for r in refs for code, d in r.departments.items()}
        self.categories = {code: c for r in refs for code, c in r.categories.items()}

    @staticmethod
    def named(table: dict[str, str], code: str | None) -> str | None:
        return None if code is None else table.get(code, code)

    def zone(self, code: str | None) -> str | None:
        return self.named(self.zones, code)

    def commune(self, code: str | None) -> str | None:
        return self.named(self.communes, code)

    def cell(self, code: str | None) -> str | None:
        """A cell as people read it: with its commune, or its zone where it names none
        ("Chi bộ Thôn 8 – xã Tà Hừa"), since every commune has a Thôn 1 to 8. Every page,
        export and packet shows a cell this way."""
        name = self.named(self.cells, code)
        place = self.places.get(code or "")
        return f"{name} – {in_running_text(place)}" if name and place else name

    def department(self, code: str | None) -> str | None:
        return self.named(self.departments, code)

    def category(self, code: str | None) -> str | None:
        found = self.categories.get(code) if code is not None else None
        return found.label if found is not None else code

    def organisation(self, code: str | None) -> str | None:
        found = self.province.organisations.get(code) if code is not None else None
        return found.name if found is not None else code

    def words(self, code: str | None) -> LevelWords:
        """How the organisation ``code`` names its bodies (the province's words for an
        unknown one)."""
        found = self.province.organisations.get(code or "") or self.province.province
        return WORDS[found.level]


# A place's name begins with what it is; within a phrase that word is written in lower case
# ("Chi bộ Thôn 8 – xã Tà Hừa"), a proper name keeps its capitals.
PLACE_WORDS = ("Xã", "Phường", "Thị trấn", "Đặc khu", "Khu vực", "Cụm", "Khu", "Thôn", "Tổ")


def in_running_text(place: str) -> str:
    """A place's name as it reads after a cell's: its leading kind of place in lower case."""
    for word in PLACE_WORDS:
        if place.startswith(word + " "):
            return word.lower() + place[len(word) :]
    return place
