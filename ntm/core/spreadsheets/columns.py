"""What a spreadsheet holds: sheets of typed columns, and the yes/no words.

A ``Sheet`` is the contract between an app's template, its export and its
import: the same columns are written and read back, so an exported file can
be edited and imported again.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from ..text import fold


class Kind(StrEnum):
    """How a column's cells are written (number format) and read (parsing)."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    # Whole đồng, grouped by thousands.
    MONEY = "money"
    # Written as a fraction with a % format; callers pass 83.58 for 83,58 %.
    PERCENT = "percent"
    DATE = "date"
    YES_NO = "yes_no"
    # One label of ``Column.choices``; CHOICES is several, separated by ";".
    CHOICE = "choice"
    CHOICES = "choices"


# The one yes/no vocabulary of every import, folded (no diacritics, lower
# case). A blank cell is "no" (``BLANK_IS``), unless the column is required,
# in which case it is a missing value. Exports write YES_LABEL / NO_LABEL.
YES_WORDS = frozenset({"co", "c", "x", "1", "yes", "y", "true"})
NO_WORDS = frozenset({"khong", "k", "0", "no", "n", "false"})
BLANK_IS = False
YES_LABEL = _("có")
NO_LABEL = _("không")
YES_NO_HELP = _("có / không (hoặc x, 1, 0); để trống là không.")


# The words as they are usually typed, read without folding (a register
# has three yes/no columns on tens of thousands of rows).
TYPED = {
    **dict.fromkeys(["có", "Có", "CÓ", "x", "X", "1", "c", "C"], True),
    **dict.fromkeys(["không", "Không", "KHÔNG", "0", "k", "K"], False),
}


def parse_yes_no(value):
    """True, False, or None when ``value`` is not a yes/no word (blank: BLANK_IS)."""
    if isinstance(value, str) and value in TYPED:
        return TYPED[value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        value = str(int(value)) if float(value).is_integer() else str(value)
    word = fold(value or "")
    if not word:
        return BLANK_IS
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str = ""
    required: bool = False
    width: int = 16
    kind: Kind = Kind.TEXT
    # A TextChoices class for CHOICE / CHOICES columns: its codes and its
    # Vietnamese labels are both accepted; exports write the labels.
    choices: type | None = None
    # Written for people (a village's name beside its code); never read back.
    informative: bool = False
    # An Excel number format overriding the kind's (e.g. "0.000000").
    number_format: str = ""
    # The name of a sheet of the same workbook whose first column lists the
    # accepted values (village codes): templates offer them in a drop-down.
    lookup: str = ""
    # The header this column had before its meaning was turned round
    # ("Đang đảm nhiệm" became "Đã thôi đảm nhiệm"): a file still carrying
    # it is refused instead of being read the wrong way.
    replaces: str = ""

    @property
    def title(self):
        """The header cell: required columns carry "(*)"."""
        return f"{self.header} (*)" if self.required else str(self.header)

    @property
    def hint(self):
        """The column's help, with what the kind accepts when it says nothing."""
        if self.help:
            return str(self.help)
        if self.kind == Kind.YES_NO:
            return str(YES_NO_HELP)
        if self.kind == Kind.DATE:
            return str(_("Ngày dạng dd/mm/yyyy."))
        if self.kind in (Kind.CHOICE, Kind.CHOICES) and self.choices is not None:
            labels = "; ".join(str(label) for _value, label in self.choices.choices)
            if self.kind == Kind.CHOICES:
                return str(_("Một hoặc nhiều trong: %(labels)s (cách nhau bởi ;).")) % {
                    "labels": labels
                }
            return str(_("Một trong: %(labels)s.")) % {"labels": labels}
        return ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: list = field(default_factory=list)
    # The top-left cell of the scrolling area: "C2" keeps two columns in view.
    freeze: str = "A2"

    def column(self, key):
        return next(column for column in self.columns if column.key == key)

    def header(self, key):
        return str(self.column(key).header)

    def letter(self, key):
        """The Excel column letter of ``key`` ("B")."""
        index = next(i for i, c in enumerate(self.columns) if c.key == key)
        return get_column_letter(index + 1)

    @property
    def readable(self):
        """The columns an import reads (the informative ones are skipped)."""
        return [column for column in self.columns if not column.informative]
