"""Trainings for officials, residents and businesses (plan V.1): attendance
counted by audience, names or a head count from the paper register."""

import datetime

import pytest
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.knowledge.models import Training
from ntm.knowledge.services import add_participant
from tests.factories import make_member


@pytest.fixture
def culture(units):
    return make_member(units["district"], Role.OFFICE_STAFF, Office.CULTURE)


def test_attendance_is_counted_by_audience_with_unnamed_attendees(
    make_training, make_staff, units
):
    officials = make_training()
    add_participant(officials, staff=make_staff(units["district"]), by=None)
    residents = make_training(
        audience=Training.Audience.RESIDENTS,
        unlisted_attendees=30,
        title="Nông dân dùng điện thoại thông minh",
    )
    add_participant(residents, name="Trần Văn Bình", by=None)
    add_participant(residents, name="Lê Thị Hoa", attended=False, by=None)
    totals = Training.objects.all().attendance_by_audience()
    assert totals == {"officials": 1, "residents": 31, "businesses": 0}
    counted = Training.objects.with_attendance().get(pk=residents.pk)
    assert (counted.invited, counted.present) == (2, 31)


def test_target_5_counts_officials_only(make_training, make_staff, units):
    # A roster member at a residents' class is still trained; a resident
    # typed by name is never on the roster, so the denominator is unchanged.
    residents = make_training(audience=Training.Audience.RESIDENTS)
    add_participant(residents, name="Trần Văn Bình", by=None)
    assert Training.objects.attendance_by_audience()["residents"] == 1


def test_the_list_shows_the_figures_and_filters_by_audience(
    login, culture, make_training
):
    make_training(audience=Training.Audience.RESIDENTS, unlisted_attendees=45)
    make_training(title="Lớp cán bộ")
    client = login(culture)
    page = client.get(reverse("knowledge:training-list"), {"audience": "residents"})
    body = page.content.decode()
    assert "Người dân: <strong>45</strong>" in body
    assert "Lớp cán bộ" not in body


def test_the_api_reads_and_keeps_the_audience(login, culture, make_training):
    training = make_training(
        audience=Training.Audience.BUSINESSES, unlisted_attendees=12
    )
    client = login(culture)
    listed = client.get("/api/v1/knowledge/trainings", {"audience": "businesses"})
    [row] = listed.json()["results"]
    assert (row["audience"], row["present"]) == ("businesses", 12)
    changed = client.patch(
        f"/api/v1/knowledge/trainings/{training.pk}",
        {"place": "Hội trường xã"},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    training.refresh_from_db()
    assert training.audience == "businesses" and training.unlisted_attendees == 12
    assert training.held_on == datetime.date(2024, 5, 10)
