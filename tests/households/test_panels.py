import pytest
from django.http import QueryDict
from django.urls import reverse

from ntm.accounts.models import Role

from ..factories import (
    BEFORE_2025,
    HouseholdFactory,
    make_member,
    make_moved_village,
)

pytestmark = pytest.mark.django_db


def test_unit_page_counts_households_without_showing_them(client, villages):
    HouseholdFactory.create_batch(2, village=villages["hn1"], head_name="Lê Thị Kín")
    HouseholdFactory(village=villages["vg1"])

    response = client.get(reverse("units:unit-detail", args=["20515"]))

    panels = {p["title"]: p for p in response.context["panels"]}
    assert panels["Hộ gia đình"]["value"] == 2
    assert panels["Hộ gia đình"]["url"] is None
    assert "Lê Thị Kín" not in response.content.decode()


def test_unit_page_links_the_register_for_its_keepers(client, villages):
    officer = make_member(villages["hn1"].parent, Role.COMMUNE_OFFICER)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("units:unit-detail", args=["20515"]))

    (panel,) = response.context["panels"]
    # The register's filter reads codes (ids there were a mistake: a
    # household list filtered by nothing).
    assert panel["url"].endswith(f"?commune={villages['hn1'].parent.code}")


def test_old_commune_counts_households_now_in_its_successor_villages(units):
    from ntm.households.panels import household_count

    _old_village, new_village = make_moved_village(units)
    HouseholdFactory.create_batch(3, village=new_village)

    panel = household_count(units["dai_dong"], _Anonymous())

    assert units["dai_dong"].is_valid_on(BEFORE_2025)
    assert panel["value"] == 3
    assert panel["title"] == "Hộ gia đình (nay thuộc các thôn kế thừa)"


class _Anonymous:
    GET = QueryDict()

    class user:  # noqa: N801
        is_authenticated = False
