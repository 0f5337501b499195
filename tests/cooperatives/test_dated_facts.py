"""Closed years never change (issue 12, item 1): targets 6 and 7 count the
cooperatives' facts by their dates, and closing a year freezes its figures
until an audited reopening."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ntm.cooperatives.services import update_cooperative, update_linkage_model
from ntm.core.models import ActionLog
from ntm.indicators.models import Period
from ntm.indicators.services import WorkflowError, close_period, reopen_period
from ntm.plans.progress import target_results

from .test_indicators import DAI_DONG, DAI_HONG, DAI_MINH

pytestmark = pytest.mark.django_db

YEARS = (2023, 2024, 2025)


def _figures(plan, number):
    """{year: value} of plan target ``number``, 2023 to 2025."""
    return {
        year: next(
            r for r in target_results(plan, year) if r.target.number == number
        ).value
        for year in YEARS
    }


@pytest.fixture
def cooperatives(old, make_cooperative, make_linkage):
    """Digital since founding in Đại Đồng and Đại Hồng; not digital in Đại
    Minh. A tied, raw-material, digital linkage model in Đại Đồng."""
    dong = make_cooperative(old[DAI_DONG], digital=True)
    hong = make_cooperative(old[DAI_HONG], digital=True)
    minh = make_cooperative(old[DAI_MINH])
    model = make_linkage(
        dong,
        tied_to_sales=True,
        has_raw_material_area=True,
        applies_digital_technology=True,
        started_year=2020,
    )
    return {"dong": dong, "hong": hong, "minh": minh, "model": model}


def test_an_edit_today_leaves_the_earlier_years_figures_as_they_were(
    cooperatives, plan, ecommerce
):
    target_6 = _figures(plan, "6")
    target_7a = _figures(plan, "7a")
    target_7b = _figures(plan, "7b")

    # Today: Đại Đồng stops applying digital technology, Đại Hồng's
    # cooperative closes down, Đại Minh's starts applying it, the linkage
    # model stops.
    update_cooperative(
        cooperatives["dong"], applies_digital_technology=False, technologies=[], by=None
    )
    update_cooperative(cooperatives["hong"], is_active=False, by=None)
    update_cooperative(
        cooperatives["minh"],
        applies_digital_technology=True,
        technologies=[ecommerce],
        by=None,
    )
    update_linkage_model(cooperatives["model"], is_active=False, by=None)

    today = timezone.localdate()
    cooperatives["dong"].refresh_from_db()
    cooperatives["hong"].refresh_from_db()
    cooperatives["minh"].refresh_from_db()
    assert cooperatives["dong"].digital_until == today
    assert cooperatives["hong"].dissolved_on == today
    assert cooperatives["minh"].digital_since == today
    cooperatives["model"].refresh_from_db()
    assert cooperatives["model"].ended_year == today.year
    assert target_6[2024] == Decimal("11.76")  # 2 of 17 xã
    assert _figures(plan, "6") == target_6
    assert _figures(plan, "7a") == target_7a
    assert _figures(plan, "7b") == target_7b


def test_a_closed_year_keeps_its_figure_until_an_audited_reopening(
    cooperatives, plan, old, make_cooperative
):
    admin = None
    before = _figures(plan, "6")
    close_period(Period.year(2024), by=admin)

    # Entered late, back-dated: digital since 2020 in Đại Minh.
    late = make_cooperative(
        old[DAI_MINH], digital=True, founded_on=datetime.date(2019, 5, 1)
    )
    late.digital_since = datetime.date(2020, 1, 1)
    late.save(update_fields=["digital_since"])

    after = _figures(plan, "6")
    assert after[2024] == before[2024] == Decimal("11.76")  # frozen: 2 of 17
    assert after[2023] == Decimal("17.65")  # open: 3 of 17, from the dates

    period = Period.year(2024)
    reopen_period(period, by=admin, reason="Bổ sung HTX Đại Minh nhập sót")
    assert _figures(plan, "6")[2024] == Decimal("17.65")
    close_period(period, by=admin)
    period.refresh_from_db()

    assert _figures(plan, "6")[2024] == Decimal("17.65")
    assert period.reopen_reason == "Bổ sung HTX Đại Minh nhập sót"
    logged = ActionLog.objects.filter(action__startswith="indicators.period.")
    logged = logged.order_by("pk")
    assert [entry.action for entry in logged] == [
        "indicators.period.closed",
        "indicators.period.reopened",
        "indicators.period.closed",
    ]
    assert logged[1].data["reason"] == "Bổ sung HTX Đại Minh nhập sót"


def test_closing_and_reopening_refuse_what_makes_no_sense(units):
    this_year = Period.year(timezone.localdate().year)
    last_year = Period.year(timezone.localdate().year - 1)

    with pytest.raises(WorkflowError, match="chưa kết thúc"):
        close_period(this_year, by=None)
    with pytest.raises(WorkflowError, match="Mở lại"):
        reopen_period(last_year, by=None, reason="Sửa")
    close_period(last_year, by=None)
    with pytest.raises(WorkflowError, match="Khóa sổ"):
        close_period(last_year, by=None)
    with pytest.raises(WorkflowError, match="Ghi lý do"):
        reopen_period(last_year, by=None, reason="   ")
    last_year.refresh_from_db()
    assert last_year.status == Period.Status.CLOSED
    assert this_year.status == Period.Status.OPEN
