"""Database constraints reach people in Vietnamese: forms, and the API."""

import json

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from ntm.api import api
from ntm.core.constraints import violation
from ntm.households.models import EcommercePlatform, Household
from ntm.plans.forms import BudgetLineForm
from ntm.plans.models import BudgetLine, KeyTask, Plan
from ntm.surveys.models import Response, Survey
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _constraints():
    for model in apps.get_models():
        if model.__module__.startswith("ntm."):
            for constraint in model._meta.constraints:
                yield model, constraint


def _integrity_error(write):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    return error.value


@pytest.fixture
def household(villages):
    return HouseholdFactory(code="HGD1", village=villages["hn1"], members=2)


@pytest.fixture
def response(household, villages):
    survey = Survey.objects.create(
        title="Hài lòng",
        slug="hai-long",
        unit=villages["hn1"].parent,
        opens_at="2025-01-01T00:00+07:00",
        closes_at="2025-02-01T00:00+07:00",
    )
    return Response.objects.create(survey=survey, household=household)


def test_every_constraint_has_its_own_vietnamese_message():
    defaults = [
        f"{model._meta.label}.{constraint.name}"
        for model, constraint in _constraints()
        if constraint.violation_error_message
        == constraint.default_violation_error_message
    ]

    assert defaults == []
    # The walk finds them all (40 before OCOP).
    assert len(list(_constraints())) > 40


def test_a_form_hitting_a_constraint_shows_its_vietnamese_message(units):
    plan = Plan.objects.create(
        code="KH", title="Kế hoạch", issuer="UBND huyện", unit=units["district"],
        first_year=2024, last_year=2025,
    )  # fmt: skip
    task = KeyTask.objects.create(
        plan=plan, number="1", title="Nhiệm vụ", lead_office="vhtt",
        deadline="2025-12-31",
    )  # fmt: skip
    BudgetLine.objects.create(task=task, year=2024, source="huyen", allocated=1)
    data = {"task": task.pk, "year": 2024, "source": "huyen", "allocated": 2}

    form = BudgetLineForm(data, plan=plan)

    assert form.errors["__all__"] == [
        "Nhiệm vụ đã có dòng kinh phí của nguồn này trong năm đó."
    ]


def test_violation_names_a_unique_constraint_as_a_conflict(response):
    error = _integrity_error(
        lambda: Response.objects.create(
            survey=response.survey, household=response.household
        )
    )

    assert violation(error) == (409, "Hộ đã trả lời khảo sát này.")


def test_violation_names_a_check_constraint_as_a_bad_value(household):
    error = _integrity_error(
        lambda: Household.all_objects.filter(pk=household.pk).update(
            health_app_members=5
        )
    )

    assert violation(error) == (
        400,
        "Số người dùng ứng dụng y tế không được lớn hơn số nhân khẩu.",
    )


def test_violation_names_a_unique_field(db):
    EcommercePlatform.objects.create(name="Voso.vn")
    error = _integrity_error(lambda: EcommercePlatform.objects.create(name="Voso.vn"))

    assert violation(error) == (
        409,
        "Sàn thương mại điện tử có tên sàn này đã tồn tại.",
    )


def test_violation_names_the_households_code_rule(household, villages):
    error = _integrity_error(
        lambda: Household.all_objects.create(
            code="HGD1", village=villages["hn1"], head_name="Khác"
        )
    )

    assert violation(error) == (409, "Mã hộ đã được dùng.")


def test_api_answers_an_integrity_error_with_its_message_not_a_500(response):
    error = _integrity_error(
        lambda: Response.objects.create(
            survey=response.survey, household=response.household
        )
    )

    answer = api.on_exception(RequestFactory().post("/api/v1/"), error)

    assert answer.status_code == 409
    assert json.loads(answer.content) == {"detail": "Hộ đã trả lời khảo sát này."}
