import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.reports.models import Assignment, Submission
from ntm.reports.services import (
    accept_submission,
    save_narratives,
    submit_submission,
)

from ..factories import make_member
from ..workbooks import FORMULA, column, is_text, notes, workbook_of
from .conftest import send

pytestmark = pytest.mark.django_db


def hanha(form):
    return Assignment.objects.get(form=form, unit__name="Xã Hà Nha")


def test_completeness_detail_shows_every_counted_unit(client, form_2025):
    response = client.get(reverse("reports:completeness", args=[2025]))
    assert response.status_code == 200
    assert len(response.context["assignments"]) == 10
    assert response.context["summary"]["missing"] == 10
    assert "Tải báo cáo tổng hợp" not in response.content.decode()


def test_completeness_detail_queries_do_not_grow_with_units(
    client, form_2025, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get(reverse("reports:completeness", args=[2025]))


def test_completeness_detail_unknown_year_is_404(client, units):
    assert client.get(reverse("reports:completeness", args=[2031])).status_code == 404


def test_completeness_export_lists_every_unit_with_typed_cells(
    client, form_2025, commune_officer
):
    submission = hanha(form_2025).submission
    save_narratives(submission, narratives={"3": "Đã làm."}, by=commune_officer)
    submit_submission(submission, by=commune_officer)

    book = workbook_of(client.get(reverse("reports:completeness-export", args=[2025])))

    sheet = book["Tình hình nộp"]
    units = [c.value for c in column(sheet, "Đơn vị")]
    row = units.index("Xã Hà Nha")
    assert len(units) == 10
    assert column(sheet, "Hạn nộp")[row].is_date
    assert column(sheet, "Ngày nộp")[row].is_date
    assert column(sheet, "Trạng thái")[row].value == "Đã nộp"
    info = notes(book)
    assert (info["so don vi phai nop"], info["da nop"], info["chua nop"]) == (10, 1, 9)


def test_completeness_export_of_an_unknown_year_is_not_found(client, units):
    response = client.get(reverse("reports:completeness-export", args=[2031]))

    assert response.status_code == 404


def test_completeness_export_writes_formula_like_names_as_text(client, form_2025):
    unit = hanha(form_2025).unit
    unit.name = FORMULA
    unit.save(update_fields=["name"])

    book = workbook_of(client.get(reverse("reports:completeness-export", args=[2025])))

    cells = column(book["Tình hình nộp"], "Đơn vị")
    assert any(is_text(cell, FORMULA) for cell in cells)


def test_completeness_page_links_to_its_export(client, form_2025):
    page = client.get(reverse("reports:completeness", args=[2025])).content.decode()

    assert reverse("reports:completeness-export", args=[2025]) in page


def test_submission_edit_commune_officer_submits(client, form_2025, commune_officer):
    assignment = hanha(form_2025)
    client.force_login(commune_officer)
    page = client.get(assignment.get_absolute_url())
    assert page.status_code == 200
    response = client.post(
        assignment.get_absolute_url(),
        {"muc_3": "Đã tập huấn.", "muc_4": "", "action": "submit"},
    )
    assert response.status_code == 302
    submission = Submission.objects.get(assignment=assignment)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.narratives == {"3": "Đã tập huấn.", "4": ""}
    assert submission.submitted_by == commune_officer


def test_submission_history_shows_labels_not_action_codes(
    client, form_2025, commune_officer
):
    assignment = hanha(form_2025)
    save_narratives(assignment.submission, narratives={"3": "Đã làm."}, by=None)
    submit_submission(assignment.submission, by=commune_officer)
    client.force_login(commune_officer)

    content = client.get(assignment.get_absolute_url()).content.decode()

    history = content[content.index("Lịch sử thay đổi") :]
    assert "<td>Lưu bản nháp</td>" in history
    assert "<td>Nộp báo cáo</td>" in history
    assert "reports.submission" not in content


def test_submission_edit_refuses_an_empty_report_and_keeps_what_was_typed(
    client, form_2025, commune_officer
):
    assignment = hanha(form_2025)
    client.force_login(commune_officer)

    response = client.post(
        assignment.get_absolute_url(),
        {"muc_3": "   ", "muc_4": "", "action": "submit"},
    )

    page = response.content.decode()
    submission = Submission.objects.get(assignment=assignment)
    assert response.status_code == 400
    assert "Báo cáo chưa có nội dung: cần viết ít nhất một mục" in page
    assert submission.status == Submission.Status.DRAFT


def test_submission_edit_limits_the_length_of_each_section(
    client, form_2025, commune_officer
):
    assignment = hanha(form_2025)
    client.force_login(commune_officer)
    page = client.get(assignment.get_absolute_url()).content.decode()

    response = client.post(
        assignment.get_absolute_url(), {"muc_3": "x" * 20_001, "action": "save"}
    )

    assert 'maxlength="20000"' in page
    assert response.status_code == 400
    assert "Mục “Kết quả thực hiện” dài 20.001 ký tự, quá 20.000 ký tự." in (
        response.content.decode()
    )
    assert Submission.objects.get(assignment=assignment).narratives == {}


def test_submission_edit_on_a_locked_report_is_refused_and_changes_nothing(
    client, form_2025, commune_officer, focal
):
    assignment = hanha(form_2025)
    save_narratives(assignment.submission, narratives={"3": "Bản đã nộp."}, by=None)
    submit_submission(assignment.submission, by=None)
    accept_submission(assignment.submission, by=focal)
    client.force_login(commune_officer)

    response = client.post(
        assignment.get_absolute_url(), {"muc_3": "Sửa sau khi khóa", "action": "submit"}
    )

    submission = Submission.objects.get(assignment=assignment)
    assert response.status_code == 400
    assert "Sửa sau khi khóa" not in response.content.decode()
    assert (submission.status, submission.narratives) == (
        "accepted",
        {"3": "Bản đã nộp."},
    )


def test_submission_edit_other_commune_officer_is_denied(client, form_2025, units):
    other = make_member(units["vu_gia"], Role.COMMUNE_OFFICER, username="vg")
    assignment = hanha(form_2025)
    client.force_login(other)
    assert client.get(assignment.get_absolute_url()).status_code == 403
    response = client.post(
        assignment.get_absolute_url(), {"muc_3": "X", "action": "submit"}
    )
    assert response.status_code == 403
    assert Submission.objects.get(assignment=assignment).status == "draft"


def test_assignment_list_shows_the_officers_own_assignment(
    client, form_2025, commune_officer
):
    client.force_login(commune_officer)
    response = client.get(reverse("reports:assignment-list"))
    assert [a.reporter_name for a in response.context["assignments"]] == ["Xã Hà Nha"]


def test_submission_accept_by_focal_office(client, form_2025, focal):
    assignment = hanha(form_2025)
    send(assignment.submission, by=None)
    client.force_login(focal)
    response = client.post(reverse("reports:submission-accept", args=[assignment.pk]))
    assert response.status_code == 302
    assert Submission.objects.get(assignment=assignment).status == "accepted"


def test_submission_accept_by_commune_officer_is_denied(
    client, form_2025, commune_officer
):
    assignment = hanha(form_2025)
    send(assignment.submission, by=None)
    client.force_login(commune_officer)
    response = client.post(reverse("reports:submission-accept", args=[assignment.pk]))
    assert response.status_code == 403
    assert Submission.objects.get(assignment=assignment).status == "submitted"


def test_submission_return_by_focal_office_keeps_the_reason(client, form_2025, focal):
    assignment = hanha(form_2025)
    send(assignment.submission, by=None)
    client.force_login(focal)
    client.post(
        reverse("reports:submission-return", args=[assignment.pk]),
        {"ly_do": "Thiếu số liệu"},
    )
    submission = Submission.objects.get(assignment=assignment)
    assert (submission.status, submission.return_reason) == (
        "returned",
        "Thiếu số liệu",
    )


def test_submission_return_by_commune_officer_is_denied(
    client, form_2025, commune_officer
):
    assignment = hanha(form_2025)
    send(assignment.submission, by=None)
    client.force_login(commune_officer)
    response = client.post(
        reverse("reports:submission-return", args=[assignment.pk]), {"ly_do": "x"}
    )
    assert response.status_code == 403
    assert Submission.objects.get(assignment=assignment).status == "submitted"


def test_consolidated_downloads_for_focal_office(client, form_2025, focal):
    client.force_login(focal)
    docx = client.get(reverse("reports:consolidated-docx", args=[2025]))
    xlsx = client.get(reverse("reports:consolidated-xlsx", args=[2025]))
    assert (docx.status_code, xlsx.status_code) == (200, 200)
    assert docx.content[:2] == b"PK"
    assert "bao-cao-tong-hop-2025.docx" in docx["Content-Disposition"]


def test_consolidated_docx_denied_to_commune_officer(
    client, form_2025, commune_officer
):
    client.force_login(commune_officer)
    response = client.get(reverse("reports:consolidated-docx", args=[2025]))
    assert response.status_code == 403
