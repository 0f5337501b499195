import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ntm.core.models import ActionLog
from ntm.indicators.evaluation import evaluate
from ntm.indicators.models import (
    CriteriaSet,
    Criterion,
    Indicator,
    Period,
    Requirement,
    UnitClassification,
)
from ntm.indicators.services import (
    CRITERIA_DIR,
    CriteriaFileError,
    WorkflowError,
    approve_value,
    classify_units,
    criteria_files,
    load_all_criteria,
    load_criteria_file,
    save_value,
    submit_value,
)
from ntm.units.models import Unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SET_CODES = [
    "THON_THONG_MINH_DAI_LOC",
    "XA_NTM_2021_2025",
    "XA_NTM_NANG_CAO_2021_2025",
    "XA_NTM_KIEU_MAU_2021_2025",
    "HUYEN_NTM_2021_2025",
    "HUYEN_NTM_NANG_CAO_2021_2025",
    "XA_NTM_2026_2030",
    "KE_HOACH_CDS_DAI_LOC",
    "SU_HAI_LONG_XA",
    "SU_HAI_LONG_HUYEN",
    "PHAN_ANH_KIEN_NGHI",
]
NINETEEN = [str(n) for n in range(1, 20)]
# Criterion numbers as the sources state them: QĐ 318 has 19 criteria (both
# sets); QĐ 319 four conditions; QĐ 320 the general conditions (0) and nine
# criteria; the advanced district set only the criteria the sources name, plus
# one row standing for the rest; QĐ 51/2025 ten criteria.
CRITERIA = {
    "THON_THONG_MINH_DAI_LOC": ["1", "2", "3"],
    "XA_NTM_2021_2025": NINETEEN,
    "XA_NTM_NANG_CAO_2021_2025": NINETEEN,
    "XA_NTM_KIEU_MAU_2021_2025": ["1", "2", "3", "4"],
    "HUYEN_NTM_2021_2025": [str(n) for n in range(10)],
    "HUYEN_NTM_NANG_CAO_2021_2025": ["1", "5", "9", "Khác"],
    "XA_NTM_2026_2030": [str(n) for n in range(1, 11)],
    "KE_HOACH_CDS_DAI_LOC": ["2.1", "2.2", "2.3", "2.4"],
    "SU_HAI_LONG_XA": ["1"],
    "SU_HAI_LONG_HUYEN": ["1"],
    "PHAN_ANH_KIEN_NGHI": ["1"],
}
# Requirements whose threshold or pass condition reference/ marks unconfirmed.
UNCONFIRMED = {
    "XA_NTM_2021_2025": ["8.2", "8.2.TB", "10.a", "15.a", "15.b", "17.a"],
    "XA_NTM_NANG_CAO_2021_2025": ["1.1", "1.2", "1.3", "8.4", "8.a", "15.2", "17.a"],
    "HUYEN_NTM_2021_2025": ["6.5", "9.5"],
    "HUYEN_NTM_NANG_CAO_2021_2025": ["1.1", "1.2", "5.2", "5.3", "5.5", "9.2"],
    "PHAN_ANH_KIEN_NGHI": ["PA.1"],
}
CONFIRMED = {
    "XA_NTM_2021_2025": ["3.a", "3.b", "8.1", "8.3", "8.4", "13.a", "13.b", "13.c"],
    "XA_NTM_KIEU_MAU_2021_2025": ["KM.1", "KM.2", "KM.3", "KM.4"],
    "HUYEN_NTM_2021_2025": ["DK.1", "DK.2", "DK.3", "DK.4", "DK.5", "2.1", "2.2"],
    "KE_HOACH_CDS_DAI_LOC": ["1a", "2", "3", "4a", "4b", "4c", "5", "6", "12"],
}
SMALL_SET = {
    "code": "THU",
    "name": "Bộ thử",
    "level": "commune",
    "indicators": [
        {
            "code": "THU.1",
            "name": "Chỉ tiêu thử",
            "measure": "percent",
            "level": "commune",
            "source": "entered",
        }
    ],
    "criteria": [
        {
            "number": "1",
            "name": "Tiêu chí thử",
            "requirements": [
                {
                    "code": "1.1",
                    "indicator": "THU.1",
                    "comparison": "gte",
                    "threshold": 80,
                    "confirmed": True,
                }
            ],
        }
    ],
}


@pytest.fixture
def loaded(db):
    load_all_criteria()
    return {s.code: s for s in CriteriaSet.objects.all()}


def requirements_of(criteria_set):
    return Requirement.objects.filter(criterion__criteria_set=criteria_set)


def write(directory, name, data):
    path = directory / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def with_changes(**changes):
    """SMALL_SET with its first requirement changed (None removes a key)."""
    data = json.loads(json.dumps(SMALL_SET))
    requirement = data["criteria"][0]["requirements"][0]
    for key, value in changes.items():
        if value is None:
            requirement.pop(key)
        else:
            requirement[key] = value
    return data


# -- the shipped files ----------------------------------------------------------


def test_every_shipped_file_loads_on_a_fresh_database():
    results = load_all_criteria()

    assert [criteria_set.code for criteria_set, _action in results] == SET_CODES
    assert {action for _set, action in results} == {"created"}
    assert [path.name[:3] for path in criteria_files()] == [
        "10_",
        "20_",
        "30_",
        "40_",
        "50_",
        "60_",
        "70_",
        "80_",
        "90_",
        "91_",
        "92_",
    ]


@pytest.mark.parametrize("code", SET_CODES)
def test_set_has_the_criteria_the_sources_state(loaded, code):
    numbers = list(loaded[code].criteria.values_list("number", flat=True))

    assert numbers == CRITERIA[code]


@pytest.mark.parametrize("code", SET_CODES)
def test_every_criterion_has_requirements(loaded, code):
    empty = loaded[code].criteria.filter(requirements__isnull=True)

    assert list(empty) == []


@pytest.mark.parametrize("code", SET_CODES)
def test_requirement_codes_are_unique_per_variant_within_a_set(loaded, code):
    keys = list(requirements_of(loaded[code]).values_list("code", "variant"))

    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("code", "requirement_codes"), UNCONFIRMED.items())
def test_thresholds_the_reference_marks_unconfirmed_are_flagged(
    loaded, code, requirement_codes
):
    rows = requirements_of(loaded[code]).filter(code__in=requirement_codes)

    assert sorted({r.code for r in rows}) == sorted(requirement_codes)
    assert {r.confirmed for r in rows} == {False}


@pytest.mark.parametrize(("code", "requirement_codes"), CONFIRMED.items())
def test_thresholds_the_reference_confirms_are_confirmed(
    loaded, code, requirement_codes
):
    rows = requirements_of(loaded[code]).filter(code__in=requirement_codes)

    assert sorted(r.code for r in rows) == sorted(requirement_codes)
    assert {r.confirmed for r in rows} == {True}


def test_criteria_without_known_indicators_have_one_unconfirmed_overall_result(
    loaded,
):
    overall = Requirement.objects.filter(indicator__name__contains="tổng hợp)")

    assert overall.count() > 40
    assert {(r.confirmed, r.comparison) for r in overall} == {(False, "true")}
    assert {r.indicator.source for r in overall} == {Indicator.Source.ENTERED}
    assert {r.indicator.measure for r in overall} == {Indicator.Measure.BOOLEAN}


def test_unknown_thresholds_are_never_numbers_in_disguise(loaded):
    # An unknown threshold is an entered Đạt/Không đạt, never a guessed number.
    unconfirmed_numbers = Requirement.objects.filter(
        confirmed=False, threshold__isnull=False
    ).values_list("criterion__criteria_set__code", "code")

    assert sorted(unconfirmed_numbers) == [
        ("HUYEN_NTM_NANG_CAO_2021_2025", "1.1"),
        ("HUYEN_NTM_NANG_CAO_2021_2025", "1.2"),
        # "trên 80% … và 60%": whether "trên" also governs 60% is unclear.
        ("KE_HOACH_CDS_DAI_LOC", "1b"),
        ("THON_THONG_MINH_DAI_LOC", "TM.2"),
        ("THON_THONG_MINH_DAI_LOC", "TM.8"),
        ("XA_NTM_2021_2025", "15.a"),
        ("XA_NTM_2021_2025", "8.2.TB"),
        ("XA_NTM_NANG_CAO_2021_2025", "17.a"),
        ("XA_NTM_NANG_CAO_2021_2025", "8.a"),
    ]


@pytest.mark.parametrize(
    ("code", "number", "requirement_code", "indicator_code"),
    [
        ("XA_NTM_2021_2025", "8", "8.1", "NTM-XA.8.1"),
        ("XA_NTM_2021_2025", "8", "8.2", "NTM-XA.8.2"),
        ("XA_NTM_2021_2025", "8", "8.3", "NTM-XA.8.3"),
        ("XA_NTM_2021_2025", "8", "8.4", "NTM-XA.8.4"),
        ("XA_NTM_NANG_CAO_2021_2025", "15", "15.2", "NTM-XA-NC.15.2"),
        ("HUYEN_NTM_2021_2025", "6", "6.5", "NTM-HUYEN.6.5"),
        ("HUYEN_NTM_2021_2025", "9", "9.5", "NTM-HUYEN.9.5"),
        ("HUYEN_NTM_NANG_CAO_2021_2025", "9", "9.2", "NTM-HUYEN-NC.9.2"),
    ],
)
def test_plan_indicators_are_in_their_criterion(
    loaded, code, number, requirement_code, indicator_code
):
    requirement = Requirement.objects.get(
        criterion__criteria_set=loaded[code], code=requirement_code
    )

    assert requirement.criterion.number == number
    assert requirement.indicator.code == indicator_code


def test_criterion_names_follow_the_plan(loaded):
    def name(code, number):
        return Criterion.objects.get(criteria_set=loaded[code], number=number).name

    assert name("XA_NTM_2021_2025", "8") == "Thông tin và Truyền thông"
    assert name("XA_NTM_NANG_CAO_2021_2025", "15") == "Hành chính công"
    assert name("HUYEN_NTM_2021_2025", "6") == "Kinh tế"
    assert name("HUYEN_NTM_2021_2025", "9") == "An ninh trật tự - Hành chính công"


def test_irrigation_threshold_keeps_its_source_and_note(loaded):
    requirement = requirements_of(loaded["XA_NTM_2021_2025"]).get(code="3.a")

    assert requirement.threshold == Decimal(80)
    assert requirement.comparison == Requirement.Comparison.GTE
    assert requirement.source.startswith("https://dantocmiennui.baotintuc.vn/")
    assert "chưa xác minh" in requirement.note


def test_stunting_has_a_general_row_and_a_dhntb_ceiling(loaded):
    rows = requirements_of(loaded["XA_NTM_2021_2025"]).filter(code="15.a")

    assert [(r.variant, r.comparison, r.threshold) for r in rows] == [
        ("", "true", None),
        ("region:DHNTB", "lte", Decimal(22)),
    ]


def test_model_commune_set_counts_smart_villages(loaded):
    requirement = requirements_of(loaded["XA_NTM_KIEU_MAU_2021_2025"]).get(code="KM.3")
    indicator = requirement.indicator

    assert indicator.source == Indicator.Source.ROLLUP
    assert indicator.measure == Indicator.Measure.COUNT
    assert indicator.rollup_set == loaded["THON_THONG_MINH_DAI_LOC"]
    assert indicator.rollup_level == Unit.Level.VILLAGE
    assert (requirement.comparison, requirement.threshold) == ("gte", Decimal(1))


def test_district_conditions_share_the_communes_meeting_the_commune_sets(loaded):
    rows = requirements_of(loaded["HUYEN_NTM_2021_2025"]).filter(
        code__in=["DK.1", "DK.2"]
    )

    assert [
        (
            r.indicator.rollup_set.code,
            r.indicator.rollup_level,
            r.indicator.measure,
            r.threshold,
        )
        for r in rows
    ] == [
        ("XA_NTM_2021_2025", Unit.Level.COMMUNE, "percent", Decimal(100)),
        ("XA_NTM_NANG_CAO_2021_2025", Unit.Level.COMMUNE, "percent", Decimal(10)),
    ]


def test_plan_targets_roll_up_single_requirements_of_the_commune_sets(loaded):
    rows = [
        r
        for r in requirements_of(loaded["KE_HOACH_CDS_DAI_LOC"])
        if r.indicator.source == Indicator.Source.ROLLUP
    ]

    assert [
        (
            r.code,
            r.indicator.rollup_set.code,
            r.indicator.rollup_requirement,
            r.comparison,
            r.threshold,
        )
        for r in rows
    ] == [
        ("2", "XA_NTM_2021_2025", "8.4", "gte", Decimal(100)),
        ("3", "XA_NTM_NANG_CAO_2021_2025", "15.2", "gt", Decimal(50)),
    ]


def test_sets_cover_their_periods(loaded):
    years = {code: (s.first_year, s.last_year) for code, s in loaded.items() if code}

    assert years["XA_NTM_2021_2025"] == (2022, 2025)
    assert years["XA_NTM_2026_2030"] == (2026, 2030)
    # The plan's smart-village model has no end year until a new one replaces it.
    assert years["THON_THONG_MINH_DAI_LOC"] == (2023, None)
    assert list(CriteriaSet.objects.for_year(2027).values_list("code", flat=True)) == [
        "PHAN_ANH_KIEN_NGHI",
        "XA_NTM_2026_2030",
        "THON_THONG_MINH_DAI_LOC",
    ]


# -- loader ---------------------------------------------------------------------


def test_load_all_criteria_twice_creates_nothing_the_second_time(loaded):
    counts = (
        CriteriaSet.objects.count(),
        Criterion.objects.count(),
        Requirement.objects.count(),
        Indicator.objects.count(),
        ActionLog.objects.count(),
    )

    results = load_all_criteria()

    assert {action for _set, action in results} == {None}
    assert (
        CriteriaSet.objects.count(),
        Criterion.objects.count(),
        Requirement.objects.count(),
        Indicator.objects.count(),
        ActionLog.objects.count(),
    ) == counts


def test_load_criteria_file_logs_the_file_it_loaded(tmp_path):
    path = write(tmp_path, "thu.json", SMALL_SET)

    criteria_set, action = load_criteria_file(path)

    log = ActionLog.objects.get()
    assert action == "created"
    assert log.action == "indicators.criteriaset.created"
    assert log.data["note"].startswith("thu.json (")
    assert criteria_set.file_digest[:12] in log.data["note"]


def test_changed_file_is_skipped_without_force(tmp_path):
    path = write(tmp_path, "thu.json", SMALL_SET)
    load_criteria_file(path)
    write(tmp_path, "thu.json", with_changes(threshold=90))

    criteria_set, action = load_criteria_file(path)

    assert action is None
    assert requirements_of(criteria_set).get().threshold == Decimal(80)


def test_changed_file_is_reloaded_with_force(tmp_path):
    path = write(tmp_path, "thu.json", SMALL_SET)
    load_criteria_file(path)
    write(tmp_path, "thu.json", with_changes(threshold=90))

    criteria_set, action = load_criteria_file(path, force=True)

    assert action == "updated"
    assert requirements_of(criteria_set).get().threshold == Decimal(90)
    assert CriteriaSet.objects.count() == 1
    assert list(ActionLog.objects.order_by("pk").values_list("action", flat=True)) == [
        "indicators.criteriaset.created",
        "indicators.criteriaset.updated",
    ]


def test_unchanged_file_is_left_alone_even_with_force(tmp_path):
    path = write(tmp_path, "thu.json", SMALL_SET)
    load_criteria_file(path)

    _set, action = load_criteria_file(path, force=True)

    assert action is None
    assert ActionLog.objects.count() == 1


BAD_FILES = {
    "invalid JSON": ('{"code": "THU", ', "JSON không hợp lệ"),
    "not UTF-8": (None, "JSON không hợp lệ"),
    "not an object": ("[]", "đối tượng JSON"),
    "missing set key": ({"code": "THU", "name": "x", "level": "commune"}, "criteria"),
    "bad set level": ({**SMALL_SET, "level": "hamlet"}, "cấp không hợp lệ: hamlet"),
    "bad indicator level": (
        {**SMALL_SET, "indicators": [{**SMALL_SET["indicators"][0], "level": "x"}]},
        "cấp không hợp lệ: x",
    ),
    "bad measure": (
        {**SMALL_SET, "indicators": [{**SMALL_SET["indicators"][0], "measure": "kg"}]},
        "measure không hợp lệ",
    ),
    "missing indicator": (with_changes(indicator="KHONG.CO"), "KHONG.CO chưa được"),
    "numeric comparison without threshold": (
        with_changes(threshold=None),
        "yêu cầu 1.1 thiếu ngưỡng",
    ),
    "threshold not a number": (with_changes(threshold="tám mươi"), "không phải là số"),
    "unknown comparison": (with_changes(comparison="ge"), "phép so sánh"),
    "bad variant": (with_changes(variant="DHNTB"), "biến thể"),
    "confirmed not a boolean": (with_changes(confirmed="có"), "confirmed"),
    "no criteria": ({**SMALL_SET, "criteria": []}, "không có tiêu chí nào"),
    "duplicate requirement": (
        {
            **SMALL_SET,
            "criteria": [
                SMALL_SET["criteria"][0],
                {**SMALL_SET["criteria"][0], "number": "2"},
            ],
        },
        "yêu cầu 1.1 xuất hiện hai lần",
    ),
    "roll-up of a set not loaded": (
        {
            **SMALL_SET,
            "indicators": [
                {
                    **SMALL_SET["indicators"][0],
                    "source": "rollup",
                    "rollup_set": "KHONG_CO",
                    "rollup_level": "village",
                }
            ],
        },
        "KHONG_CO phải được nạp trước",
    ),
    "roll-up without a set": (
        {
            **SMALL_SET,
            "indicators": [{**SMALL_SET["indicators"][0], "source": "rollup"}],
        },
        "cần rollup_set",
    ),
}


@pytest.mark.parametrize(("content", "message"), BAD_FILES.values(), ids=BAD_FILES)
def test_bad_file_raises_naming_the_file_and_saves_nothing(tmp_path, content, message):
    path = tmp_path / "hong.json"
    if content is None:
        path.write_bytes(b'{"code": "TH\xff"}')
    else:
        write(tmp_path, "hong.json", content)

    with pytest.raises(CriteriaFileError) as error:
        load_criteria_file(path)

    assert str(error.value).startswith("hong.json: ")
    assert message in str(error.value)
    assert CriteriaSet.objects.count() == 0
    assert Indicator.objects.count() == 0
    assert ActionLog.objects.count() == 0


def test_roll_up_of_a_requirement_the_set_lacks_is_refused(loaded, tmp_path):
    data = json.loads(json.dumps(SMALL_SET))
    data["indicators"][0].update(
        source="rollup",
        level="district",
        rollup_set="XA_NTM_2021_2025",
        rollup_requirement="8.9",
        rollup_level="commune",
    )
    path = write(tmp_path, "hong.json", data)

    with pytest.raises(CriteriaFileError, match="không có yêu cầu 8.9"):
        load_criteria_file(path)

    assert not Indicator.objects.filter(code="THU.1").exists()


def test_load_all_criteria_saves_nothing_when_one_file_is_bad(tmp_path):
    write(tmp_path, "10_thu.json", SMALL_SET)
    write(tmp_path, "20_hong.json", with_changes(threshold=None))

    with pytest.raises(CriteriaFileError, match="20_hong.json"):
        load_all_criteria(directory=tmp_path)

    assert CriteriaSet.objects.count() == 0


# -- classifications ------------------------------------------------------------


def test_classify_units_classifies_and_logs_each_unit(units):
    communes = [units["ha_nha"], units["vu_gia"]]

    changed = classify_units("region", "DHNTB", communes, by=None)

    assert changed == communes
    assert sorted(
        UnitClassification.objects.values_list("unit__code", "scheme", "value")
    ) == [("20515", "region", "DHNTB"), ("20539", "region", "DHNTB")]
    logged = ActionLog.objects.filter(action="indicators.classification.set")
    assert sorted(logged.values_list("object_id", "data")) == sorted(
        (str(unit.pk), {"note": "region:DHNTB"}) for unit in communes
    )


def test_classify_units_keeps_an_existing_class_unless_replacing(units):
    commune = units["ha_nha"]
    UnitClassification.objects.create(unit=commune, scheme="region", value="TDMN")

    kept = classify_units("region", "DHNTB", [commune], by=None)
    replaced = classify_units("region", "DHNTB", [commune], by=None, replace=True)

    assert kept == []
    assert replaced == [commune]
    assert UnitClassification.objects.get(unit=commune).value == "DHNTB"
    assert ActionLog.objects.filter(
        action="indicators.classification.set"
    ).get().data == {"note": "region:DHNTB (trước đây TDMN)"}


@pytest.mark.parametrize(("scheme", "value"), [("", "DHNTB"), ("region", "a:b")])
def test_classify_units_refuses_malformed_classes(units, scheme, value):
    with pytest.raises(WorkflowError):
        classify_units(scheme, value, [units["ha_nha"]], by=None)

    assert UnitClassification.objects.count() == 0


# -- the command ----------------------------------------------------------------


def run(*args):
    out = StringIO()
    call_command("load_criteria", *args, stdout=out)
    return out.getvalue()


def test_load_criteria_command_loads_every_file_and_classifies_communes(units):
    output = run()

    assert CriteriaSet.objects.count() == len(SET_CODES)
    assert "20_xa_ntm_2021_2025.json: Đã nạp Bộ tiêu chí quốc gia về xã" in output
    communes = Unit.objects.communes()
    assert set(
        UnitClassification.objects.values_list("unit_id", "scheme", "value")
    ) == {(pk, "region", "DHNTB") for pk in communes.values_list("pk", flat=True)}
    assert f"Đã xếp {communes.count()} đơn vị cấp xã" in output


def test_load_criteria_command_second_run_skips_unchanged_files(units):
    run()

    output = run()

    assert output.count("tệp không thay đổi") == len(SET_CODES)
    assert "Các đơn vị cấp xã đều đã được phân vùng." in output


def test_load_criteria_command_reports_a_changed_file_it_skipped(tmp_path):
    path = write(tmp_path, "thu.json", SMALL_SET)
    run(str(path))
    write(tmp_path, "thu.json", with_changes(threshold=90))

    skipped = run(str(path))
    forced = run("--force", str(path))

    assert "dùng --force để nạp lại" in skipped
    assert "thu.json: Đã nạp lại Bộ thử (THU, phiên bản 1)" in forced
    assert requirements_of(CriteriaSet.objects.get()).get().threshold == 90


def test_load_criteria_command_accepts_a_file_name_in_the_criteria_folder():
    output = run("10_thon_thong_minh_dai_loc.json")

    assert output.startswith("10_thon_thong_minh_dai_loc.json: Đã nạp")
    assert "3 tiêu chí, 8 yêu cầu" in output


def test_load_criteria_command_fails_on_a_bad_file_and_saves_nothing(tmp_path):
    good = write(tmp_path, "10_thu.json", SMALL_SET)
    bad = write(tmp_path, "20_hong.json", "{")

    with pytest.raises(CommandError, match="20_hong.json: JSON không hợp lệ"):
        run(str(good), str(bad))

    assert CriteriaSet.objects.count() == 0


def test_load_criteria_command_refuses_a_missing_file():
    with pytest.raises(CommandError, match="Không tìm thấy tệp khong_co.json"):
        run("khong_co.json")


def test_classified_commune_is_evaluated_against_its_regional_threshold(units):
    run()
    commune = units["dai_dong"]

    evaluation = evaluate(
        CriteriaSet.objects.get(code="XA_NTM_2021_2025"), [commune], Period.year(2024)
    )[commune.pk]

    assert evaluation.result_for("15.a").requirement.variant == "region:DHNTB"
    assert len(evaluation.criteria) == 19
    assert evaluation.status == "no_data"


def test_shipped_files_are_in_the_criteria_folder():
    assert {path.parent for path in criteria_files()} == {CRITERIA_DIR}


def test_plan_target_8_4_shares_the_district_communes_meeting_8_4(units):
    run()
    officer, reviewer = UserFactory(), UserFactory()
    period = Period.year(2024)
    indicator = Indicator.objects.get(code="NTM-XA.8.4")
    communes = list(
        Unit.objects.valid_on(period.end).below(units["district"]).order_by("code")
    )
    # 20500 is Thị trấn Ái Nghĩa, judged as a town: it meets 8.4 but does not
    # count; of the 17 xã, 20503 meets and 20506 does not.
    for commune, value in zip(communes, [1, 1, 0], strict=False):
        entry = save_value(
            indicator=indicator, unit=commune, period=period, value=value, by=officer
        )
        submit_value(entry, by=officer)
        approve_value(entry, by=reviewer)
    district = units["district"]

    evaluation = evaluate(
        CriteriaSet.objects.get(code="KE_HOACH_CDS_DAI_LOC"), [district], period
    )[district.pk]

    result = evaluation.result_for("2")
    assert len(communes) == 18
    assert communes[0].kind == Unit.Kind.TOWNSHIP
    assert result.value == Decimal("5.88")  # 1 of 17 xã
    assert result.status == "not_met"
