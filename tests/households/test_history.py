"""The register as of any past day (issue 12, time travel): every write keeps
a dated version, and a past day reads the versions of that day."""

import datetime

import pytest
from freezegun import freeze_time

from ntm.households.addresses import assign_village_addresses
from ntm.households.history import households_on
from ntm.households.imports import import_households
from ntm.households.indicators import cultural_house_wifi, household_shares
from ntm.households.models import Facility, Household
from ntm.households.services import (
    archive_household,
    create_facility,
    create_household,
    update_facility,
    update_household,
)
from ntm.indicators.providers import fraction
from tests.factories import make_member, make_moved_village

from .workbooks import row, xlsx

pytestmark = pytest.mark.django_db

END_2024 = datetime.date(2024, 12, 31)
END_2025 = datetime.date(2025, 12, 31)


@pytest.fixture
def moved(units):
    return make_moved_village(units)


@pytest.fixture
def lived(moved):
    """A household registered in 2024 in the old village, carried into the
    new one on the reorganisation, given fibre in 2026."""
    old, new = moved
    with freeze_time("2024-03-01 09:00:00+07:00"):
        household = create_household(
            village=old, code="DD0001", head_name="Lê Văn Ba", members=4, by=None
        )
    with freeze_time("2025-07-01 08:00:00+07:00"):
        update_household(household, village=new, by=None)
    with freeze_time("2026-05-04 10:00:00+07:00"):
        update_household(household, has_fibre=True, by=None)
    return household


def test_a_past_day_reads_the_version_of_that_day(moved, lived):
    old, new = moved

    then = Household.history.followed_on(END_2024).get(code="DD0001")
    later = Household.history.followed_on(END_2025).get(code="DD0001")

    assert (then.village_id, then.has_fibre) == (old.pk, False)
    assert (later.village_id, later.has_fibre) == (new.pk, False)
    # Not registered yet on the last day of February 2024.
    assert not Household.history.followed_on(datetime.date(2024, 2, 29)).exists()
    # Today is the register itself.
    assert list(households_on(None)) == [Household.objects.get(code="DD0001")]
    assert Household.history.filter(code="DD0001").count() == 3


def test_an_edit_today_leaves_every_past_day_as_it_was(moved, lived):
    old, _new = moved
    before = list(Household.history.followed_on(END_2024).values())

    update_household(lived, members=7, head_name="Lê Văn Bảy", by=None)

    assert list(Household.history.followed_on(END_2024).values()) == before
    assert Household.history.followed_on(END_2024).get().members == 4


def test_a_departure_recorded_late_counts_from_its_own_day(lived):
    archive_household(
        lived, by=None, reason="Chuyển vào Đà Nẵng", on=datetime.date(2026, 3, 1)
    )

    assert Household.history.followed_on(datetime.date(2026, 2, 28)).count() == 1
    assert not Household.history.followed_on(datetime.date(2026, 3, 1)).exists()
    assert Household.history.on(datetime.date(2026, 3, 1)).left_by(
        datetime.date(2026, 3, 1)
    ).get().left_reason == ("Chuyển vào Đà Nẵng")


def test_old_units_read_their_households_on_their_own_days(units, moved, lived):
    # The 2024 version sits in the old village: the old commune finds it
    # directly; today's version sits in the new village, which the old
    # commune reaches through the reorganisation.
    on_2024 = Household.history.followed_on(END_2024)

    assert on_2024.in_unit(units["dai_dong"]).count() == 1
    assert on_2024.in_unit(units["ha_nha"]).count() == 0
    assert Household.objects.in_unit(units["dai_dong"]).count() == 1
    assert Household.history.followed_on(END_2025).in_unit(units["ha_nha"]).count() == 1


def test_the_providers_read_a_past_year_from_its_versions(moved, lived):
    old, new = moved

    assert household_shares(END_2024)["SV.FIBRE"] == {old.pk: fraction(0, 1)}
    assert household_shares(END_2025)["SV.FIBRE"] == {new.pk: fraction(0, 1)}
    assert household_shares()["SV.FIBRE"] == {new.pk: fraction(1, 1)}


def test_facilities_keep_their_versions_too(moved):
    _old, new = moved
    with freeze_time("2025-08-01 09:00:00+07:00"):
        house = create_facility(
            village=new,
            kind=Facility.Kind.CULTURAL_HOUSE,
            name="Nhà văn hóa thôn 11",
            has_wifi=False,
            by=None,
        )
    update_facility(house, has_wifi=True, by=None)

    assert cultural_house_wifi(END_2025)["SV.CULTURAL_WIFI"] == {new.pk: fraction(0, 1)}
    assert cultural_house_wifi()["SV.CULTURAL_WIFI"] == {new.pk: fraction(1, 1)}
    assert cultural_house_wifi(END_2024)["SV.CULTURAL_WIFI"] == {}


def test_an_import_records_a_version_per_row_it_writes(villages, village_head):
    code = villages["hn1"].code
    import_households(
        xlsx([row("HN00001", code), row("HN00002", code)]), by=village_head
    )
    changed = row("HN00001", code, members=6)
    import_households(xlsx([changed, row("HN00002", code)]), by=village_head)

    versions = Household.history.filter(code="HN00001").order_by("history_date")
    assert [v.members for v in versions] == [4, 6]
    assert {v.history_user for v in versions} == {village_head}
    assert Household.history.filter(code="HN00002").count() == 1
    assert versions.last().history_change_reason == "Nhập từ Excel"


def test_a_bulk_address_assignment_records_versions(villages):
    head = make_member(villages["hn1"], username="truongthon1")
    household = create_household(
        village=villages["hn1"], code="HN1", head_name="Hồ Thị Tư", by=head
    )

    assign_village_addresses(villages["hn1"], by=head)

    latest = Household.history.filter(id=household.pk).latest("history_date")
    household.refresh_from_db()
    assert latest.address_code == household.address_code != ""
    assert latest.history_user == head
