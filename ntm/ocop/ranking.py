"""Stars from a total, and a certificate's last valid day: pure functions.

The star bands of QĐ 148/QĐ-TTg (khoản 2 Điều 1), as data: a total of at
least the band's floor earns its stars (5★ 90–100, 4★ 70–< 90, 3★ 50–< 70,
2★ 30–< 50, 1★ < 30). Per-part minimum scores for a star are not confirmed
(domain facts §7) and are not applied.
"""

import calendar
import datetime
from decimal import Decimal

MAX_TOTAL = Decimal(100)
STAR_BANDS = (
    (Decimal(90), 5),
    (Decimal(70), 4),
    (Decimal(50), 3),
    (Decimal(30), 2),
    (Decimal(0), 1),
)


def stars_for(total):
    """The stars a total of 0–100 points earns; ValueError outside that range."""
    total = Decimal(str(total))
    if not Decimal(0) <= total <= MAX_TOTAL:
        raise ValueError(f"An OCOP total lies between 0 and 100, not {total}.")
    return next(stars for floor, stars in STAR_BANDS if total >= floor)


def add_months(day, months):
    """The same day ``months`` later, or that month's last day if it has none.

    A term counted in months ends on the corresponding day of its last month,
    or on that month's last day when it has no such day (Bộ luật Dân sự 2015,
    Điều 147–148): a certificate of 29/02/2024 valid 36 months runs to
    28/02/2027, one of 31/01/2023 to 31/01/2026.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))
