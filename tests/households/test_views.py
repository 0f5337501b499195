import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ntm.accounts.models import Office, Role
from ntm.core.models import ActionLog
from ntm.households.imports import import_households
from ntm.households.models import Facility, Household
from ntm.households.services import create_facility
from tests.factories import HouseholdFactory, UserFactory, make_member
from tests.workbooks import (
    FORMULA,
    column,
    content_of,
    export_workbook,
    exported,
    is_number,
    is_text,
    notes,
)

from .workbooks import row, xlsx

pytestmark = pytest.mark.django_db
LIST = reverse("households:household-list")


def test_household_list_requires_login(client, login):
    response = client.get(LIST)

    assert response.status_code == 302


def test_household_list_refuses_a_user_without_a_role(client, login):
    login(UserFactory())

    response = client.get(LIST)

    assert response.status_code == 403


def test_household_list_shows_only_the_users_village(
    client, login, villages, village_head, make_household
):
    mine = make_household(villages["hn1"], code="HN1-1")
    make_household(villages["hn2"], code="HN2-1")
    make_household(villages["vg1"], code="VG1-1")
    login(village_head)

    response = client.get(LIST)

    assert list(response.context["page"]) == [mine]
    assert "Có 1 hộ" in response.content.decode()


def test_household_list_refuses_a_village_filter_outside_the_scope(
    client, login, villages, village_head
):
    login(village_head)

    response = client.get(LIST, {"village": villages["vg1"].code})

    assert response.status_code == 403


def test_household_list_live_search_ignores_diacritics(
    client, login, villages, commune_officer, make_household
):
    wanted = make_household(villages["hn1"], head_name="Nguyễn Văn An")
    make_household(villages["hn2"], head_name="Nguyễn Thị Bé")
    login(commune_officer)

    response = client.get(LIST, {"q": "nguyen van an"}, headers={"HX-Request": "true"})

    assert list(response.context["page"]) == [wanted]
    content = response.content.decode()
    assert "Nguyễn Văn An" in content
    assert "<html" not in content


def test_household_list_filters(
    client, login, villages, commune_officer, make_household
):
    fibre = make_household(villages["hn1"], has_fibre=True, address_code="DL.1")
    business = make_household(villages["hn2"], is_business=True, address_code="DL.2")
    bare = make_household(villages["hn2"])
    login(commune_officer)

    def codes(**query):
        return [h.code for h in client.get(LIST, query).context["page"]]

    assert codes(fibre="co") == [fibre.code]
    assert codes(business="co") == [business.code]
    assert codes(no_address_code="on") == [bare.code]
    assert codes(village=villages["hn2"].code) == [business.code, bare.code]
    assert codes(commune=villages["hn1"].parent.code) == [
        fibre.code,
        business.code,
        bare.code,
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_household_list_query_count_does_not_grow(
    client,
    login,
    villages,
    village_head,
    make_household,
    django_assert_num_queries,
    count,
):
    for _ in range(count):
        make_household(villages["hn1"])
    login(village_head)

    # 14, and one for "may this user export the register?"
    with django_assert_num_queries(10):
        response = client.get(LIST)

    assert len(response.context["page"]) == count


def test_household_detail_shows_facts_demo_badge_and_history(
    client, login, villages, village_head, make_household
):
    household = make_household(villages["hn1"], is_demo=True, address_code="DL.7")
    login(village_head)

    response = client.get(household.get_absolute_url())

    content = response.content.decode()
    assert "DL.7" in content
    assert "Dữ liệu minh họa" in content
    assert "Lịch sử thay đổi" in content
    assert list(response.context["history"]) == list(
        ActionLog.objects.for_object(household)
    )


def test_household_detail_refuses_another_village(
    client, login, villages, village_head, make_household
):
    household = make_household(villages["vg1"])
    login(village_head)

    response = client.get(household.get_absolute_url())

    assert response.status_code == 403


def _form_data(village, **extra):
    return {
        "code": "HN-NEW",
        "village": village.pk,
        "head_name": "Phạm Văn Giang",
        "members": 3,
        "smartphones": 2,
        "health_app_members": 1,
        **extra,
    }


def test_household_create_saves_and_redirects(client, login, villages, village_head):
    login(village_head)

    response = client.post(
        reverse("households:household-create"), _form_data(villages["hn1"])
    )

    household = Household.objects.get(code="HN-NEW")
    assert response.status_code == 302
    assert response.url == household.get_absolute_url()
    assert ActionLog.objects.for_object(household).get().actor == village_head


def test_household_create_keeps_input_and_explains_errors(
    client, login, villages, village_head
):
    login(village_head)

    response = client.post(
        reverse("households:household-create"),
        _form_data(villages["hn1"], members=2, health_app_members=5),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "không được lớn hơn số nhân khẩu" in content
    assert 'value="Phạm Văn Giang"' in content
    assert not Household.objects.exists()


def test_household_create_refuses_another_village(
    client, login, villages, village_head
):
    login(village_head)

    client.post(reverse("households:household-create"), _form_data(villages["vg1"]))

    assert not Household.objects.exists()


def test_household_edit_refuses_another_village_and_changes_nothing(
    client, login, villages, village_head, make_household
):
    household = make_household(villages["hn2"], head_name="Gốc")
    login(village_head)
    url = reverse("households:household-edit", args=[household.code])

    get = client.get(url)
    post = client.post(url, _form_data(villages["hn1"], head_name="Đã đổi"))

    assert (get.status_code, post.status_code) == (403, 403)
    household.refresh_from_db()
    assert (household.head_name, household.village) == ("Gốc", villages["hn2"])


def test_household_edit_saves_and_audits(
    client, login, villages, village_head, make_household
):
    household = make_household(villages["hn1"], head_name="Gốc")
    login(village_head)

    response = client.post(
        reverse("households:household-edit", args=[household.code]),
        _form_data(villages["hn1"], head_name="Mới"),
    )

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.head_name == "Mới"
    log = ActionLog.objects.for_object(household).first()
    assert log.data["changes"]["head_name"] == {
        "label": "Họ tên chủ hộ",
        "old": "Gốc",
        "new": "Mới",
    }


def test_household_delete_asks_then_deletes(
    client, login, villages, village_head, make_household
):
    household = make_household(villages["hn1"])
    login(village_head)
    url = reverse("households:household-delete", args=[household.code])

    confirm = client.get(url)
    response = client.post(url)

    assert confirm.status_code == 200
    assert response.url == LIST
    assert not Household.objects.exists()


def test_household_delete_refuses_another_village(
    client, login, villages, village_head, make_household
):
    household = make_household(villages["vg1"])
    login(village_head)

    response = client.post(
        reverse("households:household-delete", args=[household.code])
    )

    assert response.status_code == 403
    assert Household.objects.filter(pk=household.pk).exists()


def test_household_delete_of_one_that_answered_a_survey_says_why_and_keeps_it(
    client, login, village_head, answered
):
    login(village_head)
    url = reverse("households:household-delete", args=[answered.code])

    confirm = client.get(url)
    response = client.post(url)

    assert "phiếu trả lời" in confirm.context["refusal"]
    assert response.status_code == 409
    assert "ngừng theo dõi" in response.context["refusal"]
    assert Household.objects.get() == answered


def test_household_archive_takes_it_off_the_list_and_restore_brings_it_back(
    client, login, village_head, answered
):
    login(village_head)

    archived = client.post(
        reverse("households:household-archive", args=[answered.code]),
        {"reason": "Chuyển đi nơi khác"},
    )
    listed = client.get(LIST).context["page"].object_list
    left = client.get(LIST, {"followed": "ngung"}).context["page"].object_list
    detail = client.get(answered.get_absolute_url())
    client.post(reverse("households:household-restore", args=[answered.code]))

    assert archived.url == answered.get_absolute_url()
    assert (list(listed), list(left)) == ([], [answered])
    assert "Hộ đã ngừng theo dõi từ" in detail.content.decode()
    assert list(Household.objects.all()) == [answered]


def test_household_archive_without_a_reason_keeps_it_followed(
    client, login, village_head, answered
):
    login(village_head)

    response = client.post(
        reverse("households:household-archive", args=[answered.code]), {"reason": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert list(Household.objects.all()) == [answered]


def test_household_archive_refuses_another_village(
    client, login, villages, village_head, make_household
):
    household = make_household(villages["vg1"])
    login(village_head)

    response = client.post(
        reverse("households:household-archive", args=[household.code]),
        {"reason": "Chuyển đi"},
    )

    assert response.status_code == 403
    assert list(Household.objects.all()) == [household]


def test_office_staff_may_read_but_not_edit(
    client, login, units, villages, make_household
):
    household = make_household(villages["hn1"])
    staff = make_member(units["ha_nha"], Role.OFFICE_STAFF, office="vhtt")
    login(staff)

    detail = client.get(household.get_absolute_url())
    edit = client.get(reverse("households:household-edit", args=[household.code]))

    assert (detail.status_code, edit.status_code) == (200, 403)


def test_household_template_is_an_xlsx_of_the_users_villages(
    client, login, villages, village_head
):
    login(village_head)

    response = client.get(reverse("households:household-template"))

    workbook = load_workbook(io.BytesIO(response.content))
    codes = [
        r[0] for r in workbook["Danh sách thôn"].iter_rows(min_row=2, values_only=True)
    ]
    assert codes == [villages["hn1"].code]


def test_household_export_contains_only_visible_filtered_households(
    client, login, villages, village_head, make_household
):
    make_household(villages["hn1"], code="A", has_fibre=True)
    make_household(villages["hn1"], code="B")
    make_household(villages["vg1"], code="C", has_fibre=True)
    login(village_head)

    book = export_workbook(
        client, reverse("households:household-export"), {"fibre": "co"}
    )

    sheet = book.worksheets[0]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["A"]


def test_household_import_page_saves_a_clean_file(
    client, login, villages, village_head
):
    login(village_head)
    upload = xlsx([row("HN1", villages["hn1"].code), row("HN2", villages["hn1"].code)])

    response = client.post(reverse("households:household-import"), {"file": upload})

    assert response.status_code == 302
    assert Household.objects.count() == 2


def test_household_import_page_lists_bad_rows_and_saves_nothing(
    client, login, villages, village_head
):
    login(village_head)
    upload = xlsx(
        [row("HN1", villages["hn1"].code), row("HN2", villages["hn1"].code, members="")]
    )

    response = client.post(reverse("households:household-import"), {"file": upload})

    assert response.status_code == 422
    assert [e.row for e in response.context["report"].errors] == [3]
    assert "Thiếu số nhân khẩu" in response.content.decode()
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("ho.xls", b"PK\x03\x04"), ("ho.xlsx", b"Ma ho,Ten\nHN1,An\n")],
)
def test_household_import_page_refuses_files_that_are_not_xlsx(
    client, login, villages, village_head, name, content
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(village_head)

    response = client.post(
        reverse("households:household-import"),
        {"file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["file"]


def test_household_import_page_refuses_a_user_who_keeps_no_register(
    client, login, units
):
    staff = make_member(units["ha_nha"], Role.OFFICE_STAFF, office="vhtt")
    login(staff)

    response = client.get(reverse("households:household-import"))

    assert response.status_code == 403


def test_facility_pages_list_and_edit_wifi(client, login, villages, village_head):
    house = create_facility(
        village=villages["hn1"], by=None, kind=Facility.Kind.CULTURAL_HOUSE, name="NVH"
    )
    login(village_head)

    listing = client.get(reverse("households:facility-list"))
    response = client.post(
        reverse("households:facility-edit", args=[house.pk]),
        {"kind": "cultural_house", "name": "NVH", "has_wifi": "on"},
    )

    assert [r["village"] for r in listing.context["rows"]] == [villages["hn1"]]
    assert response.status_code == 302
    house.refresh_from_db()
    assert house.has_wifi is True


def test_facility_edit_refuses_another_village(client, login, villages, village_head):
    house = create_facility(
        village=villages["vg1"], by=None, kind=Facility.Kind.CULTURAL_HOUSE, name="NVH"
    )
    login(village_head)

    response = client.post(
        reverse("households:facility-edit", args=[house.pk]),
        {"kind": "cultural_house", "name": "NVH", "has_wifi": "on"},
    )

    assert response.status_code == 403
    house.refresh_from_db()
    assert house.has_wifi is False


def test_facility_create_adds_a_wifi_point(client, login, villages, village_head):
    login(village_head)

    response = client.post(
        reverse("households:facility-create", args=[villages["hn1"].code]),
        {"kind": "wifi_point", "name": "Chợ thôn", "has_wifi": "on"},
    )

    assert response.status_code == 302
    assert Facility.objects.get().village == villages["hn1"]


# -- personal data exports (issue 10) ----------------------------------------------


def test_police_office_reads_the_register_but_cannot_export_it(client, units, villages):
    police = make_member(units["ha_nha"], Role.OFFICE_STAFF, office=Office.POLICE)
    HouseholdFactory(village=villages["hn1"])
    client.force_login(police)

    listed = client.get(reverse("households:household-list"))
    exported = client.get(reverse("households:household-export"))

    assert listed.status_code == 200
    assert "Xuất Excel" not in listed.content.decode()
    assert exported.status_code == 403
    assert not ActionLog.objects.filter(action="households.register.exported")


def test_register_export_is_logged_with_its_rows_and_marked_personal(
    client, units, villages
):
    focal = make_member(units["ha_nha"], Role.OFFICE_STAFF, office=Office.CULTURE)
    HouseholdFactory.create_batch(3, village=villages["hn1"])
    client.force_login(focal)

    listed = client.get(reverse("households:household-list"))
    download = exported(client, reverse("households:household-export"), {"q": ""})

    assert "Nghị định 13/2023/NĐ-CP" in listed.content.decode()
    assert download.status_code == 200
    entry = ActionLog.objects.get(action="households.register.exported")
    assert (entry.actor, entry.data) == (focal, {"rows": 3, "filters": {"q": ""}})


def test_household_export_writes_numbers_as_numbers_and_formulas_as_text(
    client, login, villages, village_head, make_household
):
    make_household(
        villages["hn1"], code="A", head_name=FORMULA, members=5, is_demo=True
    )
    login(village_head)

    book = export_workbook(client, reverse("households:household-export"))

    sheet = book["Hộ gia đình"]
    assert is_text(column(sheet, "Họ tên chủ hộ (*)")[0], FORMULA)
    members = column(sheet, "Số nhân khẩu (*)")[0]
    assert (is_number(members), members.value) == (True, 5)
    assert column(sheet, "Có cáp quang")[0].value == "không"
    assert notes(book)["du lieu minh hoa"].startswith("Có")


def test_household_export_reimports_unchanged(
    client, login, villages, village_head, make_household, platforms
):
    make_household(
        villages["hn1"],
        code="A",
        phone="0905123456",
        lat=Decimal("15.861234"),
        lon=Decimal("107.991234"),
        has_fibre=True,
        ecommerce_platforms=[platforms["voso"]],
    )
    login(village_head)
    download = content_of(exported(client, reverse("households:household-export")))

    result = import_households(SimpleUploadedFile("x.xlsx", download), by=village_head)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_household_template_filled_in_imports(client, login, villages, village_head):
    login(village_head)
    template = client.get(reverse("households:household-template")).content
    book = load_workbook(io.BytesIO(template))
    sheet = book["Hộ gia đình"]
    codes = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    sheet.append(["HN1", villages["hn1"].code, "", "Lê Thị Hoa", 3, "0905111222"])
    filled = io.BytesIO()
    book.save(filled)

    result = import_households(
        SimpleUploadedFile("mau.xlsx", filled.getvalue()), by=village_head
    )

    assert codes["B2:B100001"] == "'Danh sách thôn'!$A$2:$A$2"
    assert result.created == 1
    assert Household.objects.get().head_name == "Lê Thị Hoa"
