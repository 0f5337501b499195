import datetime

import pytest

from ntm.units.models import Unit, today
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_get_absolute_url_of_a_current_unit_has_no_date(units):
    assert units["ha_nha"].get_absolute_url() == "/don-vi/20515/"


def test_get_absolute_url_of_an_ended_unit_uses_its_last_day(units):
    assert units["dai_dong"].get_absolute_url() == "/don-vi/20515/?ngay=2025-06-30"


def test_get_absolute_url_of_a_future_unit_uses_its_first_day(units):
    start = today() + datetime.timedelta(days=30)
    unit = make_unit(
        "20599", "Xã Tương Lai", Unit.Kind.COMMUNE, units["city"], valid_from=start
    )

    assert unit.get_absolute_url() == f"/don-vi/20599/?ngay={start.isoformat()}"


def test_validity_display_in_day_month_year(units):
    assert units["ha_nha"].validity_display == "từ 01/07/2025"
    assert units["dai_dong"].validity_display == "đến 30/06/2025"
    unit = Unit(
        valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2025, 6, 30)
    )
    assert unit.validity_display == "từ 01/01/2020 đến 30/06/2025"
    assert Unit().validity_display == "không thời hạn"


def test_versions_of_lists_every_unit_of_a_code_oldest_first(units):
    versions = list(Unit.objects.versions_of("20515"))

    assert versions == [units["dai_dong"], units["ha_nha"]]


def test_level_key_is_an_english_word(units):
    assert units["ha_nha"].level_key == "commune"
    assert units["district"].level_key == "district"
    assert units["city"].level_key == "province"
