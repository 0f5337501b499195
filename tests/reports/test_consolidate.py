import datetime
import io
import os
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from ntm.plans.services import create_tally
from ntm.reports.consolidate import consolidated_docx, consolidated_xlsx
from ntm.reports.models import Submission
from ntm.reports.services import assign_year, save_narratives, submit_submission

from .conftest import make_form

pytestmark = pytest.mark.django_db

SUBMITTING = ["Xã Hà Nha", "Xã Vu Gia", "Phòng Văn hóa và Thông tin"]


@pytest.fixture
def reported_form(units, plan):
    form = make_form(units, 2025, plan=plan)
    assign_year(form, by=None)
    for submission in Submission.objects.select_related("assignment__unit"):
        name = submission.assignment.reporter_name
        if name in SUBMITTING:
            save_narratives(
                submission, narratives={"3": f"Việc đã làm của {name}."}, by=None
            )
            submit_submission(submission, by=None)
    return form


def test_consolidated_docx_converts_to_pdf_with_every_submitting_unit(
    reported_form, tmp_path
):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None and os.environ.get("CI") != "true":
        pytest.skip("no LibreOffice (apt-get install libreoffice-writer-nogui)")
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(consolidated_docx(reported_form, day=datetime.date(2025, 10, 5)))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = PdfReader(tmp_path / "bao-cao.pdf")
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for name in SUBMITTING:
        assert name in text
        assert f"Việc đã làm của {name}." in " ".join(text.split())
    assert "Xã Phú Thuận" not in text
    assert "BÁO CÁO" in text
    assert "1a" in text


def test_consolidated_xlsx_holds_every_table(reported_form):
    workbook = load_workbook(io.BytesIO(consolidated_xlsx(reported_form)))
    assert workbook.sheetnames == [
        "Chỉ tiêu kế hoạch",
        "Xã Hà Nha",
        "Xã Vu Gia",
        "Tình hình nộp",
    ]
    targets = list(workbook["Chỉ tiêu kế hoạch"].values)
    assert targets[0] == ("Mục tiêu", "Nội dung", "Yêu cầu", "Kết quả", "Đánh giá")
    assert len(targets) == 1 + reported_form.plan.targets.count()
    status = list(workbook["Tình hình nộp"].values)
    assert len(status) == 11


def docx_rows(content):
    document = Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for row in document.tables[1].rows]


def test_consolidated_docx_rounds_shares_instead_of_truncating(units, plan):
    # 6 of 7 district dossiers online: 85.714… %, which truncation made "85,7".
    create_tally(
        unit=units["district"], office="vhtt", year=2025, total=7, online=6, by=None
    )
    form = make_form(units, 2025, plan=plan)

    rows = docx_rows(consolidated_docx(form, day=datetime.date(2025, 10, 5)))

    target = next(row for row in rows if row[0] == "1a")
    assert target[2:4] == ["> 80 %", "85,71 %"]
