"""/api/v1/plans/{code}/tasks and /budget: district staff, page services."""

import datetime
import json

import pytest

from ntm.accounts.models import Office, Role
from ntm.core.models import ActionLog
from ntm.plans.models import BudgetLine, KeyTask
from tests.factories import make_member
from tests.plans.helpers import task

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(units):
    return {
        office: make_member(units["district"], Role.OFFICE_STAFF, office=office)
        for office in (Office.CULTURE, Office.FINANCE, Office.POLICE)
    }


def _post(client, url, body, **headers):
    return client.post(url, json.dumps(body), "application/json", **headers)


def test_tasks_are_read_by_staff_and_filtered(client, plan, staff, key_for):
    task(plan, "901", lead_office="vhtt")
    task(plan, "902", lead_office="tckh")
    url = f"/api/v1/plans/{plan.code}/tasks?office=tckh&page_size=200"

    response = client.get(url, **key_for(staff[Office.POLICE]))
    anonymous = client.get(url)

    numbers = [t["number"] for t in response.json()["results"]]
    assert response.status_code == 200
    assert "902" in numbers and "901" not in numbers
    assert anonymous.status_code == 401


def test_lead_office_reports_progress_through_the_service(client, plan, staff, key_for):
    task(plan, "901", lead_office="vhtt")
    url = f"/api/v1/plans/{plan.code}/tasks/901/updates"
    body = {
        "date": datetime.date.today().isoformat(),
        "progress": 40,
        "status": KeyTask.Status.IN_PROGRESS,
        "text": "Đã lắp 12 điểm Wi-Fi.",
    }
    writer = ["read", "write:plans"]

    refused = _post(client, url, body, **key_for(staff[Office.POLICE], *writer))
    read_only = _post(client, url, body, **key_for(staff[Office.CULTURE]))
    done = _post(client, url, body, **key_for(staff[Office.CULTURE], *writer))
    invalid = _post(
        client,
        url,
        {**body, "status": KeyTask.Status.DONE},
        **key_for(staff[Office.CULTURE], *writer),
    )

    assert refused.status_code == 403
    assert read_only.status_code == 403
    assert done.status_code == 201 and done.json()["progress"] == 40
    assert invalid.status_code == 422
    assert KeyTask.objects.get(number="901").updates.count() == 1
    # Every write with a write key is logged, refused ones too.
    assert ActionLog.objects.filter(action="accounts.token.used").count() == 3


def test_finance_office_writes_budget_lines(client, plan, staff, key_for):
    task(plan, "901")
    url = f"/api/v1/plans/{plan.code}/budget"
    body = {
        "task": "901",
        "year": plan.first_year,
        "source": "huyen",
        "allocated": "150000000",
    }
    finance = key_for(staff[Office.FINANCE], "read", "write:plans")

    refused = _post(
        client, url, body, **key_for(staff[Office.CULTURE], "read", "write:plans")
    )
    created = _post(client, url, body, **finance)
    changed = client.patch(
        f"{url}/{created.json()['id']}",
        json.dumps({"disbursed": "200000000"}),
        "application/json",
        **finance,
    )
    listed = client.get(f"{url}?year={plan.first_year}", **finance)

    assert refused.status_code == 403
    assert created.status_code == 201, created.json()
    assert changed.status_code == 200 and changed.json()["over_disbursed"] is True
    assert [line["task"] for line in listed.json()["results"]] == ["901"]
    assert BudgetLine.objects.get().disbursed == 200000000
    assert ActionLog.objects.filter(action__startswith="plans.budget").count() == 2
