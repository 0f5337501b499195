import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ntm.core.models import ActionLog
from ntm.households.exports import HOUSEHOLDS, build_template
from ntm.households.imports import HouseholdImportError, import_households
from ntm.households.models import Household
from ntm.households.queries import villages_of
from ntm.households.services import archive_household

from .workbooks import row, xlsx

pytestmark = pytest.mark.django_db


def _row_numbers(error):
    return [bad.row for bad in error.value.errors]


def test_import_of_1000_rows_with_10_bad_saves_nothing_and_names_them(
    villages, village_head
):
    code = villages["hn1"].code
    rows = [row(f"HN{i:05d}", code) for i in range(1000)]
    bad_indexes = [3, 97, 150, 311, 404, 555, 678, 801, 902, 999]
    breakers = [
        {"head_name": ""},
        {"members": 0},
        {"members": "bốn"},
        {"village_code": villages["vg1"].code},
        {"village_code": "99999"},
        {"has_fibre": "có lẽ"},
        {"health_app_members": 9},
        {"ecommerce_platforms": "Sàn lạ"},
        {"code": "HN00000"},
        {"lat": "200"},
    ]
    for index, breaker in zip(bad_indexes, breakers, strict=True):
        rows[index].update(breaker)

    with pytest.raises(HouseholdImportError) as error:
        import_households(xlsx(rows), by=village_head)

    # Row 1 is the header, so data row i sits on Excel row i + 2.
    assert _row_numbers(error) == [i + 2 for i in bad_indexes]
    assert Household.objects.count() == 0
    assert not ActionLog.objects.filter(action__startswith="households.").exists()
    assert "10 dòng" in str(error.value)


def test_import_creates_then_updates_by_code_and_audits(
    villages, village_head, platforms
):
    code = villages["hn1"].code
    first = [
        row("HN1", code, has_fibre="có", ecommerce_platforms="voso.vn; PostMart.vn"),
        row("HN2", code, has_fibre="x", is_business=1, address_code="DL.2"),
    ]

    result = import_households(xlsx(first), by=village_head)

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    household = Household.objects.get(code="HN1")
    assert household.has_fibre is True
    assert household.search_text == "hn1 tran thi binh"
    assert sorted(p.name for p in household.ecommerce_platforms.all()) == [
        "PostMart.vn",
        "Voso.vn",
    ]
    assert ActionLog.objects.filter(action="households.household.imported").count() == 2

    second = [
        row("HN1", code, head_name="Trần Văn Bình", ecommerce_platforms="Voso.vn"),
        row("HN2", code, has_fibre="x", is_business=1, address_code="DL.2"),
        row("HN3", code, members=2, health_app_members=2, lat=15.86, lon="107,99"),
    ]

    result = import_households(xlsx(second), by=village_head)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    household.refresh_from_db()
    assert household.head_name == "Trần Văn Bình"
    assert household.has_fibre is False
    assert [p.name for p in household.ecommerce_platforms.all()] == ["Voso.vn"]
    log = ActionLog.objects.for_object(household).first()
    assert log.actor == village_head
    assert set(log.data["changes"]) == {"head_name", "has_fibre", "ecommerce_platforms"}
    assert log.data["changes"]["ecommerce_platforms"]["old"] == "PostMart.vn, Voso.vn"
    third = Household.objects.get(code="HN3")
    assert (third.lat, third.lon) == (Decimal("15.860000"), Decimal("107.990000"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("có", True), ("Có", True), ("x", True), ("1", True), (1, True), (True, True),
     ("không", False), ("khong", False), ("0", False), (0, False), (None, False)],
)  # fmt: skip
def test_import_reads_yes_no_columns(villages, village_head, text, expected):
    import_households(
        xlsx([row("HN1", villages["hn1"].code, is_business=text)]), by=village_head
    )

    assert Household.objects.get(code="HN1").is_business is expected


def test_import_refuses_unknown_platforms_without_creating_them(
    villages, village_head, platforms
):
    rows = [row("HN1", villages["hn1"].code, ecommerce_platforms="Voso.vn;Shopee")]

    with pytest.raises(HouseholdImportError) as error:
        import_households(xlsx(rows), by=village_head)

    assert "Shopee" in error.value.errors[0].message
    assert not Household.objects.exists()


def test_import_refuses_duplicate_codes_and_address_codes_in_the_file(
    villages, village_head
):
    code = villages["hn1"].code
    rows = [
        row("HN1", code, address_code="DL.1"),
        row("HN2", code, address_code="DL.1"),
        row("HN1", code),
    ]

    with pytest.raises(HouseholdImportError) as error:
        import_households(xlsx(rows), by=village_head)

    assert _row_numbers(error) == [3, 4]
    assert "dòng 2" in error.value.errors[0].message


def test_import_refuses_an_address_code_held_by_another_household(
    villages, village_head, make_household
):
    make_household(villages["hn1"], code="OLD", address_code="DL.1")

    with pytest.raises(HouseholdImportError) as error:
        import_households(
            xlsx([row("NEW", villages["hn1"].code, address_code="DL.1")]),
            by=village_head,
        )

    assert "OLD" in error.value.errors[0].message


def test_import_refuses_to_update_another_villages_household(
    villages, village_head, make_household
):
    household = make_household(villages["vg1"], code="VG1", head_name="Võ Văn E")

    with pytest.raises(HouseholdImportError) as error:
        import_households(
            xlsx([row("VG1", villages["hn1"].code, head_name="Đổi tên")]),
            by=village_head,
        )

    assert _row_numbers(error) == [2]
    household.refresh_from_db()
    assert (household.head_name, household.village) == ("Võ Văn E", villages["vg1"])


def test_import_refuses_a_village_outside_the_importers_scope(villages, village_head):
    with pytest.raises(HouseholdImportError) as error:
        import_households(xlsx([row("X", villages["hn2"].code)]), by=village_head)

    assert "phạm vi" in error.value.errors[0].message


def test_import_refuses_a_file_without_required_columns(villages, village_head):
    columns = [c for c in HOUSEHOLDS.columns if c.key != "head_name"]

    with pytest.raises(HouseholdImportError, match="Họ tên chủ hộ"):
        import_households(
            xlsx([row("X", villages["hn1"].code)], columns=columns), by=village_head
        )


def test_import_refuses_a_file_that_is_not_a_workbook(villages, village_head):
    fake = SimpleUploadedFile("ho.xlsx", b"PK\x03\x04 not really a zip")

    with pytest.raises(HouseholdImportError, match=".xlsx"):
        import_households(fake, by=village_head)


def test_import_skips_blank_rows(villages, village_head):
    rows = [row("HN1", villages["hn1"].code), {}, row("HN2", villages["hn1"].code)]

    result = import_households(xlsx(rows), by=village_head)

    assert result.created == 2


def test_template_lists_the_users_villages_and_explains_the_columns(
    villages, village_head, platforms
):
    content = build_template(list(villages_of(village_head, editable=True)), [])

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Hộ gia đình", "Danh sách thôn", "Hướng dẫn"]
    header = [cell.value for cell in workbook["Hộ gia đình"][1]]
    assert header[:4] == ["Mã hộ (*)", "Mã thôn (*)", "Tên thôn", "Họ tên chủ hộ (*)"]
    village_rows = list(workbook["Danh sách thôn"].iter_rows(values_only=True))
    assert village_rows[1:] == [(villages["hn1"].code, "Thôn 1", "Xã Hà Nha")]


def test_import_refuses_a_row_of_a_household_no_longer_followed(
    villages, village_head, answered
):
    archive_household(answered, by=None, reason="Chuyển đi", on=date(2026, 3, 2))
    rows = [
        row(answered.code, villages["hn1"].code),
        row("HN-MOI", villages["hn1"].code),
    ]

    with pytest.raises(HouseholdImportError) as error:
        import_households(xlsx(rows), by=village_head)

    assert [bad.messages for bad in error.value.errors] == [
        [
            f"Hộ mã {answered.code} đã ngừng theo dõi từ 02/03/2026; hãy theo dõi"
            " lại hộ trên trang của hộ trước khi nhập."
        ]
    ]
    assert list(Household.all_objects.all()) == [answered]
