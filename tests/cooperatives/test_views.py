import pytest
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.cooperatives.models import Cooperative, LinkageModel

from ..factories import make_member
from ..workbooks import column, export_workbook, exported

pytestmark = pytest.mark.django_db


@pytest.fixture
def agriculture(units):
    return make_member(units["district"], Role.OFFICE_STAFF, Office.AGRICULTURE)


def test_public_list_shows_cooperatives_without_personal_data(
    client, old, make_cooperative, django_assert_max_num_queries
):
    for _n in range(5):
        make_cooperative(old["20515"], representative="Ông Bí Mật", phone="0905000111")

    with django_assert_max_num_queries(10):
        response = client.get(reverse("cooperatives:cooperative-list"))

    assert response.status_code == 200
    assert len(response.context["page"]) == 5
    assert "Bí Mật" not in response.text and "0905000111" not in response.text
    assert "nay thuộc Xã Hà Nha" in response.text


def test_public_detail_hides_representative_and_phone(client, old, make_cooperative):
    cooperative = make_cooperative(old["20515"], representative="Ông Bí Mật")

    response = client.get(cooperative.get_absolute_url())

    assert response.status_code == 200
    assert "Bí Mật" not in response.text


def test_staff_detail_shows_representative(login, agriculture, old, make_cooperative):
    cooperative = make_cooperative(old["20515"], representative="Ông Bí Mật")

    response = login(agriculture).get(cooperative.get_absolute_url())

    assert "Ông Bí Mật" in response.text


def test_agriculture_office_creates_a_cooperative(login, agriculture, old):
    response = login(agriculture).post(
        reverse("cooperatives:cooperative-create"),
        {
            "code": "HTX9",
            "name": "HTX Rau an toàn",
            "commune": old["20515"].pk,
            "members": 12,
            "is_active": "on",
        },
    )

    cooperative = Cooperative.objects.get()
    assert response.url == cooperative.get_absolute_url()
    assert cooperative.commune == old["20515"]


def test_other_offices_cannot_create_or_edit(login, units, old, make_cooperative):
    culture = make_member(units["district"], Role.OFFICE_STAFF, Office.CULTURE)
    cooperative = make_cooperative(old["20515"], name="Tên cũ")
    client = login(culture)

    assert client.get(reverse("cooperatives:cooperative-create")).status_code == 403
    response = client.post(
        reverse("cooperatives:cooperative-edit", args=[cooperative.pk]),
        {"code": cooperative.code, "name": "Tên mới", "commune": old["20515"].pk},
    )
    assert response.status_code == 403
    assert Cooperative.objects.get().name == "Tên cũ"


def test_commune_officer_keeps_cooperatives_of_merged_communes_only(
    login, commune_officer, old, make_cooperative
):
    own = make_cooperative(old["20512"], name="Của Hà Nha")  # Đại Hồng → Hà Nha
    other = make_cooperative(old["20539"], name="Của Vu Gia")
    client = login(commune_officer)

    ok = client.post(
        reverse("cooperatives:linkage-create", args=[own.pk]),
        {"name": "Liên kết lúa", "tied_to_sales": "on", "is_active": "on"},
    )
    denied = client.post(
        reverse("cooperatives:linkage-create", args=[other.pk]),
        {"name": "Liên kết lúa", "tied_to_sales": "on", "is_active": "on"},
    )

    assert (ok.status_code, denied.status_code) == (302, 403)
    assert list(LinkageModel.objects.values_list("cooperative__name", flat=True)) == [
        "Của Hà Nha"
    ]


def test_linkage_edit_and_delete(
    login, agriculture, old, make_cooperative, make_linkage
):
    model = make_linkage(make_cooperative(old["20515"]))
    client = login(agriculture)

    client.post(
        reverse("cooperatives:linkage-edit", args=[model.pk]),
        {"name": "Đổi tên", "is_active": "on"},
    )
    assert LinkageModel.objects.get().name == "Đổi tên"
    client.post(reverse("cooperatives:linkage-delete", args=[model.pk]))
    assert not LinkageModel.objects.exists()


def test_exports_are_for_staff_only(client, login, agriculture, old, make_cooperative):
    make_cooperative(old["20515"])

    assert client.get(reverse("cooperatives:cooperative-export")).status_code == 302
    response = exported(login(agriculture), reverse("cooperatives:cooperative-export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("office", [Office.POLICE, Office.FINANCE, Office.ECONOMY])
def test_export_is_refused_to_offices_that_export_no_personal_data(
    login, units, office, old, make_cooperative
):
    make_cooperative(old["20515"], representative="Nguyễn Văn A", phone="0905123456")
    staff = make_member(units["district"], Role.OFFICE_STAFF, office=office)

    response = login(staff).get(reverse("cooperatives:cooperative-export"))

    assert response.status_code == 403


def test_export_holds_only_the_cooperatives_of_the_askers_units(
    login, units, make_cooperative
):
    make_cooperative(units["ha_nha"], code="HTXHANHA", phone="0905000001")
    make_cooperative(units["vu_gia"], code="HTXVUGIA", phone="0905000002")
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER)

    book = export_workbook(login(officer), reverse("cooperatives:cooperative-export"))

    codes = column(book["Hợp tác xã"], "Mã số HTX (*)")
    assert [cell.value for cell in codes] == ["HTXHANHA"]


def test_the_list_of_a_past_day_reads_the_dates(client, old, make_cooperative):
    import datetime

    digital_2025 = make_cooperative(
        old["20515"],
        name="HTX Số Sớm",
        digital=True,
        digital_since=datetime.date(2025, 3, 1),
    )
    make_cooperative(
        old["20515"], name="HTX Mới Lập", founded_on=datetime.date(2026, 1, 10)
    )
    url = reverse("cooperatives:cooperative-list")

    then = client.get(url, {"ngay": "2024-12-31"})
    later = client.get(url, {"ngay": "2025-12-31", "digital": "co"})
    now = client.get(url)

    assert [c.name for c in then.context["page"]] == ["HTX Số Sớm"]
    assert then.context["page"][0].digital_then is False
    assert [c.name for c in later.context["page"]] == [digital_2025.name]
    assert [c.name for c in now.context["page"]] == ["HTX Mới Lập", "HTX Số Sớm"]
    assert 'data-as-of="2024-12-31"' in then.text
