import pytest
from django.urls import reverse

from ntm.accounts.models import Membership, Office, Role
from ntm.core.models import ActionLog
from ntm.knowledge.exports import STAFF
from ntm.knowledge.imports import StaffImportError, import_staff
from ntm.knowledge.models import ProgramStaff

from ..factories import make_member
from ..workbooks import (
    FORMULA,
    column,
    content_of,
    export_workbook,
    exported,
    is_number,
    is_text,
    notes,
)
from .conftest import xlsx

pytestmark = pytest.mark.django_db
HEADER = [c.title for c in STAFF.columns]


def _row(year, code, name, unit_code, left=""):
    return [year, code, name, "Chuyên viên", unit_code, "", left]


@pytest.fixture
def admin(units):
    """Culture office staff (district admins would need a one-time code)."""
    return make_member(units["district"], Role.OFFICE_STAFF, Office.CULTURE)


def test_import_creates_and_updates_entries(admin, units, make_staff):
    make_staff(units["district"], 2024, code="CB1", full_name="Tên cũ")

    admin_2025 = make_member(units["city"], Role.OFFICE_STAFF, Office.CULTURE)
    Membership.objects.create(
        user=admin_2025,
        unit=units["district"],
        role=Role.OFFICE_STAFF,
        office=Office.CULTURE,
    )
    result = import_staff(
        xlsx(
            HEADER,
            [
                _row(2024, "CB1", "Tên mới", "506"),
                _row(2024, "CB2", "Lê Văn Nam", "20515"),
                _row(2025, "CB2", "Lê Văn Nam", "20515"),
            ],
        ),
        by=admin_2025,
    )

    assert (result.created, result.updated) == (2, 1)
    units_by_year = dict(
        ProgramStaff.objects.filter(code="CB2").values_list("year", "unit__name")
    )
    # 20515 is Xã Đại Đồng in 2024 and Xã Hà Nha at the end of 2025.
    assert units_by_year == {2024: "Xã Đại Đồng", 2025: "Xã Hà Nha"}
    assert ActionLog.objects.filter(actor=admin_2025).count() == 3


def test_import_names_every_bad_row_and_saves_nothing(admin):
    with pytest.raises(StaffImportError) as caught:
        import_staff(
            xlsx(
                HEADER,
                [
                    _row(2024, "CB1", "Đúng", "506"),
                    _row("năm", "CB2", "Sai năm", "506"),
                    _row(2024, "CB3", "", "99999"),
                    _row(2024, "CB1", "Trùng", "506"),
                    _row(2024, "CB4", "Sai cột", "506", left="có lẽ"),
                ],
            ),
            by=admin,
        )

    assert [error.row for error in caught.value.errors] == [3, 4, 5, 6]
    assert "Thiếu họ và tên" in caught.value.errors[1].message
    assert "99999" in caught.value.errors[1].message
    assert "dòng 2" in caught.value.errors[2].message
    assert ProgramStaff.objects.count() == 0


def test_import_refuses_units_outside_the_importers_scope(units):
    officer = make_member(units["vu_gia"], Role.COMMUNE_OFFICER)

    with pytest.raises(StaffImportError) as caught:
        import_staff(xlsx(HEADER, [_row(2025, "CB1", "A", "20515")]), by=officer)

    assert "phạm vi" in caught.value.errors[0].message


def test_import_view_reports_errors_with_422(login, admin):
    response = login(admin).post(
        reverse("knowledge:staff-import"),
        {"file": xlsx(HEADER, [_row(2024, "CB1", "A", "00000")])},
    )

    assert response.status_code == 422
    assert ProgramStaff.objects.count() == 0


def test_import_view_refuses_village_heads(login, village_head):
    response = login(village_head).post(
        reverse("knowledge:staff-import"),
        {"file": xlsx(HEADER, [_row(2024, "CB1", "A", "506")])},
    )

    assert response.status_code == 403
    assert ProgramStaff.objects.count() == 0


def test_export_reimports_unchanged(login, admin, units, make_staff):
    make_staff(units["district"], 2024, code="CB1")
    response = exported(login(admin), reverse("knowledge:staff-export"), {"year": 2024})

    from django.core.files.uploadedfile import SimpleUploadedFile

    result = import_staff(SimpleUploadedFile("x.xlsx", content_of(response)), by=admin)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_export_writes_numbers_as_numbers_and_formulas_as_text(
    login, admin, units, make_staff
):
    make_staff(units["district"], 2024, code="CB1", full_name=FORMULA, is_active=False)

    book = export_workbook(
        login(admin), reverse("knowledge:staff-export"), {"year": 2024}
    )

    sheet = book["Cán bộ"]
    year = column(sheet, "Năm (*)")[0]
    assert (is_number(year), year.value) == (True, 2024)
    assert is_text(column(sheet, "Họ và tên (*)")[0], FORMULA)
    assert column(sheet, "Đã thôi đảm nhiệm")[0].value == "có"


def test_an_old_export_with_the_active_column_is_refused(admin):
    old_header = [*HEADER[:-1], "Đang đảm nhiệm"]

    with pytest.raises(StaffImportError, match="nay là cột “Đã thôi đảm nhiệm”"):
        import_staff(
            xlsx(old_header, [_row(2024, "CB1", "A", "506", "không")]), by=admin
        )

    assert ProgramStaff.objects.count() == 0


def test_roster_export_is_marked_as_personal_data(login, admin, units, make_staff):
    make_staff(units["district"], 2024, code="CB1")

    book = export_workbook(
        login(admin), reverse("knowledge:staff-export"), {"year": 2024}, purpose="Họp"
    )

    info = notes(book)
    assert "Nghị định 13/2023/NĐ-CP" in info["du lieu ca nhan"]
    assert "họ tên" in info["du lieu ca nhan"]
    assert admin.username in info["nguoi xuat"]
    assert info["muc dich su dung"] == "Họp"


@pytest.mark.parametrize("office", [Office.POLICE, Office.FINANCE, Office.ECONOMY])
def test_roster_export_is_refused_to_offices_that_export_no_personal_data(
    login, units, office
):
    staff = make_member(units["district"], Role.OFFICE_STAFF, office=office)

    response = login(staff).get(reverse("knowledge:staff-export"))

    assert response.status_code == 403
