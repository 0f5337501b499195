"""/api/v1/indicators: criteria sets (public), entered values (scoped)."""

import json

import pytest

from ntm.accounts.models import Office, Role
from ntm.core.models import ActionLog
from ntm.indicators.models import IndicatorValue, Period
from ntm.indicators.services import save_value
from tests.factories import make_member
from tests.indicators.conftest import make_indicator, make_set

pytestmark = pytest.mark.django_db
BASE = "/api/v1/indicators"


@pytest.fixture
def indicator(db):
    return make_indicator("SV.CLUB")


def _put(client, body, **headers):
    return client.put(f"{BASE}/values", json.dumps(body), "application/json", **headers)


def test_criteria_sets_list_criteria_indicators_and_unconfirmed_thresholds(
    client, indicator
):
    criteria_set = make_set("CLUB", ("1", "C.1", indicator, "gte", 2))
    criteria_set.criteria.get().requirements.update(confirmed=False)

    response = client.get(f"{BASE}/criteria-sets?level=village")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1 and body["page"] == 1
    found = body["results"][0]
    assert found["unconfirmed"] == 1
    requirement = found["criteria"][0]["requirements"][0]
    assert requirement["indicator"]["code"] == "SV.CLUB"
    assert requirement["threshold"] == "2.0000" or float(requirement["threshold"]) == 2
    assert requirement["unconfirmed"] is True


def test_criteria_sets_list_does_not_grow_queries(
    client, indicator, django_assert_max_num_queries
):
    for n in range(3):
        make_set(
            f"S{n}",
            ("1", "C.1", indicator, "gte", 2),
            ("2", "C.2", indicator, "gte", 1),
        )

    with django_assert_max_num_queries(6):
        response = client.get(f"{BASE}/criteria-sets")

    assert response.json()["count"] == 3


def test_values_are_read_within_the_callers_units_only(
    client, villages, village_head, indicator, key_for
):
    period = Period.year(2026)
    mine = save_value(
        indicator=indicator, unit=villages["hn1"], period=period, value=3, by=None
    )
    save_value(
        indicator=indicator, unit=villages["vg1"], period=period, value=1, by=None
    )
    headers = key_for(village_head)

    listed = client.get(f"{BASE}/values?period=2026&state=draft", **headers)
    other_unit = client.get(f"{BASE}/values?unit={villages['vg1'].code}", **headers)
    anonymous = client.get(f"{BASE}/values")

    assert [v["id"] for v in listed.json()["results"]] == [mine.pk]
    assert other_unit.status_code == 404
    assert anonymous.status_code == 401


def test_value_outside_scope_is_not_found(client, villages, village_head, indicator):
    entry = save_value(
        indicator=indicator,
        unit=villages["vg1"],
        period=Period.year(2026),
        value=1,
        by=None,
    )
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.get(f"{BASE}/values/{entry.pk}")

    assert response.status_code == 404


def test_enter_submit_and_approve_through_the_services(
    client, villages, village_head, units, indicator, key_for
):
    reviewer = make_member(units["city"], Role.OFFICE_STAFF, office=Office.CULTURE)
    enter = key_for(village_head, "read", "write:indicators")
    review = key_for(reviewer, "read", "write:indicators")
    body = {
        "indicator": "SV.CLUB",
        "unit": villages["hn1"].code,
        "period": "2026",
        "value": "3",
    }

    entered = _put(client, body, **enter)
    value_id = entered.json()["id"]
    submitted = client.post(f"{BASE}/values/{value_id}/submit", **enter)
    self_approved = client.post(f"{BASE}/values/{value_id}/approve", **enter)
    approved = client.post(f"{BASE}/values/{value_id}/approve", **review)
    again = _put(client, {**body, "value": "4"}, **enter)

    assert entered.status_code == 200 and entered.json()["status"] == "draft"
    assert submitted.json()["status"] == "submitted"
    assert self_approved.status_code == 403
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert again.status_code == 422  # locked once approved
    entry = IndicatorValue.objects.get()
    assert entry.reviewed_by == reviewer and entry.value == 3
    actions = list(
        ActionLog.objects.filter(action__startswith="indicators.value")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "indicators.value.created",
        "indicators.value.submitted",
        "indicators.value.approved",
    ]


def test_enter_refuses_a_unit_outside_the_callers_units(
    client, villages, village_head, indicator, key_for
):
    body = {
        "indicator": "SV.CLUB",
        "unit": villages["vg1"].code,
        "period": "2026",
        "value": "3",
    }

    response = _put(client, body, **key_for(village_head, "read", "write:indicators"))

    assert response.status_code == 403
    assert not IndicatorValue.objects.exists()


def test_return_needs_a_state_that_allows_it(
    client, villages, units, indicator, key_for
):
    reviewer = make_member(units["city"], Role.DISTRICT_ADMIN)
    entry = save_value(
        indicator=indicator,
        unit=villages["hn1"],
        period=Period.year(2026),
        value=1,
        by=None,
    )

    response = client.post(
        f"{BASE}/values/{entry.pk}/return",
        json.dumps({"reason": "Thiếu minh chứng"}),
        "application/json",
        **key_for(reviewer, "read", "write:indicators"),
    )

    assert response.status_code == 409
