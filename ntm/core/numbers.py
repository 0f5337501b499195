"""Numbers as Vietnamese officials write them: 8.250 hộ, 83,58 %, 1.500.000 đồng.

Every page, document and message formats numbers here, so a figure reads the
same on the scorecard, in the DOCX report and in the XLSX annex. The
notation does not depend on the active language (an English page still shows
Vietnamese figures; the documents are Vietnamese administrative papers), and
rounding is half-up, as officials round by hand: 83,585 → 83,59, never the
banker's 83,58 nor Django's truncation to 83,5.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

EMPTY = "—"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
# Shares and averages are read to two places ("83,58 %"); more is noise.
DEFAULT_DECIMALS = 2


def to_decimal(value):
    """``value`` as a Decimal, or None when it is empty or not a number.

    Strings are read in machine notation ("83.58", as stored in JSON);
    floats through their shortest repr, so 2.675 is 2.675 and not
    2.67499999….
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(repr(value) if isinstance(value, float) else str(value))
        except (InvalidOperation, ValueError):
            return None
    return number if number.is_finite() else None


def round_half_up(value, decimals=0):
    """``value`` rounded to ``decimals`` places, halves away from zero."""
    number = to_decimal(value)
    if number is None:
        return None
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value, decimals=None, *, grouping=True, empty=EMPTY):
    """8250 -> "8.250"; 83.585 -> "83,59"; None -> "—".

    ``decimals=None`` writes whole numbers without decimals and others with
    at most two, trailing zeros dropped (85.50 -> "85,5"); a number of
    ``decimals`` writes exactly that many (``format_number(2, 2)`` -> "2,00").
    ``grouping=False`` leaves out the thousands dots, as a value is typed
    back into a form ("1234,5"). Anything that is not a number is returned
    as text unchanged.
    """
    number = to_decimal(value)
    if number is None:
        return empty if value is None or value == "" else str(value)
    if decimals is None:
        number = round_half_up(number, DEFAULT_DECIMALS)
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        else:
            number = number.normalize()
    else:
        number = round_half_up(number, decimals)
    if number == 0:
        number = abs(number)  # no "-0" after rounding -0,001
    sign, digits = ("-", -number) if number < 0 else ("", number)
    whole, _dot, fraction = f"{digits:f}".partition(".")
    if grouping:
        whole = _group(whole)
    return sign + whole + (DECIMAL_SEPARATOR + fraction if fraction else "")


def plain_number(value):
    """A value as it is typed back into a form: 85.5000 -> "85,5", exact.

    Nothing is rounded or grouped: the form must give back the stored value.
    """
    number = to_decimal(value)
    if number is None:
        return ""
    number = number.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return f"{number:f}".replace(".", DECIMAL_SEPARATOR)


def format_percent(value, decimals=None, *, empty=EMPTY):
    """83.585 -> "83,59 %"; None -> "—"."""
    text = format_number(value, decimals, empty=empty)
    return text if to_decimal(value) is None else f"{text} %"


def format_money(value, *, empty=EMPTY):
    """1500000 -> "1.500.000 đồng" (whole đồng)."""
    if to_decimal(value) is None:
        return format_number(value, empty=empty)
    return _("%s đồng") % format_number(value, 0)


def format_quantity(value, measure, *, empty=EMPTY):
    """A value of a given kind: "percent", "money", "boolean", else a number.

    The kinds are the indicator engine's measures; a yes/no value reads
    "Có"/"Không".
    """
    if to_decimal(value) is None:
        return format_number(value, empty=empty)
    if measure == "boolean":
        return _("Có") if to_decimal(value) else _("Không")
    if measure == "percent":
        return format_percent(value)
    if measure == "money":
        return format_money(value)
    return format_number(value)


def format_day(moment, *, empty=EMPTY):
    """The local day of a moment as officials write it: 31/12/2025."""
    if moment is None:
        return empty
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def _group(whole):
    head = len(whole) % 3 or 3
    groups = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
    return THOUSAND_SEPARATOR.join(groups)
