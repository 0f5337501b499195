import datetime
import re

import pytest
from django.urls import reverse

from ntm.indicators.models import Period
from ntm.indicators.services import CRITERIA_DIR, freeze_period, load_criteria_file
from tests.factories import (
    FacilityFactory,
    HouseholdFactory,
    backdate_register,
    make_village,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_phone_user_reads_a_smart_village_card_in_words(
    live_server, transactional_db, units, phone
):
    load_criteria_file(CRITERIA_DIR / "10_thon_thong_minh_dai_loc.json")
    village = make_village(units["ha_nha"], 1)
    for n in range(8):
        HouseholdFactory(
            village=village,
            address_code=f"DC{n:03d}",
            has_fibre=n < 7,
            smartphones=1 if n < 6 else 0,
            members=4,
            health_app_members=3,
        )
    FacilityFactory(village=village)
    backdate_register(datetime.date(2025, 1, 1))
    freeze_period(Period.year(2025), by=None)
    path = reverse(
        "indicators:evaluation-detail",
        args=["THON_THONG_MINH_DAI_LOC", village.code],
    )

    phone.goto(f"{live_server.url}{path}?nam=2025")

    head = phone.locator(".scorecard-head")
    assert "Thôn 1" in head.locator("h1").inner_text()
    assert head.locator(".status-large").inner_text().endswith("Chưa đạt")
    fibre = phone.locator("li.requirement", has_text="TM.5")
    assert "87,5 %" in fibre.locator(".value").inner_text()
    assert fibre.locator(".status").inner_text().endswith("Đạt")
    assert phone.get_by_text("Ngưỡng chưa xác minh").first.is_visible()
    # Nothing is wider than the phone: no sideways scrolling.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    fibre.get_by_role("link", name="Xem chi tiết").click()
    drilldown = fibre.locator(".drilldown")
    drilldown.get_by_text("Tử số").wait_for()
    assert re.search(r"Mẫu số\s*8", drilldown.inner_text())
