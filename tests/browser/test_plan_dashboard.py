import pytest
from django.core.cache import cache
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.indicators.models import Indicator, Period
from ntm.indicators.services import (
    approve_value,
    load_all_criteria,
    save_value,
    submit_value,
)
from ntm.plans.services import load_all_plans
from ntm.units.models import Unit
from tests.factories import UserFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _approve_8_4(unit, value, clerk, reviewer):
    entry = save_value(
        indicator=Indicator.objects.get(code="NTM-XA.8.4"),
        unit=unit,
        period=Period.year(2024),
        value=value,
        by=clerk,
    )
    submit_value(entry, by=clerk)
    approve_value(entry, by=reviewer)


def test_focal_office_follows_a_lagging_commune_to_its_scorecard(
    live_server, units, desktop
):
    cache.clear()  # plan results are cached per change of the audit log
    load_all_criteria()
    load_all_plans()
    xa = list(
        Unit.objects.valid_on(Period.year(2024).end)
        .communes()
        .filter(kind=Unit.Kind.COMMUNE)
        .order_by("code")
    )
    clerk, reviewer = UserFactory(), UserFactory()
    for commune in xa[:16]:
        _approve_8_4(commune, 1, clerk, reviewer)
    _approve_8_4(xa[16], 0, clerk, reviewer)
    make_member(
        units["district"], Role.OFFICE_STAFF, office=Office.CULTURE, username="vhtt"
    )
    page = desktop

    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("Tên đăng nhập").fill("vhtt")
    page.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{reverse('dashboards:plan-progress')}?nam=2024")
    card = page.locator("#muc-tieu-2")
    assert "94,12 %" in card.locator(".target-value").inner_text()
    assert card.locator(".status").first.inner_text().endswith("Chưa đạt")
    card.get_by_role("link", name="100% số xã đạt chuẩn chỉ tiêu 8.4").click()
    page.locator("h1.target-title").wait_for()
    page.locator(".laggards").get_by_role("link", name=xa[16].name).click()

    head = page.locator(".scorecard-head")
    head.wait_for()
    assert xa[16].name in head.locator("h1").inner_text()
    assert page.url.endswith(f"/{xa[16].code}/?nam=2024")
