"""A criteria set from the official table: export, import with row errors,
the difference against the version in force, a new version from a year
(issue 12, item 6)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.core.spreadsheets import ImportRefused
from ntm.indicators.criteria_sheet import (
    criteria_set_workbook,
    read_criteria_sheet,
    set_differences,
)
from ntm.indicators.models import CriteriaSet, Indicator, Requirement
from ntm.indicators.services import WorkflowError, adopt_criteria_version
from ntm.units.models import Unit
from tests.accounts.signin import sign_in_verified
from tests.factories import make_member

from .conftest import make_indicator, make_set

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def commune_set(db):
    fibre = make_indicator(
        "XA.8.4", level=Unit.Level.COMMUNE, measure=Indicator.Measure.PERCENT
    )
    post = make_indicator("XA.8.1", level=Unit.Level.COMMUNE)
    return make_set(
        "XA_TEST",
        ("8", "8.4", fibre, Requirement.Comparison.GTE, Decimal(80)),
        ("8", "8.4", fibre, Requirement.Comparison.GTE, Decimal(70), "region:DHNTB"),
        ("9", "9.1", post, Requirement.Comparison.TRUE, None),
        level=Unit.Level.COMMUNE,
        first_year=2022,
    )


def _sheet(criteria_set, edit=None):
    """The set's export, edited by ``edit(worksheet)``, as an upload."""
    book = load_workbook(io.BytesIO(criteria_set_workbook(criteria_set)))
    if edit:
        edit(book["Bộ tiêu chí"])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("bo.xlsx", out.getvalue(), content_type=XLSX)


def _column(sheet, header):
    return next(c.column for c in sheet[1] if str(c.value).startswith(header))


def test_the_export_read_back_is_the_same_set(commune_set):
    criteria = read_criteria_sheet(_sheet(commune_set))

    assert [c["number"] for c in criteria] == ["8", "9"]
    fibre = criteria[0]["requirements"]
    assert [(r["code"], r["variant"], r["threshold"]) for r in fibre] == [
        ("8.4", "", "80"),
        ("8.4", "region:DHNTB", "70"),
    ]  # fmt: skip
    assert set_differences(commune_set, criteria) == []


def test_bad_rows_are_named_and_nothing_is_kept(commune_set):
    def spoil(sheet):
        sheet.cell(2, _column(sheet, "Mã chỉ số")).value = "XA.99"
        sheet.cell(3, _column(sheet, "Ngưỡng")).value = None
        sheet.cell(4, _column(sheet, "Mã chỉ tiêu")).value = "8.4"

    with pytest.raises(ImportRefused) as refused:
        read_criteria_sheet(_sheet(commune_set, spoil))

    report = {error.row: error.message for error in refused.value.errors}
    assert "Chỉ số XA.99 chưa có trong hệ thống." in report[2]
    assert "Phép so sánh số phải có ngưỡng." in report[3]
    assert "Chỉ tiêu 8.4 đã có ở dòng 2." in report[4]
    assert sorted(report) == [2, 3, 4]
    assert CriteriaSet.objects.count() == 1


def test_a_repeated_requirement_is_refused(commune_set):
    def repeat(sheet):
        sheet.cell(3, _column(sheet, "Áp dụng cho vùng")).value = None

    with pytest.raises(ImportRefused) as refused:
        read_criteria_sheet(_sheet(commune_set, repeat))

    assert refused.value.errors[0].row == 3
    assert "đã có ở dòng 2" in refused.value.errors[0].message


def _raise_fibre(sheet):
    sheet.cell(2, _column(sheet, "Ngưỡng")).value = 90


def test_the_difference_names_each_change(commune_set):
    def change(sheet):
        _raise_fibre(sheet)
        sheet.delete_rows(4)  # criterion 9 goes

    found = set_differences(
        commune_set, read_criteria_sheet(_sheet(commune_set, change))
    )

    rows = [(d.kind, d.criterion, d.code, d.what, d.before, d.after) for d in found]
    assert rows == [
        ("removed", "9", "", "Tiêu chí", "Tiêu chí 9", ""),
        ("changed", "8", "8.4", "Ngưỡng", "80", "90"),
        ("removed", "9", "9.1", "Chỉ tiêu", "Yêu cầu 9.1", ""),
    ]  # fmt: skip


def test_a_new_version_takes_effect_from_its_year_and_earlier_years_keep_theirs(
    commune_set,
):
    criteria = read_criteria_sheet(_sheet(commune_set, _raise_fibre))
    admin = make_member(
        Unit.objects.create(code="X", name="X", level=1), Role.DISTRICT_ADMIN
    )

    adopted = adopt_criteria_version(commune_set, criteria, from_year=2027, by=admin)

    commune_set.refresh_from_db()
    assert (commune_set.first_year, commune_set.last_year) == (2022, 2026)
    assert (adopted.version, adopted.first_year, adopted.last_year) == (2, 2027, None)
    in_force = {
        year: CriteriaSet.objects.filter(code="XA_TEST").for_year(year).get()
        for year in (2026, 2027)
    }
    assert in_force == {2026: commune_set, 2027: adopted}
    thresholds = Requirement.objects.filter(
        criterion__criteria_set=adopted, code="8.4"
    ).values_list("variant", "threshold")
    assert sorted(thresholds) == [("", Decimal(90)), ("region:DHNTB", Decimal(70))]
    assert ActionLog.objects.for_object(adopted).get().actor == admin
    with pytest.raises(WorkflowError, match="phiên bản khác"):
        adopt_criteria_version(commune_set, criteria, from_year=2026, by=admin)


def test_a_version_cannot_start_before_the_one_in_force(commune_set):
    with pytest.raises(WorkflowError, match="sau năm 2022"):
        adopt_criteria_version(commune_set, [], from_year=2022, by=None)


def test_the_admin_previews_then_saves_on_the_page(client, commune_set, units):
    sign_in_verified(client, make_member(units["city"], Role.DISTRICT_ADMIN))
    url = reverse("indicators:criteriaset-import", args=["XA_TEST"]) + "?nam=2026"

    preview = client.post(
        url, {"file": _sheet(commune_set, _raise_fibre), "from_year": 2027}
    )

    body = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-difference="changed" data-code="8.4"' in body
    assert CriteriaSet.objects.count() == 1
    payload = preview.context["payload"]
    saved = client.post(url, {"payload": payload})
    assert saved.status_code == 302
    assert CriteriaSet.objects.get(code="XA_TEST", version=2).first_year == 2027
    tampered = client.post(url, {"payload": payload[:-3] + "abc"}, follow=True)
    assert "hết hạn" in tampered.content.decode()


def test_a_refused_sheet_comes_back_with_its_rows(client, commune_set, units):
    sign_in_verified(client, make_member(units["city"], Role.DISTRICT_ADMIN))
    url = reverse("indicators:criteriaset-import", args=["XA_TEST"]) + "?nam=2026"

    def spoil(sheet):
        sheet.cell(2, _column(sheet, "Mã chỉ số")).value = "XA.99"

    refused = client.post(url, {"file": _sheet(commune_set, spoil), "from_year": 2027})

    assert refused.status_code == 422
    assert "Chỉ số XA.99 chưa có trong hệ thống." in refused.content.decode()
    assert "2027" in refused.content.decode()  # the year as typed


def test_anyone_may_download_the_table_but_only_an_admin_imports(client, commune_set):
    export = client.get(reverse("indicators:criteriaset-export", args=["XA_TEST"]))
    assert export.status_code == 200 and export["Content-Type"] == XLSX

    page = client.get(reverse("indicators:criteriaset-import", args=["XA_TEST"]))
    assert page.status_code == 302  # to the sign-in page
