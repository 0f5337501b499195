import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from ntm.accounts.models import Office, Role
from ntm.core.models import ActionLog
from ntm.indicators.models import (
    CriteriaSet,
    Evidence,
    IndicatorValue,
    Period,
    Requirement,
)
from ntm.indicators.services import (
    CRITERIA_DIR,
    freeze_period,
    load_criteria_file,
    save_value,
    submit_value,
)
from tests.accounts.signin import sign_in_verified
from tests.factories import (
    FacilityFactory,
    HouseholdFactory,
    backdate_register,
    make_member,
    make_village,
)
from tests.workbooks import FORMULA, column, is_number, is_text, notes, workbook_of

pytestmark = pytest.mark.django_db

YEAR = 2025
SMART = "THON_THONG_MINH_DAI_LOC"
COMMUNE_SET = "XA_THU"
# A commune set of our own: one entered share (threshold not confirmed) and
# the household fibre share of the smart-village file, read at commune level.
COMMUNE_FILE = {
    "code": COMMUNE_SET,
    "version": 1,
    "name": "Bộ tiêu chí xã thử nghiệm",
    "level": "commune",
    "decision": "QĐ thử nghiệm 01/2025",
    "first_year": 2022,
    "last_year": 2025,
    "indicators": [
        {
            "code": "T.ONLINE",
            "name": "Tỷ lệ hồ sơ xử lý trực tuyến",
            "measure": "percent",
            "level": "commune",
            "source": "entered",
        },
        {
            "code": "T.PORTAL",
            "name": "Xã có trang thông tin điện tử",
            "measure": "boolean",
            "level": "commune",
            "source": "entered",
        },
    ],
    "criteria": [
        {
            "number": "8",
            "name": "Thông tin và Truyền thông",
            "requirements": [
                {
                    "code": "8.4",
                    "indicator": "T.ONLINE",
                    "comparison": "gte",
                    "threshold": 60,
                    "confirmed": False,
                },
                {"code": "8.5", "indicator": "T.PORTAL", "confirmed": True},
            ],
        },
        {
            "number": "9",
            "name": "Hạ tầng số",
            "requirements": [
                {
                    "code": "9.1",
                    "indicator": "SV.FIBRE",
                    "comparison": "gte",
                    "threshold": 80,
                    "confirmed": True,
                }
            ],
        },
    ],
}


def url(name, *args, year=YEAR):
    return f"{reverse(f'indicators:{name}', args=args)}?nam={year}"


def add_village(commune, number, *, total, fibre, phones, guided=3):
    """A village with ``total`` households of 4 people, all with an address
    code, ``fibre`` on fibre, ``phones`` with a smartphone and ``guided``
    people per household shown the health app; a cultural house with Wi-Fi."""
    village = make_village(commune, number)
    for n in range(total):
        HouseholdFactory(
            village=village,
            address_code=f"DC{village.code}{n:03d}",
            has_fibre=n < fibre,
            smartphones=1 if n < phones else 0,
            members=4,
            health_app_members=guided,
        )
    FacilityFactory(village=village)
    return village


def freeze():
    """2025 has ended: its computed values are read from the year-end freeze."""
    backdate_register(datetime.date(YEAR, 1, 1))
    freeze_period(Period.year(YEAR), by=None)


@pytest.fixture
def smart_set(db):
    return load_criteria_file(CRITERIA_DIR / "10_thon_thong_minh_dai_loc.json")[0]


@pytest.fixture
def commune_set(smart_set, tmp_path):
    path = tmp_path / "xa.json"
    path.write_text(json.dumps(COMMUNE_FILE), encoding="utf-8")
    return load_criteria_file(path)[0]


@pytest.fixture
def village(units, smart_set):
    """Hà Nha's Thôn 1: 8 households; fibre 7/8 = 87,5 %, smartphones 6/8 =
    75 % (needs 90), address codes 8/8, health app 24/32 = 75 %; no
    businesses, so e-commerce and traceability have no data."""
    village = add_village(units["ha_nha"], 1, total=8, fibre=7, phones=6)
    freeze()
    return village


@pytest.fixture
def login(client):
    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def officer(units):
    return make_member(
        units["ha_nha"], Role.COMMUNE_OFFICER, username="canboxa", full_name="Lê Nhập"
    )


@pytest.fixture
def reviewer(units):
    return make_member(
        units["city"],
        Role.OFFICE_STAFF,
        office=Office.CULTURE,
        username="vhtt",
        full_name="Trần Duyệt",
    )


def online(commune_set):
    return Requirement.objects.get(code="8.4").indicator


def saved(commune_set, unit, value, by, *, submit=False):
    entry = save_value(
        indicator=online(commune_set),
        unit=unit,
        period=Period.year(YEAR),
        value=value,
        by=by,
    )
    return submit_value(entry, by=by) if submit else entry


# -- scorecards ---------------------------------------------------------------


def test_village_card_shows_values_statuses_in_words_and_sources(client, village):
    response = client.get(url("evaluation-detail", SMART, village.code))

    page = response.content.decode()
    evaluation = response.context["evaluation"]
    assert response.status_code == 200
    assert evaluation.result_for("TM.5").value == Decimal("87.50")
    assert "87,5 %" in page
    assert "(7 / 8)" in page
    assert evaluation.criterion("3").status == "not_met"
    # No production household in the village: e-commerce does not apply.
    assert evaluation.criterion("2").status == "not_applicable"
    assert "Không áp dụng" in page
    assert "✗</span> Chưa đạt" in page
    assert "</span> Đạt</span>" in page
    assert "Ngưỡng chưa xác minh" in page
    assert "Tính từ dữ liệu" in page
    assert "Tính lúc" in page
    assert "Năm 2025 đã qua" in page


def test_scorecard_without_a_year_opens_the_last_year_of_an_ended_set(client, village):
    CriteriaSet.objects.filter(code=SMART).update(last_year=2025)

    response = client.get(
        reverse("indicators:evaluation-detail", args=[SMART, village.code])
    )

    assert response.status_code == 200
    assert response.context["year"] == "2025"


def test_scorecard_of_a_unit_on_another_level_is_not_found(client, village, units):
    response = client.get(url("evaluation-detail", SMART, units["ha_nha"].code))

    assert response.status_code == 404


def test_scorecard_of_a_code_unused_that_year_says_so(client, smart_set):
    response = client.get(url("evaluation-detail", SMART, "2051599"))

    assert response.status_code == 404
    assert response.templates[0].name == "units/unit_missing.html"
    assert "Không có đơn vị hành chính nào mang mã 2051599." in (
        response.content.decode()
    )


def test_matrix_of_a_district_code_after_it_ended_links_its_earlier_unit(
    client, smart_set, units
):
    response = client.get(url("evaluation-matrix", SMART, "506"))

    assert response.status_code == 404
    assert "Mã 506 không ứng với đơn vị nào vào ngày" in response.content.decode()
    assert 'href="/don-vi/506/?ngay=2025-06-30">Huyện Đại Lộc</a>' in (
        response.content.decode()
    )


def test_requirement_detail_shows_parts_and_renders_a_partial_for_htmx(client, village):
    link = url("requirement-detail", SMART, village.code, "TM.5")

    page = client.get(link).content.decode()
    partial = client.get(link, HTTP_HX_REQUEST="true").content.decode()

    assert "Tử số" in page
    assert "<html" in page
    assert "<html" not in partial
    assert "87,5 %" in partial
    assert "Tính từ dữ liệu" in partial


def test_commune_requirement_detail_links_to_its_villages(
    client, village, units, commune_set
):
    add_village(units["ha_nha"], 2, total=2, fibre=1, phones=2)
    freeze()

    response = client.get(url("requirement-detail", COMMUNE_SET, "20515", "9.1"))

    page = response.content.decode()
    children = response.context["children"]
    assert response.context["result"].value == Decimal("80.00")  # 8 of 10
    assert [row["unit"].name for row in children] == ["Thôn 1", "Thôn 2"]
    assert "50 %" in page
    assert url("requirement-detail", SMART, village.code, "TM.5") in page


def test_commune_scorecard_shows_who_approved_an_entered_value(
    client, units, commune_set, officer, reviewer, login
):
    entry = saved(commune_set, units["ha_nha"], "72.5", officer, submit=True)
    login(reviewer).post(reverse("indicators:value-approve", args=[entry.pk]))
    client.logout()

    page = client.get(url("evaluation-detail", COMMUNE_SET, "20515")).content.decode()

    today = timezone.localdate().strftime("%d/%m/%Y")
    assert "72,5 %" in page
    assert f"Số liệu nhập, đã duyệt bởi Trần Duyệt ngày {today}" in page
    assert "Ngưỡng chưa xác minh" in page


def test_commune_scorecard_says_a_value_waits_for_review(
    client, units, commune_set, officer
):
    saved(commune_set, units["ha_nha"], "72.5", officer, submit=True)

    page = client.get(url("evaluation-detail", COMMUNE_SET, "20515")).content.decode()

    assert "Có giá trị chờ duyệt" in page


# -- matrix -------------------------------------------------------------------


def test_matrix_lists_villages_with_statuses_totals_and_links(client, village, units):
    other = add_village(units["ha_nha"], 2, total=2, fibre=2, phones=2)
    freeze()

    response = client.get(url("evaluation-matrix", SMART, "20515"))

    page = response.content.decode()
    assert [e.unit for e in response.context["rows"]] == [village, other]
    # ``other`` has no production household: e-commerce and traceability do
    # not apply, so its criterion 3 is met on the rest.
    assert response.context["totals"] == [0, 0, 1]
    assert url("evaluation-detail", SMART, village.code) in page
    assert "Chưa đạt" in page


def test_matrix_filter_keeps_units_with_the_chosen_status(client, village, units):
    add_village(units["ha_nha"], 2, total=2, fibre=0, phones=2)
    freeze()
    target = reverse("indicators:evaluation-matrix", args=[SMART, "20515"])

    not_met = client.get(
        target,
        {"nam": YEAR, "tc3": "not_met", "chua_dat": "on"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    met = client.get(
        target, {"nam": YEAR, "tc3": "met"}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "<html" not in not_met
    assert ">Thôn 1</a>" in not_met
    assert ">Thôn 2</a>" in not_met
    assert ">Thôn 1</a>" not in met
    assert "Không có đơn vị nào khớp bộ lọc." in met
    assert "Đang hiện 0 đơn vị theo bộ lọc." in met


def test_matrix_query_count_does_not_grow_with_units(client, village, units):
    target = url("evaluation-matrix", SMART, "20515")
    with CaptureQueriesContext(connection) as one:
        client.get(target)
    add_village(units["ha_nha"], 2, total=3, fibre=1, phones=3)
    add_village(units["ha_nha"], 3, total=3, fibre=3, phones=3)
    freeze()

    with CaptureQueriesContext(connection) as three:
        response = client.get(target)

    assert len(response.context["rows"]) == 3
    assert len(three) == len(one)


def test_matrix_of_communes_before_2025_uses_the_district(client, units, commune_set):
    response = client.get(url("evaluation-matrix", COMMUNE_SET, "506", year=2024))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 18


def test_matrix_of_a_year_before_the_city_offers_the_units_of_that_year(
    client, units, commune_set
):
    response = client.get(url("evaluation-matrix", COMMUNE_SET, "48", year=2024))

    page = response.content.decode()
    assert response.status_code == 404
    assert [(u.code, u.name) for u in response.context["areas"]] == [
        ("49", "Tỉnh Quảng Nam"),
        ("506", "Huyện Đại Lộc"),
    ]
    assert url("evaluation-matrix", COMMUNE_SET, "506", year=2024) in page
    assert "Thành phố Đà Nẵng (từ 01/07/2025)" in page


def test_matrix_of_a_code_without_lineage_offers_the_areas_of_the_year(
    client, units, commune_set
):
    response = client.get(url("evaluation-matrix", COMMUNE_SET, "99999", year=2024))

    assert response.status_code == 404
    assert [u.code for u in response.context["areas"]] == ["506"]


def test_scorecard_export_holds_values_as_numbers(client, village):
    village.is_demo = True
    village.save(update_fields=["is_demo"])

    book = workbook_of(client.get(url("evaluation-export", SMART, village.code)))

    sheet = book["Kết quả đánh giá"]
    row = [c.value for c in column(sheet, "Mã chỉ tiêu")].index("TM.5")
    value = column(sheet, "Giá trị")[row]
    assert is_number(value)
    assert value.value == pytest.approx(87.5)
    assert column(sheet, "Đơn vị tính")[row].value == "Tỷ lệ (%)"
    assert column(sheet, "Kết quả")[row].value == "Đạt"
    info = notes(book)
    assert (info["ma don vi"], info["nam"]) == (village.code, YEAR)
    assert info["du lieu minh hoa"].startswith("Có")


def test_scorecard_export_of_an_unknown_unit_is_not_found(client, smart_set):
    response = client.get(url("evaluation-export", SMART, "99999999"))

    assert response.status_code == 404


def test_scorecard_links_to_its_export(client, village):
    page = client.get(url("evaluation-detail", SMART, village.code)).content.decode()

    assert url("evaluation-export", SMART, village.code) in page


def test_matrix_export_keeps_the_filters_and_totals_as_numbers(client, village, units):
    add_village(units["ha_nha"], 2, total=2, fibre=2, phones=2)
    freeze()
    target = reverse("indicators:evaluation-matrix-export", args=[SMART, "20515"])

    book = workbook_of(client.get(target, {"nam": YEAR, "tc3": "not_met"}))

    sheet = book["Bảng tổng hợp"]
    # Thôn 2 meets criterion 3: the filter leaves it out, the totals do not.
    assert [c.value for c in column(sheet, "Đơn vị")] == ["Thôn 1", "Số đơn vị đạt"]
    assert column(sheet, "TC 3")[0].value == "Chưa đạt"
    totals = list(sheet.iter_rows())[-1][3:6]
    assert all(is_number(c) for c in totals)
    info = notes(book)
    assert (info["so don vi"], info["so don vi trong bang (theo bo loc)"]) == (2, 1)


def test_matrix_export_writes_formula_like_names_as_text(client, village, units):
    village.name = FORMULA
    village.save(update_fields=["name"])

    response = client.get(url("evaluation-matrix-export", SMART, "20515"))

    assert is_text(column(workbook_of(response)["Bảng tổng hợp"], "Đơn vị")[0], FORMULA)


def test_matrix_export_of_an_unknown_area_is_not_found(client, smart_set):
    response = client.get(url("evaluation-matrix-export", SMART, "99999"))

    assert response.status_code == 404


# -- entry, review ------------------------------------------------------------


def test_entry_page_needs_login(client, units, commune_set):
    response = client.get(url("value-entry", "20515"))

    assert response.status_code == 302


def test_entry_is_refused_outside_the_users_units(client, units, commune_set, login):
    outsider = make_member(units["vu_gia"], Role.COMMUNE_OFFICER)
    login(outsider)

    page = client.get(url("value-entry", "20515"))
    post = client.post(
        url("value-save", "20515", "T.ONLINE"), {"value": "70", "note": ""}
    )

    assert page.status_code == 403
    assert post.status_code == 403
    assert IndicatorValue.objects.count() == 0


def test_entry_submit_and_approval_by_another_user(
    client, units, commune_set, officer, reviewer, login
):
    login(officer)
    client.post(url("value-save", "20515", "T.ONLINE"), {"value": "72,5", "note": "Sổ"})
    upload = io.BytesIO(b"%PDF-1.4 minh chung")
    upload.name = "bien-ban.pdf"
    client.post(url("evidence-add", "20515", "T.ONLINE"), {"file": upload})
    client.post(url("value-submit", "20515", "T.ONLINE"))
    locked = client.get(url("value-entry", "20515")).content.decode()
    login(reviewer)
    queue = client.get(reverse("indicators:review-queue"))

    response = client.post(
        reverse("indicators:value-approve", args=[queue.context["rows"][0]["value"].pk])
    )

    entry = IndicatorValue.objects.get()
    assert "Lê Nhập đã gửi duyệt ngày" in locked
    assert "bien-ban.pdf" in queue.content.decode()
    assert queue.context["rows"][0]["can_review"] is True
    assert response.status_code == 302
    assert entry.value == Decimal("72.5")
    assert entry.status == IndicatorValue.Status.APPROVED
    assert entry.reviewed_by == reviewer
    assert Evidence.objects.get().name == "bien-ban.pdf"
    assert list(
        ActionLog.objects.for_object(entry)
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "indicators.value.created",
        "indicators.evidence.created",
        "indicators.value.submitted",
        "indicators.value.approved",
    ]


def test_saving_a_submitted_value_is_refused_with_the_reason(
    client, units, commune_set, officer, login
):
    saved(commune_set, units["ha_nha"], "50", officer, submit=True)
    login(officer)

    response = client.post(
        url("value-save", "20515", "T.ONLINE"), {"value": "90"}, follow=True
    )

    assert response.redirect_chain[0][1] == 302
    assert "giá trị bị khóa cho đến khi được duyệt" in response.content.decode()
    assert IndicatorValue.objects.get().value == Decimal("50")


def test_reviewer_cannot_approve_their_own_submission(
    client, units, commune_set, reviewer, login
):
    entry = saved(commune_set, units["ha_nha"], "65", reviewer, submit=True)
    login(reviewer)

    queue = client.get(reverse("indicators:review-queue"))
    response = client.post(reverse("indicators:value-approve", args=[entry.pk]))

    entry.refresh_from_db()
    assert queue.context["rows"][0]["can_review"] is False
    assert reverse("indicators:value-approve", args=[entry.pk]) not in (
        queue.content.decode()
    )
    assert response.status_code == 403
    assert entry.status == IndicatorValue.Status.SUBMITTED


def test_return_needs_a_reason(client, units, commune_set, officer, reviewer, login):
    entry = saved(commune_set, units["ha_nha"], "65", officer, submit=True)
    login(reviewer)

    blank = client.post(
        reverse("indicators:value-return", args=[entry.pk]), {"reason": " "}
    )
    entry.refresh_from_db()
    status_after_blank = entry.status
    client.post(
        reverse("indicators:value-return", args=[entry.pk]),
        {"reason": "Thiếu biên bản"},
    )

    entry.refresh_from_db()
    assert blank.status_code == 422
    assert "Cần ghi lý do trả lại." in blank.content.decode()
    assert status_after_blank == IndicatorValue.Status.SUBMITTED
    assert entry.status == IndicatorValue.Status.RETURNED
    assert entry.review_note == "Thiếu biên bản"


def test_review_queue_is_refused_to_commune_officers(client, officer, login):
    login(officer)

    response = client.get(reverse("indicators:review-queue"))

    assert response.status_code == 403


def test_approval_is_refused_to_a_commune_officer(
    client, units, commune_set, officer, login
):
    entry = saved(commune_set, units["ha_nha"], "65", officer, submit=True)
    login(make_member(units["ha_nha"], Role.COMMUNE_OFFICER))

    response = client.post(reverse("indicators:value-approve", args=[entry.pk]))

    entry.refresh_from_db()
    assert response.status_code == 403
    assert entry.status == IndicatorValue.Status.SUBMITTED


# -- Excel --------------------------------------------------------------------


def workbook(rows, unit_code="20515", year=YEAR):
    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ tiêu"
    sheet.append(
        [
            "Mã chỉ tiêu",
            "Tên chỉ tiêu",
            "Đơn vị tính",
            "Trạng thái hiện tại",
            "Giá trị",
            "Thuyết minh",
        ]
    )
    for row in rows:
        sheet.append(row)
    info = book.create_sheet("Thông tin")
    info.append(["Mã đơn vị", unit_code])
    info.append(["Tên đơn vị", "Xã"])
    info.append(["Năm", year])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "chi-tieu.xlsx"
    return out


def test_excel_template_lists_the_entered_indicators(
    client, units, commune_set, officer, login
):
    saved(commune_set, units["ha_nha"], "40", officer)
    login(officer)

    response = client.get(url("value-template", "20515"))

    sheet = load_workbook(io.BytesIO(response.content))["Chỉ tiêu"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[4]) for r in rows] == [
        ("T.ONLINE", "Tỷ lệ (%)", 40),
        ("T.PORTAL", "Có / không", None),
    ]


def test_excel_upload_saves_drafts(client, units, commune_set, officer, login):
    login(officer)

    response = client.post(
        url("value-import", "20515"),
        {
            "file": workbook(
                [
                    ["T.ONLINE", "", "", "", "61,5", "Theo sổ"],
                    ["T.PORTAL", "", "", "", "Có", ""],
                ]
            )
        },
    )

    values = dict(IndicatorValue.objects.values_list("indicator__code", "value"))
    assert response.status_code == 302
    assert values == {"T.ONLINE": Decimal("61.5"), "T.PORTAL": Decimal("1")}
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {"draft"}


def test_excel_upload_with_bad_rows_saves_nothing_and_names_them(
    client, units, commune_set, officer, login
):
    saved(commune_set, units["ha_nha"], "40", officer, submit=True)
    login(officer)
    rows = [
        ["T.PORTAL", "", "", "", "1", ""],
        ["T.ONLINE", "", "", "", "70", ""],  # locked: submitted
        ["T.KHAC", "", "", "", "5", ""],
        ["T.PORTAL", "", "", "", "2", ""],
    ]

    response = client.post(url("value-import", "20515"), {"file": workbook(rows)})

    page = response.content.decode()
    errors = {e.row: e.message for e in response.context["report"].errors}
    assert response.status_code == 422
    assert sorted(errors) == [4, 5]
    assert "T.KHAC" in errors[4]
    assert "trùng với dòng 2" in errors[5]
    assert "chỉ nhận có/không" in errors[5]
    assert "chưa lưu dòng nào" in page
    assert not IndicatorValue.objects.filter(indicator__code="T.PORTAL").exists()


def test_excel_upload_refuses_a_locked_value_and_rolls_back(
    client, units, commune_set, officer, login
):
    saved(commune_set, units["ha_nha"], "40", officer, submit=True)
    login(officer)
    rows = [["T.PORTAL", "", "", "", "1", ""], ["T.ONLINE", "", "", "", "70", ""]]

    response = client.post(url("value-import", "20515"), {"file": workbook(rows)})

    errors = {e.row: e.message for e in response.context["report"].errors}
    assert sorted(errors) == [3]
    assert "bị khóa" in errors[3]
    assert not IndicatorValue.objects.filter(indicator__code="T.PORTAL").exists()


def test_excel_upload_refuses_another_units_template(
    client, units, commune_set, officer, login
):
    login(officer)

    response = client.post(
        url("value-import", "20515"),
        {"file": workbook([["T.PORTAL", "", "", "", "1", ""]], unit_code="20539")},
    )

    assert response.status_code == 422
    assert "20539" in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_excel_upload_refuses_other_files_and_big_ones(
    client, units, commune_set, officer, login, settings
):
    login(officer)
    text = io.BytesIO(b"ma,gia tri\nT.PORTAL,1\n")
    text.name = "chi-tieu.xlsx"
    settings.UPLOAD_MAX_BYTES = 100
    big = workbook([["T.PORTAL", "", "", "", "1", ""]])

    not_excel = client.post(url("value-import", "20515"), {"file": text})
    too_big = client.post(url("value-import", "20515"), {"file": big})

    assert not_excel.status_code == 422
    assert "không phải là tệp Excel" in not_excel.content.decode()
    assert too_big.status_code == 422
    assert "Tệp quá lớn" in too_big.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_excel_template_reimports_unchanged_with_typed_cells(
    client, units, commune_set, officer, login
):
    entry = saved(commune_set, units["ha_nha"], "40", officer)
    entry.note = FORMULA
    entry.save(update_fields=["note"])
    login(officer)
    template = client.get(url("value-template", "20515"))
    sheet = workbook_of(template)["Chỉ tiêu"]

    response = client.post(
        url("value-import", "20515"),
        {"file": SimpleUploadedFile("mau.xlsx", template.content)},
        follow=True,
    )

    value = column(sheet, "Giá trị (*)")[0]
    assert (is_number(value), value.value) == (True, 40)
    assert is_text(column(sheet, "Thuyết minh")[0], FORMULA)
    drop_downs = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert drop_downs == ['"có,không"']
    assert "0 mới, 0 cập nhật, 1 không đổi. Bỏ qua 1 dòng để trống." in (
        response.content.decode()
    )


def test_excel_template_greys_out_values_waiting_for_review(
    client, units, commune_set, officer, login
):
    saved(commune_set, units["ha_nha"], "40", officer, submit=True)
    login(officer)

    sheet = workbook_of(client.get(url("value-template", "20515")))["Chỉ tiêu"]

    assert sheet["A2"].fill.fgColor.rgb == "00EEEEEE"
    assert sheet["A3"].fill.fgColor.rgb != "00EEEEEE"


# -- criteria sets ------------------------------------------------------------


def test_criteria_set_pages_show_thresholds_and_unconfirmed_badge(client, commune_set):
    listing = client.get(reverse("indicators:criteriaset-list")).content.decode()
    page = client.get(url("criteriaset-detail", COMMUNE_SET)).content.decode()

    assert "Bộ tiêu chí xã thử nghiệm" in listing
    assert "≥ 60 %" in page
    assert "Ngưỡng chưa xác minh" in page
    assert "QĐ thử nghiệm 01/2025" in page


def test_district_admin_edits_a_threshold_and_it_is_logged(client, units, commune_set):
    admin = make_member(units["city"], Role.DISTRICT_ADMIN, full_name="Quản Trị")
    sign_in_verified(client, admin)
    requirement = Requirement.objects.get(code="8.4")

    response = client.post(
        reverse("indicators:requirement-edit", args=[requirement.pk]),
        {"comparison": "gte", "threshold": "70,5", "confirmed": "on", "note": ""},
    )

    requirement.refresh_from_db()
    log = ActionLog.objects.for_object(requirement).get()
    assert response.status_code == 302
    assert requirement.threshold == Decimal("70.5")
    assert requirement.confirmed is True
    assert log.actor == admin
    assert set(log.data["changes"]) == {"threshold", "confirmed"}
    history = client.get(reverse("indicators:requirement-edit", args=[requirement.pk]))
    assert "Sửa yêu cầu" in history.content.decode()


def test_requirement_edit_is_refused_to_office_staff(
    client, commune_set, reviewer, login
):
    requirement = Requirement.objects.get(code="8.4")
    login(reviewer)

    response = client.post(
        reverse("indicators:requirement-edit", args=[requirement.pk]),
        {"comparison": "gte", "threshold": "10", "note": ""},
    )

    requirement.refresh_from_db()
    assert response.status_code == 403
    assert requirement.threshold == Decimal("60")
    assert not ActionLog.objects.filter(
        action="indicators.requirement.changed"
    ).exists()


def test_menu_offers_review_to_reviewers_only(client, officer, reviewer, login):
    login(officer)
    officer_menu = client.get(reverse("indicators:criteriaset-list")).content.decode()
    login(reviewer)
    reviewer_menu = client.get(reverse("indicators:criteriaset-list")).content.decode()

    assert "Đánh giá tiêu chí" in officer_menu
    assert "Nhập số liệu" in officer_menu
    assert "Duyệt số liệu" not in officer_menu
    assert "Duyệt số liệu" in reviewer_menu


def test_a_refused_evidence_file_is_named_with_the_reason(
    client, units, commune_set, officer, login
):
    login(officer)
    client.post(url("value-save", "20515", "T.ONLINE"), {"value": "72,5", "note": "Sổ"})
    upload = io.BytesIO(b"MZ\x90\x00 a program")
    upload.name = "bien-ban.pdf"

    response = client.post(
        url("evidence-add", "20515", "T.ONLINE"), {"file": upload}, follow=True
    )

    shown = [str(m) for m in response.context["messages"]]
    assert shown and "Chưa chọn tệp" not in shown[0]
    assert Evidence.objects.count() == 0
