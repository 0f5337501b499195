"""The dossier's official documents, in the Decree 30 layout (ntm.documents).

Tables come from the figures frozen in the dossier (the self-assessment as
stored, the submitted copy once submitted), never from today's engine run:
a report printed next year says what was submitted.
"""

import datetime

from django.utils import timezone

from ntm.core.numbers import format_quantity
from ntm.documents.administrative import Heading, Paragraph, Table, build_document
from ntm.indicators.evaluation import MET, NO_DATA, NOT_MET

from .models import Dossier

STATUS_WORDS = {MET: "Đạt", NOT_MET: "Chưa đạt", NO_DATA: "Chưa có số liệu"}
KIND_PREFIXES = (
    "Thành phố ",
    "Tỉnh ",
    "Huyện ",
    "Thị xã ",
    "Thị trấn ",
    "Xã ",
    "Phường ",
)
KIND_PHRASES = {
    Dossier.Kind.NTM: "đạt chuẩn nông thôn mới",
    Dossier.Kind.ADVANCED: "đạt chuẩn nông thôn mới nâng cao",
    Dossier.Kind.MODEL: "đạt chuẩn nông thôn mới kiểu mẫu",
}


def place_name(unit):
    """ "Xã Hà Nha" -> "Hà Nha", for the place-and-date line."""
    for prefix in KIND_PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def people_committee(unit):
    return f"UBND {unit.name}".upper()


def self_assessment_report(dossier):
    """The commune's (or district's) report of its self-assessment, as .docx."""
    unit = dossier.unit
    figures = dossier.assessment
    day = dossier.submitted_on or timezone.localdate(dossier.assessed_at)
    counts = figures.get("counts", {})
    total = sum(counts.values())
    body = [
        Paragraph(
            f"Căn cứ {figures['set']['name']}; căn cứ Quyết định số 18/2022/QĐ-TTg "
            "ngày 02/8/2022 của Thủ tướng Chính phủ ban hành Quy định điều kiện, "
            "trình tự, thủ tục, hồ sơ xét, công nhận, công bố và thu hồi quyết định "
            "công nhận địa phương đạt chuẩn nông thôn mới,"
        ),
        Paragraph(
            f"Ủy ban nhân dân {unit.name} báo cáo kết quả tự đánh giá mức độ đạt "
            f"các tiêu chí năm {dossier.year} như sau:"
        ),
        Heading("I. KẾT QUẢ TỰ ĐÁNH GIÁ THEO TỪNG TIÊU CHÍ"),
        Paragraph(
            f"Tổng số tiêu chí: {total}; đạt: {counts.get(MET, 0)}; chưa đạt: "
            f"{counts.get(NOT_MET, 0)}; chưa có số liệu: {counts.get(NO_DATA, 0)}. "
            "Số liệu tính từ hệ thống NTM Số lúc "
            f"{_moment(figures.get('computed_at'))}."
        ),
        _assessment_table(figures),
        Heading("II. KẾT QUẢ LẤY Ý KIẾN SỰ HÀI LÒNG CỦA NGƯỜI DÂN"),
        Paragraph(satisfaction_text(dossier.satisfaction, submitted=dossier.is_frozen)),
        Heading("III. NIÊM YẾT CÔNG KHAI"),
    ]
    postings = list(dossier.postings.all())
    if postings:
        body.append(
            Paragraph(
                f"Báo cáo đã được niêm yết công khai {len(postings)} lần để lấy ý "
                "kiến Nhân dân:"
            )
        )
        body.append(
            Table(
                ["STT", "Ngày niêm yết", "Nơi niêm yết"],
                [
                    [index, f"{p.posted_on:%d/%m/%Y}", p.place]
                    for index, p in enumerate(postings, start=1)
                ],
                widths=[1, 3, 8],
            )
        )
    else:
        body.append(Paragraph("Chưa niêm yết."))
    body.append(Heading("IV. ĐỀ NGHỊ"))
    body.append(
        Paragraph(
            f"Ủy ban nhân dân {unit.name} đề nghị {_receiver_name(dossier)} thẩm định, "
            f"xét công nhận {unit.name} {KIND_PHRASES[dossier.kind]} "
            f"năm {dossier.year}."
        )
    )
    return build_document(
        issuer=people_committee(unit),
        number_symbol="Số:        /BC-UBND",
        place=place_name(unit),
        date=day,
        kind="Báo cáo",
        title=(
            f"Kết quả tự đánh giá, đề nghị xét công nhận {unit.name}\n"
            f"{KIND_PHRASES[dossier.kind]} năm {dossier.year}"
        ),
        body=body,
        recipients=[
            f"{_receiver_name(dossier)} (để thẩm định);",
            "Ủy ban MTTQ Việt Nam cùng cấp;",
            "Lưu: VT.",
        ],
        signer_authority="TM. Ủy ban nhân dân",
        signer_position="Chủ tịch",
    )


def appraisal_report(dossier):
    """The council's appraisal report, criterion by criterion, as .docx."""
    unit = dossier.unit
    receiver = dossier.submitted_to or unit.parent
    verdicts = {a.criterion_number: a for a in dossier.appraisals.all()}
    rows = []
    for criterion in dossier.assessment.get("criteria", []):
        appraisal = verdicts.get(criterion["number"])
        rows.append(
            [
                criterion["number"],
                criterion["name"],
                STATUS_WORDS.get(criterion["status"], "—"),
                appraisal.get_verdict_display() if appraisal else "—",
                appraisal.comment if appraisal else "",
            ]
        )
    result = (
        Dossier.Result(dossier.appraisal_result).label
        if dossier.appraisal_result
        else "Chưa kết luận"
    )
    body = [
        Paragraph(
            f"Hội đồng thẩm định đã xem xét hồ sơ đề nghị xét công nhận {unit.name} "
            f"{KIND_PHRASES[dossier.kind]} năm {dossier.year}, trình ngày "
            f"{_date(dossier.submitted_on)}, theo {dossier.assessment['set']['name']}."
        ),
        Heading("I. KẾT QUẢ THẨM ĐỊNH TỪNG TIÊU CHÍ"),
        Table(
            ["TT", "Tiêu chí", "Xã tự đánh giá", "Thẩm định", "Ý kiến"],
            rows,
            widths=[1, 6, 3, 3, 5],
        ),
        Heading("II. KẾT QUẢ LẤY Ý KIẾN SỰ HÀI LÒNG"),
        Paragraph(satisfaction_text(dossier.satisfaction, submitted=True)),
        Heading("III. KẾT LUẬN"),
        Paragraph(f"Kết luận của Hội đồng: {result}."),
    ]
    if dossier.appraisal_summary:
        body.append(Paragraph(dossier.appraisal_summary))
    return build_document(
        issuer=f"{people_committee(receiver)}\nHội đồng thẩm định",
        number_symbol="Số:        /BC-HĐTĐ",
        place=place_name(receiver),
        date=dossier.appraised_on or timezone.localdate(),
        kind="Báo cáo",
        title=(
            f"Kết quả thẩm định hồ sơ đề nghị xét công nhận {unit.name}\n"
            f"{KIND_PHRASES[dossier.kind]} năm {dossier.year}"
        ),
        body=body,
        recipients=[
            f"{people_committee(receiver).title()};",
            f"UBND {unit.name};",
            "Lưu: VT.",
        ],
        signer_authority="TM. Hội đồng thẩm định",
        signer_position="Chủ tịch Hội đồng",
    )


def satisfaction_text(satisfaction, *, submitted):
    if not satisfaction:
        if submitted:
            return "Chưa có kết quả khảo sát."
        return "Kết quả lấy ý kiến sẽ được đính kèm khi trình hồ sơ."
    if not satisfaction.get("available"):
        return "Chưa có kết quả khảo sát."
    text = (
        f"Tỷ lệ người dân hài lòng: {format_quantity(satisfaction['rate'], 'percent')}"
    )
    if satisfaction.get("respondents"):
        text += (
            f" ({format_quantity(satisfaction['satisfied'], 'count')}/"
            f"{format_quantity(satisfaction['respondents'], 'count')} phiếu)"
        )
    return text + "."


def _assessment_table(figures):
    rows = []
    for criterion in figures.get("criteria", []):
        rows.append(
            [
                criterion["number"],
                criterion["name"],
                "",
                "",
                STATUS_WORDS.get(criterion["status"], "—"),
            ]
        )
        for requirement in criterion["requirements"]:
            rows.append(
                [
                    requirement["code"],
                    requirement["name"],
                    requirement["threshold"],
                    format_quantity(requirement["value"], requirement["measure"]),
                    STATUS_WORDS.get(requirement["status"], "—"),
                ]
            )
    return Table(
        ["TT", "Tiêu chí / chỉ tiêu", "Yêu cầu", "Kết quả", "Tự đánh giá"],
        rows,
        widths=[2, 8, 3, 3, 3],
    )


def _receiver_name(dossier):
    receiver = dossier.submitted_to or dossier.unit.parent
    if receiver is None:
        return "cấp trên"
    return f"Ủy ban nhân dân {receiver.name}"


def _moment(text):
    if not text:
        return "—"
    moment = timezone.localtime(datetime.datetime.fromisoformat(text))
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def _date(day):
    return f"{day:%d/%m/%Y}" if day else "—"
