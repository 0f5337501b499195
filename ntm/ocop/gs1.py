"""GS1 numbers an OCOP entity or product may carry: GTIN, GLN, company prefix.

Vietnam's GS1 prefix is 893 (domain facts §4). A GTIN is stored as 14
digits (GTIN-8, -12 and -13 padded with leading zeros, as GS1 Digital Link
writes them); its last digit is the standard mod-10 check digit over the
others, as is a GLN's (13 digits). The traceability app builds its Digital
Link URIs from these.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

VIETNAM_PREFIX = "893"
GTIN_LENGTHS = (8, 12, 13, 14)
GLN_LENGTH = 13
# A GS1 company prefix is 4 to 12 digits long (with its country prefix).
COMPANY_PREFIX_LENGTHS = range(4, 13)


def check_digit(digits):
    """The GS1 mod-10 check digit of ``digits`` (the number without it).

    From the right, digits are weighted 3, 1, 3, 1 …; the check digit brings
    the weighted sum up to a multiple of ten.
    """
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(digits))
    )
    return str((10 - total % 10) % 10)


def has_valid_check_digit(number):
    return (
        number.isdigit() and len(number) >= 2 and check_digit(number[:-1]) == number[-1]
    )


def normalize_gtin(text):
    """``text`` as a 14-digit GTIN (spaces removed, zeros added), or ValidationError."""
    number = "".join((text or "").split())
    if not number.isdigit() or len(number) not in GTIN_LENGTHS:
        raise ValidationError(
            _("GTIN phải gồm 8, 12, 13 hoặc 14 chữ số."), code="gtin_length"
        )
    if not has_valid_check_digit(number):
        raise ValidationError(
            _("Số kiểm tra (chữ số cuối) của GTIN %(gtin)s không đúng."),
            code="gtin_check_digit",
            params={"gtin": number},
        )
    return number.zfill(14)


def validate_gtin14(value):
    """Model validator: a stored GTIN is 14 digits with its check digit."""
    if len(value) != 14:
        raise ValidationError(_("GTIN lưu dưới dạng 14 chữ số."), code="gtin_length")
    normalize_gtin(value)


def validate_gln(value):
    if not value.isdigit() or len(value) != GLN_LENGTH:
        raise ValidationError(_("GLN phải gồm 13 chữ số."), code="gln_length")
    if not has_valid_check_digit(value):
        raise ValidationError(
            _("Số kiểm tra (chữ số cuối) của GLN không đúng."), code="gln_check_digit"
        )


def validate_company_prefix(value):
    if not value.isdigit() or len(value) not in COMPANY_PREFIX_LENGTHS:
        raise ValidationError(
            _("Mã doanh nghiệp GS1 gồm 4 đến 12 chữ số (kể cả mã quốc gia 893)."),
            code="prefix_length",
        )
