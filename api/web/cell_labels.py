"""What the pages call a cell's secretary and the pages it reads, in Vietnamese
(translated where shown): merged into ``api.web.labels``' tables."""

from __future__ import annotations

from api.web.i18n import N_
from domain.vocabulary import Role

CELL_ROLES = {Role.SECRETARY: N_("Bí thư chi bộ")}
# The secretary's menu: its cell's petitions and the month's answer register.
CELL_NAV = {
    Role.SECRETARY: (
        ("/cell", N_("Ý kiến của chi bộ")),
        ("/registers/answers", N_("Sổ trả lời hằng tháng")),
    ),
}
