import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from ntm.ocop.models import ProductGroup, ScoringCriterion, ScoringSheet
from ntm.ocop.services import (
    SCORING_DIR,
    ScoringFileError,
    current_sheet,
    load_scoring_file,
)
from ntm.ocop.services.sheets import scoring_files

pytestmark = pytest.mark.django_db


def _sheet(**changes):
    data = json.loads((SCORING_DIR / "10_thuc_pham.json").read_text())
    data.update(changes)
    return data


def _bytes(data):
    return json.dumps(data, ensure_ascii=False).encode()


def test_shipped_sheets_cover_the_six_groups_with_parts_of_40_25_35(sheets):
    assert set(sheets) == set(ProductGroup.values)
    for sheet in sheets.values():
        parts = [(p.code, p.max_points, p.confirmed) for p in sheet.parts.all()]
        assert parts == [
            ("A", Decimal(40), True),
            ("B", Decimal(25), True),
            ("C", Decimal(35), True),
        ]
        assert sheet.max_points == 100


def test_unconfirmed_criteria_are_flagged_with_a_note(sheets):
    criteria = ScoringCriterion.objects.all()

    assert criteria.count() == 6 * 8
    assert not criteria.filter(confirmed=True).exists()
    assert all("chưa xác minh" in c.note for c in criteria)


def test_a_file_whose_parts_miss_100_is_refused_and_saves_nothing():
    data = _sheet()
    data["parts"][1]["max_points"] = 20
    data["parts"][1]["criteria"][0]["max_points"] = 15

    with pytest.raises(ScoringFileError, match="không phải 100"):
        load_scoring_file(_bytes(data), name="sai.json")
    assert not ScoringSheet.objects.exists()


def test_a_part_whose_criteria_do_not_add_up_is_refused():
    data = _sheet()
    data["parts"][0]["criteria"][0]["max_points"] = 14

    with pytest.raises(ScoringFileError, match="phần A cộng lại 39"):
        load_scoring_file(_bytes(data), name="sai.json")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"group": "vai_may_mac"}, "không có trong QĐ 148"),
        ({"version": 0}, "phiên bản"),
        ({"parts": []}, "thiếu"),
    ],
)
def test_malformed_files_are_refused(changes, message):
    with pytest.raises(ScoringFileError, match=message):
        load_scoring_file(_bytes(_sheet(**changes)), name="sai.json")


def test_reloading_leaves_a_loaded_sheet_alone_unless_forced(sheets):
    changed = _sheet(notes="Ghi chú mới")

    sheet, action = load_scoring_file(_bytes(changed), name="moi.json")
    assert (sheet, action) == (sheets["thuc_pham"], None)
    sheet, action = load_scoring_file(_bytes(changed), name="moi.json", force=True)
    assert action == "updated"
    assert ScoringSheet.objects.get(pk=sheet.pk).notes == "Ghi chú mới"


def test_a_sheet_in_use_is_not_replaced_but_a_new_version_becomes_current(
    make_evaluation, product
):
    evaluation = make_evaluation(product, until="score")
    changed = _sheet(notes="Đổi")

    with pytest.raises(ScoringFileError, match="tăng số phiên bản"):
        load_scoring_file(_bytes(changed), name="moi.json", force=True)
    newer, action = load_scoring_file(_bytes(_sheet(version=2)), name="v2.json")

    assert action == "created"
    assert current_sheet(ProductGroup.FOOD) == newer
    evaluation.refresh_from_db()
    assert evaluation.sheet.version == 1


def test_load_scoring_sheets_command_loads_every_file(capsys):
    call_command("load_scoring_sheets")

    assert ScoringSheet.objects.count() == len(scoring_files()) == 6
    assert "Đã nạp" in capsys.readouterr().out
