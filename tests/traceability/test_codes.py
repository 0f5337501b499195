import json
from decimal import Decimal

from ntm.traceability.codes import FORMAT_FILE, current_format, read_format


def test_format_file_holds_the_qd_3156_pattern_and_minimums():
    code_format = current_format()

    assert code_format.version == 1
    assert code_format.pattern.startswith("VN-<Mã tỉnh")
    assert code_format.minimum_for("perennial").hectares == Decimal("1")
    assert code_format.minimum_for("annual").hectares == Decimal("0.1")


def test_format_flags_the_segments_that_wait_for_guidance():
    names = [
        part.name for part in current_format().unconfirmed if hasattr(part, "name")
    ]

    assert names == ["district", "facility"]


def test_codes_use_gso_codes_with_or_without_a_district(units):
    code_format = current_format()

    before = code_format.build(units["dai_dong"], facility=1, year=2023)
    after = code_format.build(units["ha_nha"], facility=12, year=2026)

    assert before == "VN-49-506-20515-01-23"
    assert after == "VN-48-20515-12-26"


def test_read_format_reads_a_replacement_file(tmp_path):
    data = json.loads(FORMAT_FILE.read_text(encoding="utf-8"))
    data["version"] = 2
    data["minimum_area_ha"]["annual"]["value"] = "0.2"
    path = tmp_path / "area_codes.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    replaced = read_format(path)

    assert (replaced.version, replaced.minimum_for("annual").hectares) == (
        2,
        Decimal("0.2"),
    )
