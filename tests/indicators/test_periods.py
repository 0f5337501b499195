"""Closing a reporting period and reopening it: entered values lock, the
district admin's page, the note every figure of the year carries, the API."""

import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.indicators.models import Period
from ntm.indicators.services import (
    WorkflowError,
    close_period,
    reopen_period,
    return_value,
    save_value,
)
from ntm.units.models import Unit
from tests.accounts.signin import sign_in_verified
from tests.factories import make_member, make_village
from tests.workbooks import notes, workbook_of

from .conftest import make_indicator

pytestmark = pytest.mark.django_db

SMART = "THON_THONG_MINH_DAI_LOC"


@pytest.fixture
def budget(units):
    return make_indicator("XA.BUDGET", level=Unit.Level.COMMUNE)


@pytest.fixture
def admin(units):
    return make_member(units["city"], Role.DISTRICT_ADMIN, full_name="Quản Trị")


def test_a_closed_periods_entered_values_no_longer_change(
    units, budget, approve, officer, reviewer
):
    period = Period.year(2025)
    entry = approve(budget, units["ha_nha"], period, 5)
    close_period(period, by=None)

    with pytest.raises(WorkflowError, match="đã khóa sổ"):
        return_value(entry, by=reviewer, reason="Sai số")
    with pytest.raises(WorkflowError, match="đã khóa sổ"):
        save_value(
            indicator=budget, unit=units["vu_gia"], period=period, value=3, by=officer
        )

    reopen_period(period, by=None, reason="Đính chính kinh phí Hà Nha")
    returned = return_value(entry, by=reviewer, reason="Sai số")
    assert returned.status == returned.Status.RETURNED


def test_the_admin_closes_and_reopens_a_year_on_its_page(client, admin):
    Period.year(2024)
    sign_in_verified(client, admin)

    page = client.get(reverse("indicators:period-list"))
    closed = client.post(reverse("indicators:period-close", args=["2024"]))
    refused = client.post(
        reverse("indicators:period-reopen", args=["2024"]), {"reason": "  "}
    )
    still = Period.objects.get(code="2024")
    reopened = client.post(
        reverse("indicators:period-reopen", args=["2024"]),
        {"reason": "Bổ sung hồ sơ"},
        follow=True,
    )

    assert page.status_code == 200
    assert "Khóa sổ" in page.content.decode()
    assert closed.status_code == 302
    assert refused.status_code == 422
    assert "Ghi lý do mở lại" in refused.content.decode()
    assert still.status == Period.Status.CLOSED
    assert still.closed_by == admin
    assert "Đã mở lại Năm 2024." in reopened.content.decode()
    period = Period.objects.get(code="2024")
    assert (period.status, period.reopened_by) == (Period.Status.REOPENED, admin)


def test_a_commune_officer_cannot_close_a_year(client, units):
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER)
    Period.year(2024)
    client.force_login(officer)

    assert client.get(reverse("indicators:period-list")).status_code == 403
    response = client.post(reverse("indicators:period-close", args=["2024"]))

    assert response.status_code == 403
    assert Period.objects.get(code="2024").status == Period.Status.OPEN


def test_the_scorecard_and_the_api_say_the_year_is_closed_and_was_reopened(
    client, units, smart_set
):
    village = make_village(units["ha_nha"], 1)
    period = Period.year(2025)
    close_period(period, by=None)
    reopen_period(period, by=None, reason="Sửa số hộ có Internet")
    close_period(period, by=None)

    url = reverse("indicators:evaluation-detail", args=[SMART, village.code])
    page = client.get(f"{url}?nam=2025").content.decode()
    api = client.get(
        f"/api/v1/evaluations/{SMART}/{village.code}", {"year": "2025"}
    ).json()

    export = reverse("indicators:evaluation-export", args=[SMART, village.code])
    sheet = notes(workbook_of(client.get(f"{export}?nam=2025")))
    assert "(lý do: Sửa số hộ có Internet) rồi khóa sổ lại" in sheet["tinh trang ky"]
    assert "Năm 2025 đã khóa sổ ngày" in page
    assert "(lý do: Sửa số hộ có Internet) rồi khóa sổ lại" in page
    assert api["period"]["status"] == "closed"
    assert api["period"]["live"] is False
    assert api["period"]["reopen_reason"] == "Sửa số hộ có Internet"
