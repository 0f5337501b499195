import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.feedback.indicators import median_days, received_and_on_time
from ntm.feedback.models import Report
from ntm.feedback.services import change_status, submit_report
from ntm.indicators.models import Period
from tests.responses import text_of

from ..factories import make_member
from .conftest import T0

pytestmark = pytest.mark.django_db
NAME, PHONE = "Lê Văn Tám", "0905123456"


@pytest.fixture
def report(area, roads):
    return submit_report(
        category=roads,
        text="Ổ gà lớn trước nhà văn hóa",
        lat=15.85,
        lon=108.021,
        reporter_name=NAME,
        reporter_phone=PHONE,
        now=T0,
    )


def test_report_create_page_takes_a_report_without_an_account(client, area, roads):
    response = client.post(
        reverse("feedback:report-create"),
        {
            "category": roads.pk,
            "text": "Cống bị tắc",
            "lat": "15.850000",
            "lon": "108.080000",
            "reporter_phone": "0905 123 456",
        },
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/phan-anh/{report.code}/"
    assert report.village == area["hn2"]
    assert report.reporter_phone == "0905123456"


def test_public_pages_and_api_show_no_personal_data(client, report):
    pages = [
        reverse("feedback:report-follow", args=[report.code]),
        reverse("feedback:report-list"),
        reverse("feedback:report-geojson"),
        "/api/v1/feedback/reports",
        f"/api/v1/feedback/reports/{report.code}",
    ]

    for url in pages:
        response = client.get(url)
        text = text_of(response)
        assert response.status_code == 200, url
        assert report.code in text, url
        assert NAME not in text and PHONE not in text, url


def test_staff_see_the_contact_and_an_outside_officer_is_refused(client, area, report):
    officer = make_member(area["ha_nha"], Role.COMMUNE_OFFICER, username="xa1")
    outsider = make_member(area["vu_gia"], Role.COMMUNE_OFFICER, username="xa2")
    url = reverse("feedback:report-manage", args=[report.code])

    client.force_login(officer)
    inside = client.get(url)
    client.force_login(outsider)
    outside = client.get(url)

    assert PHONE in inside.content.decode()
    assert outside.status_code == 403


def test_office_staff_handle_only_their_categories(client, area, report):
    roads_staff = make_member(
        area["city"], Role.OFFICE_STAFF, office="ktht", username="k"
    )
    culture = make_member(area["city"], Role.OFFICE_STAFF, office="vhtt", username="v")

    assert list(Report.objects.handled_by(roads_staff)) == [report]
    assert list(Report.objects.handled_by(culture)) == []


def test_api_submit_and_follow(client, area, roads):
    response = client.post(
        "/api/v1/feedback/reports",
        {"category": "duong-sa", "text": "Đèn hỏng", "lat": 15.85, "lon": 108.15},
        content_type="application/json",
    )
    code = response.json()["code"]
    followed = client.get(f"/api/v1/feedback/reports/{code}").json()

    assert response.status_code == 201
    assert followed["commune_code"] == area["vu_gia"].code
    assert [e["action"] for e in followed["events"]] == ["received"]


def test_providers_count_received_and_on_time_by_village(area, roads, report):
    change_status(
        report, "resolve", by=None, note="Đã vá", now=T0 + datetime.timedelta(days=2)
    )
    late = submit_report(category=roads, text="x", lat=15.85, lon=108.021, now=T0)
    change_status(
        late, "resolve", by=None, note="Đã vá", now=T0 + datetime.timedelta(days=12)
    )
    period = Period.year(2026)

    values = received_and_on_time(period)
    medians = median_days(period)["PA.NGAY_XU_LY"]

    village = area["hn1"].pk
    assert values["PA.TIEP_NHAN"][village][0] == 2
    assert values["PA.DUNG_HAN"][village] == (1, 2)
    assert medians[village][0] == 7


def test_providers_give_each_figure_by_category_too(area, roads, lights, report):
    change_status(
        report, "resolve", by=None, note="Đã vá", now=T0 + datetime.timedelta(days=2)
    )
    dark = submit_report(
        category=lights, text="Đèn tắt", lat=15.85, lon=108.021, now=T0
    )
    change_status(
        dark, "resolve", by=None, note="Đã thay", now=T0 + datetime.timedelta(days=9)
    )
    submit_report(category=lights, text="Đèn nhấp nháy", lat=15.85, lon=108.08, now=T0)
    period = Period.year(2026)

    values = received_and_on_time(period)
    medians = median_days(period)

    hn1, hn2 = area["hn1"].pk, area["hn2"].pk
    assert values["PA.TIEP_NHAN"][hn1][0] == 2
    assert values["PA.TIEP_NHAN.DUONG_SA"] == {hn1: (1, None)}
    assert values["PA.TIEP_NHAN.DEN_DUONG"] == {hn1: (1, None), hn2: (1, None)}
    # Lights are due in 5 days: resolved on day 9 is late; roads (10) on time.
    assert values["PA.DUNG_HAN.DUONG_SA"][hn1] == (1, 1)
    assert values["PA.DUNG_HAN.DEN_DUONG"][hn1] == (0, 1)
    assert values["PA.DUNG_HAN"][hn1] == (1, 2)
    assert medians["PA.NGAY_XU_LY.DEN_DUONG"][hn1][0] == 9
    assert medians["PA.NGAY_XU_LY"][hn1][0] == Decimal("5.5")


def test_every_category_has_its_indicators_in_the_criteria_file():

    from ntm.feedback.indicators import CATEGORY_CODES, category_suffix
    from ntm.indicators.providers import provider_for
    from ntm.indicators.services import CRITERIA_DIR

    data = json.loads(
        (CRITERIA_DIR / "92_phan_anh_kien_nghi.json").read_text(encoding="utf-8")
    )
    declared = {indicator["code"] for indicator in data["indicators"]}
    for code in CATEGORY_CODES:
        for base in ("PA.TIEP_NHAN", "PA.DUNG_HAN", "PA.NGAY_XU_LY"):
            wanted = f"{base}.{category_suffix(code)}"
            assert wanted in declared, wanted
            assert provider_for(wanted) is not None, wanted
