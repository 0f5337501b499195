import datetime

import pytest
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.core.models import ActionLog
from ntm.knowledge.models import Participation, ProgramStaff, Training

from ..factories import make_member

pytestmark = pytest.mark.django_db

IN_2025 = datetime.date(2025, 9, 10)


@pytest.fixture
def officer(units):
    """The commune officer of Xã Hà Nha (formed from Đại Đồng and others)."""
    return make_member(units["ha_nha"], Role.COMMUNE_OFFICER)


@pytest.fixture
def culture(units):
    return make_member(units["district"], Role.OFFICE_STAFF, Office.CULTURE)


def test_staff_list_shows_the_officers_old_communes_only(
    login, officer, units, old, make_staff, django_assert_max_num_queries
):
    for _n in range(5):
        make_staff(old["dai_dong"], full_name="Cán bộ Đại Đồng")
    make_staff(units["vu_gia"], 2025, full_name="Cán bộ Vu Gia")

    client = login(officer)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("knowledge:staff-list"), {"year": 2024})

    assert response.status_code == 200
    assert [s.full_name for s in response.context["page"]] == ["Cán bộ Đại Đồng"] * 5


def test_staff_pages_refuse_non_staff(login, village_head, units, make_staff):
    staff = make_staff(units["district"], full_name="Bí Mật")
    client = login(village_head)

    assert client.get(reverse("knowledge:staff-list")).status_code == 403
    response = client.post(
        reverse("knowledge:staff-edit", args=[staff.pk]),
        {"year": 2024, "code": staff.code, "full_name": "Khác", "unit": staff.unit.pk},
    )
    assert response.status_code == 403
    assert ProgramStaff.objects.get().full_name == "Bí Mật"


def test_staff_pages_need_a_login(client):
    response = client.get(reverse("knowledge:staff-list"))

    assert response.status_code == 302


def test_staff_create_adds_an_entry(login, culture, units):
    response = login(culture).post(
        reverse("knowledge:staff-create"),
        {
            "year": 2024,
            "code": "CB77",
            "full_name": "Phan Thị Lan",
            "position": "Chuyên viên",
            "unit": units["district"].pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    staff = ProgramStaff.objects.get()
    assert (staff.code, staff.full_name) == ("CB77", "Phan Thị Lan")
    assert ActionLog.objects.for_object(staff).get().actor == culture


def test_officer_cannot_edit_another_communes_entry(login, officer, units, old):
    from ntm.knowledge.services import create_staff
    from ntm.units.models import Unit

    other = Unit.objects.by_code("20539", on=datetime.date(2024, 12, 31))
    staff = create_staff(
        code="X", year=2024, full_name="Người khác", unit=other, by=None
    )

    response = login(officer).post(
        reverse("knowledge:staff-edit", args=[staff.pk]),
        {"year": 2024, "code": "X", "full_name": "Đổi", "unit": other.pk},
    )

    assert response.status_code == 403
    assert ProgramStaff.objects.get().full_name == "Người khác"


def test_officer_edits_the_entry_of_a_commune_that_merged_into_theirs(
    login, officer, old, make_staff
):
    staff = make_staff(old["dai_dong"], full_name="Cũ")

    response = login(officer).post(
        reverse("knowledge:staff-edit", args=[staff.pk]),
        {
            "year": 2024,
            "code": staff.code,
            "full_name": "Mới",
            "unit": old["dai_dong"].pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert ProgramStaff.objects.get().full_name == "Mới"


def test_training_create_and_detail(login, culture, units):
    client = login(culture)

    response = client.post(
        reverse("knowledge:training-create"),
        {
            "title": "Tập huấn CĐS",
            "topic": "digital",
            "level": "district",
            "organiser": units["district"].pk,
            "held_on": "2024-05-10",
            "hours": "8",
        },
    )

    training = Training.objects.get()
    assert response.url == training.get_absolute_url()
    assert client.get(response.url).status_code == 200


def test_participant_add_and_attendance(
    login, culture, units, make_staff, make_training
):
    training = make_training()
    staff = make_staff(units["district"])
    client = login(culture)

    client.post(
        reverse("knowledge:participant-add", args=[training.pk]),
        {"staff": staff.pk, "attended": "on"},
    )
    participation = Participation.objects.get()
    client.post(reverse("knowledge:participant-attendance", args=[participation.pk]))

    participation.refresh_from_db()
    assert (participation.staff, participation.attended) == (staff, False)


def test_officer_cannot_mark_attendance_of_a_district_training(
    login, officer, units, make_staff, make_training, attend
):
    participation = attend(make_training(), make_staff(units["district"]))

    response = login(officer).post(
        reverse("knowledge:participant-attendance", args=[participation.pk])
    )

    assert response.status_code == 403
    assert Participation.objects.get().attended is True


def test_training_list_counts_attendance_without_a_query_per_row(
    login, culture, units, make_staff, make_training, attend,
    django_assert_max_num_queries,
):  # fmt: skip
    for month in range(1, 6):
        training = make_training(datetime.date(2024, month, 3))
        attend(training, make_staff(units["district"]))

    client = login(culture)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("knowledge:training-list"))

    assert [t.present for t in response.context["page"]] == [1] * 5


def test_training_list_shows_an_officer_the_trainings_of_their_commune_only(
    login, officer, units, old, make_training, make_staff, attend
):
    ours = make_training(organiser=old["dai_dong"], title="Lớp Đại Đồng")
    make_training(IN_2025, organiser=units["vu_gia"], title="Lớp Vu Gia")
    make_training(organiser=units["district"], title="Lớp huyện")
    attended = make_training(organiser=units["district"], title="Lớp huyện có xã dự")
    attend(attended, make_staff(old["dai_dong"]))

    response = login(officer).get(reverse("knowledge:training-list"))

    assert {t.pk for t in response.context["page"]} == {ours.pk, attended.pk}


def test_training_detail_of_another_unit_is_refused_to_an_officer(
    login, officer, units, make_training, make_staff, attend
):
    training = make_training(IN_2025, organiser=units["vu_gia"])
    attend(training, make_staff(units["vu_gia"], 2025, full_name="Trần Thị Bí Mật"))

    response = login(officer).get(
        reverse("knowledge:training-detail", args=[training.pk])
    )

    assert response.status_code == 403
    assert "Bí Mật" not in response.content.decode()


def test_training_detail_shows_an_officer_only_their_own_staff(
    login, officer, units, old, make_training, make_staff, attend
):
    training = make_training(organiser=units["district"])
    ours = attend(training, make_staff(old["dai_dong"], full_name="Lê Văn Xã"))
    attend(training, make_staff(units["district"], full_name="Trần Thị Huyện"))

    response = login(officer).get(
        reverse("knowledge:training-detail", args=[training.pk])
    )

    assert response.status_code == 200
    assert list(response.context["participations"]) == [ours]
    assert "Trần Thị Huyện" not in response.content.decode()
    assert response.context["can_edit"] is False
