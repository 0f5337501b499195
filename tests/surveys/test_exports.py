import pytest
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.surveys.models import Response
from ntm.surveys.services import submit_response
from tests.factories import HouseholdFactory, make_member, make_village
from tests.workbooks import (
    FORMULA,
    column,
    export_workbook,
    is_number,
    is_text,
    notes,
    workbook_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(survey, villages):
    """Three households answered: two of Thôn 1 satisfied, one of Thôn 2 not,
    saying why in free text."""
    q = survey.q
    for code, village, overall, rating, why in [
        ("HN1", villages["hn1"], "yes", "5", ""),
        ("HN2", villages["hn1"], "yes", "4", ""),
        ("HN3", villages["hn2"], "no", "2", FORMULA),
    ]:
        household = HouseholdFactory(
            code=code, village=village, head_name=f"Chủ {code}"
        )
        submit_response(
            survey,
            household=household,
            answers={
                q["overall"].pk: [overall],
                q["rating"].pk: [rating],
                q["why"].pk: [why] if why else [],
            },
            channel=Response.Channel.PAPER,
            by=None,
        )
    return survey


def _get(client, user, name, survey):
    client.force_login(user)
    return client.get(reverse(f"surveys:{name}", args=[survey.pk]))


def _export(client, user, survey):
    client.force_login(user)
    url = reverse("surveys:survey-responses-export", args=[survey.pk])
    return export_workbook(client, url)


def test_results_export_gives_counts_and_shares_as_numbers(
    client, answered, commune_officer
):
    book = workbook_of(_get(client, commune_officer, "survey-results-export", answered))

    sheet = book["Theo câu hỏi"]
    answers = [c.value for c in column(sheet, "Lựa chọn / điểm")]
    satisfied = answers.index("Hài lòng")
    count, share = column(sheet, "Số hộ")[satisfied], column(sheet, "Tỷ lệ")[satisfied]
    assert (is_number(count), count.value) == (True, 2)
    assert (is_number(share), share.number_format) == (True, "0.00%")
    assert share.value == pytest.approx(2 / 3, abs=1e-4)
    assert column(sheet, "Điểm trung bình")[answers.index("Số hộ trả lời", 3)].value
    info = notes(book)
    assert (info["so phieu tra loi"], info["so ho hai long"]) == (3, 2)
    assert book.sheetnames == [
        "Theo câu hỏi",
        "Theo đơn vị",
        "Theo nội dung",
        "Thông tin",
    ]


def test_responses_export_has_every_answer_and_free_text_as_text(
    client, answered, commune_officer
):
    book = _export(client, commune_officer, answered)

    sheet = book["Phiếu trả lời"]
    assert [c.value for c in column(sheet, "Mã hộ")] == ["HN1", "HN2", "HN3"]
    assert [c.value for c in column(sheet, "Chủ hộ")][2] == "Chủ HN3"
    ratings = column(sheet, "2. Giao thông")
    assert all(is_number(c) for c in ratings)
    assert [c.value for c in ratings] == [5, 4, 2]
    why = column(sheet, "3. Vì sao chưa hài lòng?")
    assert is_text(why[2], FORMULA)
    assert [c.value for c in column(sheet, "1. Gia đình có hài lòng không?")] == [
        "Hài lòng",
        "Hài lòng",
        "Chưa",
    ]


def test_responses_export_names_only_the_households_a_village_head_keeps(
    client, answered, villages
):
    head = make_member(villages["hn2"], Role.VILLAGE_HEAD)

    book = _export(client, head, answered)

    sheet = book["Phiếu trả lời"]
    assert [c.value for c in column(sheet, "Mã hộ")] == [None, None, "HN3"]
    assert len(column(sheet, "3. Vì sao chưa hài lòng?")) == 3


def test_responses_export_is_refused_to_a_council_member(client, answered, units):
    council = make_member(units["ha_nha"], Role.COUNCIL_MEMBER)

    response = _get(client, council, "survey-responses-export", answered)

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["survey-results-export", "survey-responses-export"])
def test_survey_exports_are_refused_to_other_communes(client, answered, units, name):
    outsider = make_member(units["vu_gia"], Role.COMMUNE_OFFICER)

    response = _get(client, outsider, name, answered)

    assert response.status_code == 403


def test_results_page_links_to_both_exports(client, answered, commune_officer):
    page = _get(client, commune_officer, "survey-results", answered).content.decode()

    assert reverse("surveys:survey-results-export", args=[answered.pk]) in page
    assert reverse("surveys:survey-responses-export", args=[answered.pk]) in page


def test_responses_export_naming_households_is_marked_as_personal_data(
    client, answered, commune_officer
):
    book = _export(client, commune_officer, answered)

    info = notes(book)
    assert "Nghị định 13/2023/NĐ-CP" in info["du lieu ca nhan"]
    assert "chủ hộ" in info["du lieu ca nhan"]
    assert commune_officer.username in info["nguoi xuat"]


def test_responses_export_naming_no_one_asks_no_purpose_and_is_not_marked(
    client, answered, units
):
    # The head of a village with no household in the register yet reads the
    # commune survey but may read none of its households.
    reader = make_member(make_village(units["ha_nha"], 3), Role.VILLAGE_HEAD)
    client.force_login(reader)
    url = reverse("surveys:survey-responses-export", args=[answered.pk])

    page = client.get(url).content.decode()
    book = export_workbook(client, url, purpose="")

    assert "Mục đích sử dụng" not in page
    assert "du lieu ca nhan" not in notes(book)
    assert [c.value for c in book["Phiếu trả lời"][1]][5:7] != ["Mã hộ", "Chủ hộ"]


def test_responses_export_names_no_household_for_the_police(client, answered, units):
    # The police read the register on screen, but export no personal data.
    police = make_member(units["city"], Role.OFFICE_STAFF, office=Office.POLICE)

    book = _export(client, police, answered)

    sheet = book["Phiếu trả lời"]
    header = [cell.value for cell in sheet[1]]
    assert "Mã hộ" not in header
    assert "Chủ hộ" not in header
    assert len(column(sheet, "3. Vì sao chưa hài lòng?")) == 3
