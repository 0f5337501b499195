"""The daily screens on the smallest phone (360 px): nothing scrolls sideways,
and a date field shows its value."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ntm.accounts.models import Office, Role
from ntm.dossiers.models import Dossier
from ntm.dossiers.services import create_dossier, self_assess_dossier
from ntm.reports.models import Assignment
from ntm.reports.services import assign_year

from ..factories import HouseholdFactory, make_member
from ..plans.conftest import plan  # noqa: F401
from ..reports.conftest import make_form
from ..surveys.conftest import make_survey
from .test_dossier import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SMALLEST_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(viewport=SMALLEST_PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screens(units, villages, plan):  # noqa: F811
    """One record of each kind, with the long unbroken words that used to
    push a phone's page sideways."""
    make_member(villages["hn1"], Role.VILLAGE_HEAD, username="truongthon")
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="canboxa")
    make_member(units["district"], Role.OFFICE_STAFF, Office.CULTURE, username="vhtt")
    household = HouseholdFactory(
        village=villages["hn1"],
        code="20515010001",
        head_name="Nguyễn Thị Phương Thảo",
        address="Số 123/45/6, Tổ dân phố số 12, Thôn Hà Nha Thượng-Đông-Bắc",
        address_code="2051501-0001-ABCDEFGHIJKLMNOPQRS",
        phone="0905123456",
        has_fibre=True,
    )
    dossier = create_dossier(
        units["ha_nha"], kind=Dossier.Kind.NTM, year=2025, by=officer
    )
    self_assess_dossier(dossier, by=officer)
    form = make_form(units, 2025, plan=plan)
    assign_year(form, by=None)
    return {
        "household": household,
        "dossier": dossier,
        "assignment": Assignment.objects.get(unit=units["ha_nha"], form=form),
        "survey": make_survey(
            units["ha_nha"],
            title="Lấy ý kiến sự hài lòng của người dân về kết quả xây dựng NTM",
        ),
    }


def pages(screens, villages):
    scorecard = reverse(
        "indicators:evaluation-detail", args=["XA_NTM_2021_2025", "20515"]
    )
    matrix = reverse("indicators:evaluation-matrix", args=["XA_NTM_2021_2025", "48"])
    household = screens["household"]
    return [
        ("truongthon", reverse("home")),
        ("truongthon", reverse("households:household-list")),
        ("truongthon", household.get_absolute_url()),
        ("truongthon", reverse("households:household-edit", args=[household.code])),
        ("truongthon", reverse("units:unit-detail", args=[villages["hn1"].code])),
        ("canboxa", reverse("home")),
        ("canboxa", reverse("units:unit-detail", args=["20515"])),
        ("canboxa", reverse("households:facility-list")),
        ("canboxa", screens["dossier"].get_absolute_url()),
        (
            "canboxa",
            reverse("reports:submission-edit", args=[screens["assignment"].pk]),
        ),
        ("vhtt", reverse("dashboards:plan-summary") + "?nam=2025"),
        ("vhtt", reverse("dashboards:plan-progress") + "?nam=2025"),
        ("vhtt", scorecard + "?nam=2025"),
        ("vhtt", matrix + "?nam=2025"),
        ("vhtt", reverse("reports:year-open")),
        ("vhtt", reverse("surveys:public-start", args=[screens["survey"].slug])),
    ]


def test_no_daily_screen_scrolls_sideways_on_a_360_px_phone(
    live_server, small_phone, screens, villages
):
    wide = []
    signed_in = None
    for username, path in pages(screens, villages):
        if username != signed_in:
            sign_in(small_phone, live_server, username)
            signed_in = username
        response = small_phone.goto(live_server.url + path)
        assert response.status == 200, path
        width = small_phone.evaluate("document.documentElement.scrollWidth")
        if width > SMALLEST_PHONE["width"]:
            wide.append((path, width))

    assert wide == []


def test_household_page_values_stay_on_a_360_px_screen(
    live_server, small_phone, screens
):
    sign_in(small_phone, live_server, "truongthon")
    small_phone.goto(live_server.url + screens["household"].get_absolute_url())

    for value in small_phone.locator("dl.facts dd").all():
        box = value.bounding_box()
        assert box["x"] + box["width"] <= SMALLEST_PHONE["width"], value.inner_text()


def test_report_period_form_shows_its_default_due_date(
    live_server, small_phone, screens
):
    sign_in(small_phone, live_server, "vhtt")
    small_phone.goto(live_server.url + reverse("reports:year-open"))

    year = datetime.date.today().year
    expect(small_phone.get_by_label("Hạn nộp")).to_have_value(f"{year}-10-01")
