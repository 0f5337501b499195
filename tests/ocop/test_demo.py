import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ntm.demo.builders import load_demo
from ntm.ocop.models import Entity, Evaluation, GreenChain, Product, SalesChannel
from ntm.plans.models import Plan
from ntm.plans.progress import target_results

from ..module_records import check_deferred_constraints, kept_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module's tests."""
    with kept_for_module(django_db_blocker):
        load_demo(households=400)
        check_deferred_constraints()
        yield


def test_demo_gives_targets_8_and_9_computed_values(demo, client):
    plan = Plan.objects.get()

    for year in (2023, 2024, 2025):
        results = {r.target.number: r for r in target_results(plan, year)}
        assert results["8"].value is not None
        assert results["9"].value is not None
    page = client.get(reverse("dashboards:plan-summary"), {"nam": "2025"}).text
    for number in ("8", "9"):
        card = page.split(f'id="muc-tieu-{number}"', 1)[1].split("</li>", 1)[0]
        value = card.split('class="target-value">', 1)[1].split("</dd>", 1)[0]
        assert "Chưa có số liệu" not in value
        assert "%" in value


def test_demo_records_are_labelled_and_spread_the_stars(demo):
    today = timezone.localdate()
    certified = Evaluation.objects.certified()
    latest = {}
    for evaluation in certified.order_by("certificate_date"):
        latest[evaluation.product_id] = evaluation

    for model in (Entity, Product, Evaluation, SalesChannel, GreenChain):
        assert model.objects.exists()
        assert not model.objects.filter(is_demo=False).exists()
    assert set(Evaluation.objects.values_list("stars", flat=True)) >= {1, 2, 3, 4, 5}
    assert [e for e in latest.values() if e.is_expired_on(today)]
    assert Evaluation.objects.expiring_between(
        today, today + datetime.timedelta(days=90)
    ).exists()
    assert Entity.objects.filter(accounts__username="sanxuat").exists()
    assert Entity.objects.filter(household__isnull=False).exists()
    assert Entity.objects.filter(cooperative__isnull=False).exists()
