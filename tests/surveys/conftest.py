import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from ntm.surveys.models import Choice, Question, Survey

# The channel's fake gateway on loopback, the one for every SMS test; pytest
# finds an imported fixture in a conftest as if it were defined here.
from tests.channel.conftest import fake_server  # noqa: F401
from tests.factories import HouseholdFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_survey(unit, *, status=Survey.Status.OPEN, **extra):
    now = timezone.now()
    fields = {
        "title": "Lấy ý kiến sự hài lòng 2025",
        "slug": f"hai-long-{Survey.objects.count() + 1}",
        "unit": unit,
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=10),
        "status": status,
    }
    fields.update(extra)
    return Survey.objects.create(**fields)


def add_questions(survey):
    """Overall yes/no (counted), a rating (counted), a text shown on 'no'."""
    overall = Question.objects.create(
        survey=survey,
        order=1,
        kind=Question.Kind.SINGLE,
        text="Gia đình có hài lòng không?",
        counts_for_satisfaction=True,
        content_area="Chung",
    )
    yes = Choice.objects.create(
        question=overall, order=1, label="Hài lòng", value="yes", satisfied=True
    )
    no = Choice.objects.create(question=overall, order=2, label="Chưa", value="no")
    rating = Question.objects.create(
        survey=survey,
        order=2,
        kind=Question.Kind.RATING,
        text="Giao thông",
        counts_for_satisfaction=True,
        content_area="Giao thông",
    )
    why = Question.objects.create(
        survey=survey,
        order=3,
        kind=Question.Kind.TEXT,
        text="Vì sao chưa hài lòng?",
        required=True,
        relevant_question=overall,
        relevant_choice=no,
    )
    return {"overall": overall, "yes": yes, "no": no, "rating": rating, "why": why}


@pytest.fixture
def survey(units, villages):
    survey = make_survey(units["ha_nha"])
    survey.q = add_questions(survey)
    return survey


@pytest.fixture
def household(villages):
    return HouseholdFactory(
        code="HN0001", village=villages["hn1"], phone="0905 123 456"
    )


@pytest.fixture
def sms_gateway(fake_server, settings):  # noqa: F811 (the fixture above)
    """Start a fake SMS gateway on loopback answering ``answers`` and point the
    shared SMS notifier (settings.SMS_NOTIFIER) at it."""

    def start(*answers):
        gateway = fake_server(*(answers or [(200, {})]))
        settings.SMS_NOTIFIER = {
            "kind": "http",
            "name": "sms",
            "url": gateway.url,
            "token": "sms-key",
            "timeout": 2,
        }
        return gateway

    return start
