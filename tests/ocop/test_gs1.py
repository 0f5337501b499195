import pytest
from django.core.exceptions import ValidationError

from ntm.ocop.gs1 import check_digit, normalize_gtin, validate_gln


def test_check_digit_by_hand():
    # 400638133393: from the right 3·3 + 9 + 3·3 + 3 + 3·3 + 1 + 8·3 + 3
    # + 6·3 + 0 + 0·3 + 4 = 89, so the check digit is 1.
    assert check_digit("400638133393") == "1"
    # GS1's Digital Link example GTIN 09520123456788.
    assert check_digit("0952012345678") == "8"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("4006381333931", "04006381333931"),
        ("09520123456788", "09520123456788"),
        (" 4006381 333931 ", "04006381333931"),
        ("96385074", "00000096385074"),
    ],
)
def test_normalize_gtin_pads_to_14_digits(text, stored):
    assert normalize_gtin(text) == stored


@pytest.mark.parametrize("text", ["4006381333932", "12345", "40063813339AB", ""])
def test_normalize_gtin_refuses_bad_numbers(text):
    with pytest.raises(ValidationError):
        normalize_gtin(text)


def test_gln_needs_13_digits_and_its_check_digit():
    validate_gln("4006381333931")
    with pytest.raises(ValidationError):
        validate_gln("4006381333930")
    with pytest.raises(ValidationError):
        validate_gln("400638133393")
