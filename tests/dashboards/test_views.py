import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ntm.households.models import Household
from ntm.surveys.models import Survey

from ..factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_home_counts_households_per_current_commune_from_records(client, villages):
    HouseholdFactory.create_batch(3, village=villages["hn1"])
    HouseholdFactory(village=villages["vg1"])

    response = client.get(reverse("home"))

    communes = {
        c.name: c.household_count for c in response.context["summary"]["communes"]
    }
    assert communes["Xã Hà Nha"] == 3
    assert communes["Xã Vu Gia"] == 1
    assert response.context["summary"]["household_count"] == Household.objects.count()
    assert "Dữ liệu minh họa" in response.content.decode()


def test_home_shows_no_personal_data(client, villages):
    HouseholdFactory(
        village=villages["hn1"], head_name="Phạm Văn Riêng", phone="0905999888"
    )

    body = client.get(reverse("home")).content.decode()

    assert "Phạm Văn Riêng" not in body
    assert "0905999888" not in body


@pytest.mark.parametrize("count", [1, 4])
def test_home_query_count_does_not_grow_with_households(
    client, villages, django_assert_max_num_queries, count
):
    HouseholdFactory.create_batch(count, village=villages["hn2"])

    with django_assert_max_num_queries(5):
        client.get(reverse("home"))


def test_home_lists_the_surveys_open_now_for_citizens(client, units):
    now = timezone.now()
    open_one = Survey.objects.create(
        title="Ý kiến người dân Hà Nha",
        slug="y-kien-ha-nha",
        unit=units["ha_nha"],
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=3),
        status=Survey.Status.OPEN,
    )
    Survey.objects.create(
        title="Khảo sát nháp",
        slug="nhap",
        unit=units["ha_nha"],
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=3),
    )

    body = client.get(reverse("home")).content.decode()

    assert reverse("surveys:public-start", args=[open_one.slug]) in body
    assert "Ý kiến người dân Hà Nha" in body
    assert "Khảo sát nháp" not in body
