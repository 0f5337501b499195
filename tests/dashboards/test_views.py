import pytest
from django.urls import reverse

from ntm.households.models import Household

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

    with django_assert_max_num_queries(4):
        client.get(reverse("home"))
