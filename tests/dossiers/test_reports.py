import io

import pytest
from docx import Document

from ntm.dossiers.reports import appraisal_report, self_assessment_report
from ntm.dossiers.services import self_assess_dossier

pytestmark = pytest.mark.django_db


def texts(document):
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            found += [cell.text for cell in row.cells]
    return found


def test_self_assessment_report_carries_the_frozen_figures(submitted):
    document = Document(io.BytesIO(self_assessment_report(submitted)))
    table = document.tables[1]

    assert [c.text for c in table.rows[0].cells] == [
        "TT",
        "Tiêu chí / chỉ tiêu",
        "Yêu cầu",
        "Kết quả",
        "Tự đánh giá",
    ]
    assert [c.text for c in table.rows[2].cells] == [
        "8.4",
        "Yêu cầu 8.4",
        "≥ 80 %",
        "92,5 %",
        "Đạt",
    ]
    header = document.tables[0].rows[0].cells
    assert header[0].paragraphs[0].text == "UBND XÃ HÀ NHA"
    assert "Hà Nha, ngày" in header[1].text
    assert "BÁO CÁO" in texts(document)
    assert "Nhà văn hóa thôn 1" in texts(document)


def test_appraisal_report_lists_verdicts_and_conclusion(appraised):
    document = Document(io.BytesIO(appraisal_report(appraised)))
    table = document.tables[1]

    assert [c.text for c in table.rows[1].cells][:4] == [
        "8",
        "Tiêu chí 8",
        "Đạt",
        "Đạt",
    ]
    assert "Kết luận của Hội đồng: Đạt." in texts(document)
    assert document.tables[0].rows[0].cells[0].paragraphs[0].text == (
        "UBND THÀNH PHỐ ĐÀ NẴNG"
    )


def test_self_assessment_report_rounds_shares_half_up_to_two_places(
    units, draft, commune_officer, enter
):
    enter("XA.8.4", units["ha_nha"], "83.585")
    enter("XA.8.1", units["ha_nha"], "1")
    self_assess_dossier(draft, by=commune_officer)

    document = Document(io.BytesIO(self_assessment_report(draft)))

    assert document.tables[1].rows[2].cells[3].text == "83,59 %"
