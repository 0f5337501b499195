import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.dossiers.models import CriterionAppraisal, Dossier, Posting
from ntm.dossiers.services import create_dossier
from tests.accounts.signin import sign_in_verified
from tests.factories import make_member

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def url(name, dossier=None):
    return reverse(f"dossiers:{name}", args=[dossier.pk] if dossier else [])


@pytest.fixture
def outsider(units):
    """A commune officer of another commune."""
    return make_member(units["vu_gia"], Role.COMMUNE_OFFICER, username="vugia")


def test_dossier_list_shows_the_officers_dossiers(client, draft, commune_officer):
    client.force_login(commune_officer)

    response = client.get(url("dossier-list"))

    assert response.status_code == 200
    assert list(response.context["page"]) == [draft]


def test_dossier_list_hides_other_communes(client, draft, outsider):
    client.force_login(outsider)

    response = client.get(url("dossier-list"))

    assert list(response.context["page"]) == []


def test_dossier_list_is_refused_to_citizens_roles(client, villages, draft):
    head = make_member(villages["hn1"], Role.VILLAGE_HEAD)
    client.force_login(head)

    assert client.get(url("dossier-list")).status_code == 403


def test_dossier_list_filters_by_status(client, draft, commune_officer):
    client.force_login(commune_officer)

    response = client.get(url("dossier-list"), {"trang_thai": "submitted"})

    assert list(response.context["page"]) == []


@pytest.mark.parametrize("count", [1, 3])
def test_dossier_list_query_count_does_not_grow(
    client, django_assert_num_queries, units, commune_set, admin, count
):
    communes = [
        units["ha_nha"],
        units["vu_gia"],
        *list(
            units["city"].children.filter(level=3).exclude(code__in=["20515", "20539"])
        ),
    ]
    for unit in communes[:count]:
        create_dossier(unit, kind=Dossier.Kind.NTM, year=YEAR, by=None)
    sign_in_verified(client, admin)

    with django_assert_num_queries(7):
        response = client.get(url("dossier-list"))

    assert len(response.context["page"]) == count


def test_dossier_create_opens_a_dossier_for_the_officers_commune(
    client, units, commune_set, commune_officer
):
    client.force_login(commune_officer)

    response = client.post(
        url("dossier-create"),
        {"unit": units["ha_nha"].pk, "kind": "ntm", "year": YEAR},
    )

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == dossier.get_absolute_url()
    assert dossier.created_by == commune_officer


def test_dossier_create_refuses_another_commune(
    client, units, commune_set, commune_officer, outsider
):
    client.force_login(outsider)

    response = client.post(
        url("dossier-create"),
        {"unit": units["ha_nha"].pk, "kind": "ntm", "year": YEAR},
    )

    assert response.status_code == 200  # the commune is not among the choices
    assert Dossier.objects.count() == 0


def test_dossier_create_is_refused_to_a_council_member(client, council, commune_set):
    client.force_login(council)

    assert client.get(url("dossier-create")).status_code == 403


def test_dossier_detail_shows_the_grid_and_history(client, posted, commune_officer):
    client.force_login(commune_officer)

    response = client.get(url("dossier-detail", posted))

    assert response.status_code == 200
    assert [row["number"] for row in response.context["rows"]] == ["8", "9"]
    content = response.content.decode()
    assert "Niêm yết công khai" in content
    assert "Tự đánh giá" in content
    assert (
        reverse("indicators:evaluation-detail", args=["XA_NTM_2021_2025", "20515"])
        in content
    )


def test_dossier_detail_is_refused_to_another_commune(client, draft, outsider):
    client.force_login(outsider)

    assert client.get(url("dossier-detail", draft)).status_code == 403


def test_dossier_detail_requires_sign_in(client, draft):
    response = client.get(url("dossier-detail", draft))

    assert response.status_code == 302


def test_dossier_assess_stores_the_self_assessment(client, draft, commune_officer):
    client.force_login(commune_officer)

    client.post(url("dossier-assess", draft))

    draft.refresh_from_db()
    assert draft.status == Dossier.Status.SELF_ASSESSED


def test_dossier_assess_is_refused_to_another_commune(client, draft, outsider):
    client.force_login(outsider)

    response = client.post(url("dossier-assess", draft))

    draft.refresh_from_db()
    assert response.status_code == 403
    assert draft.status == Dossier.Status.DRAFT


def test_evidence_add_uploads_and_staff_can_download(client, draft, commune_officer):
    client.force_login(commune_officer)

    client.post(
        url("evidence-add", draft),
        {
            "criterion_number": "8",
            "file": SimpleUploadedFile("bb.pdf", b"%PDF-1.4 x", "application/pdf"),
        },
    )

    evidence = draft.evidence.get()
    response = client.get(reverse("dossiers:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


def test_evidence_add_reports_a_refused_type(client, draft, commune_officer):
    client.force_login(commune_officer)

    response = client.post(
        url("evidence-add", draft),
        {"criterion_number": "8", "file": SimpleUploadedFile("x.svg", b"<svg/>")},
        follow=True,
    )

    assert "Chỉ nhận tệp PDF" in response.content.decode()
    assert draft.evidence.count() == 0


def test_evidence_add_and_download_are_refused_to_outsiders(
    client, draft, commune_officer, outsider
):
    client.force_login(commune_officer)
    client.post(
        url("evidence-add", draft),
        {"criterion_number": "8", "file": SimpleUploadedFile("a.pdf", b"%PDF")},
    )
    evidence = draft.evidence.get()
    client.force_login(outsider)

    upload = client.post(
        url("evidence-add", draft),
        {"criterion_number": "8", "file": SimpleUploadedFile("b.pdf", b"%PDF")},
    )
    download = client.get(reverse("dossiers:evidence-download", args=[evidence.pk]))

    assert (upload.status_code, download.status_code) == (403, 403)
    assert draft.evidence.count() == 1


def test_posting_add_records_a_posting(client, draft, commune_officer, met_figures):
    client.force_login(commune_officer)
    client.post(url("dossier-assess", draft))

    client.post(
        url("posting-add", draft),
        {"posted_on": timezone.localdate().isoformat(), "place": "Nhà văn hóa thôn 1"},
    )

    assert list(Posting.objects.values_list("place", flat=True)) == [
        "Nhà văn hóa thôn 1"
    ]


def test_posting_add_is_refused_to_a_council_member(client, draft, council):
    client.force_login(council)

    response = client.post(
        url("posting-add", draft),
        {"posted_on": timezone.localdate().isoformat(), "place": "UBND"},
    )

    assert response.status_code == 403
    assert Posting.objects.count() == 0


def test_dossier_submit_submits(client, posted, commune_officer):
    client.force_login(commune_officer)

    client.post(url("dossier-submit", posted))

    posted.refresh_from_db()
    assert posted.status == Dossier.Status.SUBMITTED


def test_dossier_submit_is_refused_to_outsiders(client, posted, outsider):
    client.force_login(outsider)

    response = client.post(url("dossier-submit", posted))

    posted.refresh_from_db()
    assert response.status_code == 403
    assert posted.status == Dossier.Status.POSTED


def test_dossier_receive_by_the_city(client, submitted, admin):
    sign_in_verified(client, admin)

    client.post(url("dossier-receive", submitted))

    submitted.refresh_from_db()
    assert submitted.status == Dossier.Status.UNDER_APPRAISAL


def test_dossier_receive_is_refused_to_the_commune(client, submitted, commune_officer):
    client.force_login(commune_officer)

    response = client.post(url("dossier-receive", submitted))

    submitted.refresh_from_db()
    assert response.status_code == 403
    assert submitted.status == Dossier.Status.SUBMITTED


def appraisal_post(lines, total=None):
    """The council's form as the browser posts it: one line per criterion."""
    data = {
        "tc-TOTAL_FORMS": str(total if total is not None else len(lines)),
        "tc-INITIAL_FORMS": str(len(lines)),
        "tc-MIN_NUM_FORMS": "0",
        "tc-MAX_NUM_FORMS": "60",
    }
    for index, (number, verdict, comment) in enumerate(lines):
        data[f"tc-{index}-criterion_number"] = number
        data[f"tc-{index}-verdict"] = verdict
        data[f"tc-{index}-comment"] = comment
    return data


def test_dossier_appraise_records_every_verdict_in_one_post_and_concludes(
    client, submitted, council
):
    client.force_login(council)

    page = client.get(url("dossier-appraise", submitted))
    response = client.post(
        url("dossier-appraise", submitted),
        appraisal_post([("8", "met", "Khớp minh chứng"), ("9", "not_met", "Thiếu")]),
    )
    client.post(url("appraisal-complete", submitted), {"result": "not_met"})

    submitted.refresh_from_db()
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('name="tc-0-verdict"') == 2  # Đạt, Chưa đạt
    assert "Chưa đạt" in html and "Không đạt" not in html
    assert "Xã tự đánh giá" in html
    assert response.status_code == 302
    assert sorted(
        submitted.appraisals.values_list("criterion_number", "verdict", "comment")
    ) == [("8", "met", "Khớp minh chứng"), ("9", "not_met", "Thiếu")]
    assert list(
        ActionLog.objects.filter(action="dossiers.criterion.appraised")
        .order_by("pk")
        .values_list("data__note", flat=True)
    ) == ["Tiêu chí 8: Đạt", "Tiêu chí 9: Chưa đạt"]
    assert submitted.status == Dossier.Status.APPRAISED
    assert submitted.appraisal_result == "not_met"


def test_dossier_appraise_saved_again_unchanged_logs_nothing_new(
    client, submitted, council
):
    client.force_login(council)
    lines = [("8", "met", "Khớp"), ("9", "", "")]
    client.post(url("dossier-appraise", submitted), appraisal_post(lines))

    client.post(url("dossier-appraise", submitted), appraisal_post(lines))

    assert ActionLog.objects.filter(action="dossiers.criterion.appraised").count() == 1
    assert list(submitted.appraisals.values_list("criterion_number", flat=True)) == [
        "8"
    ]


def test_dossier_appraise_is_refused_to_a_council_member_of_the_commune(
    client, submitted, units
):
    insider = make_member(units["city"], Role.COUNCIL_MEMBER)
    insider.memberships.create(unit=units["ha_nha"], role=Role.COMMUNE_OFFICER)
    client.force_login(insider)

    page = client.get(url("dossier-appraise", submitted))
    post = client.post(
        url("dossier-appraise", submitted), appraisal_post([("8", "met", "")])
    )
    conclude = client.post(url("appraisal-complete", submitted), {"result": "met"})

    assert (page.status_code, post.status_code, conclude.status_code) == (403, 403, 403)
    assert CriterionAppraisal.objects.count() == 0


def test_dossier_decide_recognises(client, appraised, admin):
    sign_in_verified(client, admin)

    client.post(
        url("dossier-decide", appraised),
        {
            "recognised": "1",
            "number": "15/QĐ-UBND",
            "date": timezone.localdate().isoformat(),
            "signer": "Nguyễn Văn Ký",
            "signer_position": "Chủ tịch UBND thành phố",
        },
    )

    appraised.refresh_from_db()
    assert appraised.status == Dossier.Status.RECOGNISED


def test_dossier_decide_is_refused_to_the_council(client, appraised, council):
    client.force_login(council)

    response = client.post(
        url("dossier-decide", appraised),
        {"recognised": "1", "number": "1", "date": "2025-12-01", "signer": "X"},
    )

    appraised.refresh_from_db()
    assert response.status_code == 403
    assert appraised.status == Dossier.Status.APPRAISED


def test_dossier_revoke_revokes(client, recognised, admin):
    sign_in_verified(client, admin)

    client.post(
        url("dossier-revoke", recognised),
        {
            "reason": "Không còn đạt tiêu chí 8",
            "number": "20/QĐ-UBND",
            "date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        },
    )

    recognised.refresh_from_db()
    assert recognised.status == Dossier.Status.REVOKED


def test_dossier_revoke_is_refused_to_the_commune(client, recognised, commune_officer):
    client.force_login(commune_officer)

    response = client.post(
        url("dossier-revoke", recognised),
        {"reason": "x", "number": "1", "date": timezone.localdate().isoformat()},
    )

    recognised.refresh_from_db()
    assert response.status_code == 403
    assert recognised.status == Dossier.Status.RECOGNISED


def test_report_self_assessment_is_a_word_document(client, submitted, commune_officer):
    client.force_login(commune_officer)

    response = client.get(url("report-self-assessment", submitted))

    document = Document(io.BytesIO(response.content))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "UBND XÃ HÀ NHA" in document.tables[0].rows[0].cells[0].text


def test_reports_are_refused_to_outsiders(client, appraised, outsider):
    client.force_login(outsider)

    assert client.get(url("report-self-assessment", appraised)).status_code == 403
    assert client.get(url("report-appraisal", appraised)).status_code == 403


def test_report_appraisal_is_a_word_document(client, appraised, admin):
    sign_in_verified(client, admin)

    response = client.get(url("report-appraisal", appraised))

    document = Document(io.BytesIO(response.content))
    assert "HỘI ĐỒNG THẨM ĐỊNH" in document.tables[0].rows[0].cells[0].text


def test_dossier_decide_refused_keeps_what_was_typed(client, appraised, admin):
    sign_in_verified(client, admin)

    response = client.post(
        url("dossier-decide", appraised),
        {"recognised": "1", "number": "15/QĐ-UBND", "date": "31/02/2025"},
    )

    content = response.content.decode()
    appraised.refresh_from_db()
    assert response.status_code == 400
    assert 'value="15/QĐ-UBND"' in content
    assert "Nhập một ngày hợp lệ" in content or "ngày hợp lệ" in content
    assert appraised.status == Dossier.Status.APPRAISED


def test_posting_add_refused_keeps_the_place(
    client, draft, commune_officer, met_figures
):
    client.force_login(commune_officer)
    client.post(url("dossier-assess", draft))

    response = client.post(
        url("posting-add", draft),
        {"posted_on": "hôm qua", "place": "Nhà văn hóa <b>thôn 3</b>"},
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert 'value="Nhà văn hóa &lt;b&gt;thôn 3&lt;/b&gt;"' in content
    # The wrong field takes the focus, so the browser scrolls down to it.
    assert re.search(r'<input[^>]*name="posted_on"[^>]*autofocus', content)
    assert Posting.objects.count() == 0


def test_dossier_appraise_refused_keeps_every_line_as_typed(client, submitted, council):
    client.force_login(council)

    response = client.post(
        url("dossier-appraise", submitted),
        appraisal_post([("8", "met", "Khớp"), ("9", "", "Thiếu biên bản kiểm tra")]),
    )
    hostile = client.post(
        url("dossier-appraise", submitted),
        appraisal_post([("8", "met", "x"), ("%d%s", "met", "x")]),
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "Chọn Đạt hoặc Chưa đạt cho tiêu chí này." in content
    assert "Thiếu biên bản kiểm tra</textarea>" in content
    assert "Khớp</textarea>" in content
    assert hostile.status_code == 400
    assert "Hồ sơ không có tiêu chí %d%s." in hostile.content.decode()
    # All or none: criterion 8 of the hostile post was not kept either.
    assert CriterionAppraisal.objects.count() == 0


def test_appraisal_complete_refused_keeps_the_summary(client, submitted, council):
    client.force_login(council)

    response = client.post(
        url("appraisal-complete", submitted), {"summary": "Hồ sơ đầy đủ"}
    )

    submitted.refresh_from_db()
    assert response.status_code == 400
    assert "Hồ sơ đầy đủ</textarea>" in response.content.decode()
    assert submitted.status != Dossier.Status.APPRAISED


def test_evidence_add_refuses_a_web_page_disguised_as_an_image(
    client, draft, commune_officer
):
    client.force_login(commune_officer)
    disguised = SimpleUploadedFile("anh.png", b"<!DOCTYPE html><script>x</script>")

    response = client.post(
        url("evidence-add", draft),
        {"criterion_number": "8", "file": disguised},
        follow=True,
    )

    assert "trang web (HTML)" in response.content.decode()
    assert draft.evidence.count() == 0
