import datetime

import pytest
from django.utils import timezone

from ntm.households.services import create_household
from ntm.surveys.models import Response, Survey
from tests.factories import EcommercePlatformFactory


@pytest.fixture
def platforms(db):
    return {
        "voso": EcommercePlatformFactory(name="Voso.vn"),
        "postmart": EcommercePlatformFactory(name="PostMart.vn"),
    }


@pytest.fixture
def make_household(db):
    """Households built through the service, as the pages build them."""
    counter = iter(range(1, 10_000))

    def make(village, **fields):
        fields.setdefault("code", f"HGD{next(counter):05d}")
        fields.setdefault("head_name", "Nguyễn Văn An")
        fields.setdefault("members", 4)
        return create_household(village=village, by=None, **fields)

    return make


@pytest.fixture
def login(client):
    """Sign a user in; django-axes comes first in the backends, so name one."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def answered(make_household, villages):
    """A household of Thôn 1, Hà Nha that answered a survey of its commune."""
    household = make_household(villages["hn1"], head_name="Phạm Thị Đã Trả Lời")
    now = timezone.now()
    survey = Survey.objects.create(
        title="Lấy ý kiến sự hài lòng",
        slug="hai-long",
        unit=villages["hn1"].parent,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
        status=Survey.Status.OPEN,
    )
    Response.objects.create(survey=survey, household=household)
    return household
