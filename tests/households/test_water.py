import pytest

from ntm.households.imports import HouseholdImportError, import_households
from ntm.households.indicators import CLEAN_WATER_CODE, clean_water
from ntm.households.models import Household
from ntm.indicators.providers import provider_for

from .workbooks import row, xlsx

pytestmark = pytest.mark.django_db


def test_the_import_reads_the_water_source_by_label_and_refuses_an_unknown_one(
    villages, village_head
):
    code = villages["hn1"].code
    rows = [
        row("HN1", code, water_source="Nước máy từ hệ thống cấp nước tập trung"),
        row("HN2", code, water_source="giếng khoan"),
        row("HN3", code),
    ]

    import_households(xlsx(rows), by=village_head)

    assert dict(Household.objects.values_list("code", "water_source")) == {
        "HN1": "piped",
        "HN2": "drilled_well",
        "HN3": "",
    }
    with pytest.raises(HouseholdImportError) as error:
        import_households(
            xlsx([row("HN4", code, water_source="Suối")]), by=village_head
        )
    assert "Nguồn nước sinh hoạt" in error.value.errors[0].message


def test_clean_water_share_per_village_counts_recorded_sources_only(villages):
    from ..factories import HouseholdFactory

    hn1, hn2 = villages["hn1"], villages["hn2"]
    for source in ("piped", "piped", "piped", "dug_well", ""):
        HouseholdFactory(village=hn1, water_source=source)
    HouseholdFactory(village=hn2, water_source="")

    values = clean_water()[CLEAN_WATER_CODE]

    assert values[hn1.pk] == (3, 4)
    # Nothing recorded: missing data, not 0 %.
    assert hn2.pk not in values
    assert provider_for(CLEAN_WATER_CODE).compute is clean_water


def test_the_advanced_commune_set_measures_clean_water_from_the_register(
    villages, units
):
    from ntm.indicators.evaluation import evaluate
    from ntm.indicators.models import Period
    from ntm.indicators.services import CRITERIA_DIR, load_criteria_file

    from ..factories import HouseholdFactory

    advanced = load_criteria_file(CRITERIA_DIR / "30_xa_ntm_nang_cao_2021_2025.json")[0]
    for village, sources in (
        (villages["hn1"], ["piped", "piped", "rain"]),
        (villages["hn2"], ["piped", "dug_well", "", ""]),
    ):
        for source in sources:
            HouseholdFactory(village=village, water_source=source)
    commune = units["ha_nha"]

    result = evaluate(advanced, [commune], Period.year(2026))[commune.pk].result_for(
        "17.a"
    )

    # 3 piped of the 5 households whose source is recorded, in two villages.
    assert (result.measurement.numerator, result.measurement.denominator) == (3, 5)
    assert result.measurement.source == "computed"
