import datetime

import pytest

from ntm.core.models import ActionLog
from ntm.knowledge.models import Participation, ProgramStaff
from ntm.knowledge.services import (
    KnowledgeError,
    add_participant,
    delete_staff,
    delete_training,
    remove_participant,
    set_attendance,
    update_staff,
    update_training,
)

from ..factories import UserFactory, make_village

pytestmark = pytest.mark.django_db


def test_create_staff_logs_the_new_entry(units, make_staff):
    staff = make_staff(units["district"], code="CB1", position="Chuyên viên")

    entry = ActionLog.objects.for_object(staff).get()
    assert entry.action == "knowledge.staff.created"
    assert entry.data["changes"]["position"]["new"] == "Chuyên viên"


def test_create_staff_refuses_a_code_already_on_the_year(units, make_staff):
    make_staff(units["district"], code="CB1")

    with pytest.raises(KnowledgeError, match="CB1"):
        make_staff(units["district"], code="CB1")
    make_staff(units["district"], 2025, code="CB1")  # another year is fine
    assert ProgramStaff.objects.count() == 2


def test_create_staff_refuses_a_unit_that_did_not_exist_that_year(units, make_staff):
    with pytest.raises(KnowledgeError, match="2024"):
        make_staff(units["ha_nha"], 2024)


def test_create_staff_refuses_a_province_and_years_out_of_range(units, make_staff):
    with pytest.raises(KnowledgeError, match="huyện, xã hoặc thôn"):
        make_staff(units["city"], 2025)
    with pytest.raises(KnowledgeError, match="2015"):
        make_staff(units["district"], 2010)


def test_update_staff_logs_changed_fields_only(units, make_staff):
    staff = make_staff(units["district"], position="A")
    user = UserFactory()

    update_staff(staff, position="B", full_name=staff.full_name, by=user)
    update_staff(staff, position="B", by=user)

    entry = ActionLog.objects.for_object(staff).filter(action="knowledge.staff.changed")
    assert [e.data["changes"]["position"]["new"] for e in entry] == ["B"]
    assert entry.get().actor == user


def test_staff_with_attendance_cannot_be_deleted_or_moved_to_another_year(
    units, make_staff, make_training, attend
):
    staff = make_staff(units["district"])
    attend(make_training(), staff)

    with pytest.raises(KnowledgeError) as refused:
        delete_staff(staff, by=None)
    assert str(refused.value) == (
        f"Không thể xóa cán bộ quản lý Chương trình NTM “{staff}”: còn 1 người"
        " tham gia tập huấn gắn với nó. Hãy bỏ chọn “Đang đảm nhiệm” thay vì xóa."
    )
    with pytest.raises(KnowledgeError):
        update_staff(staff, year=2023, by=None)
    assert ProgramStaff.objects.get().year == 2024


def test_delete_staff_keeps_a_record(units, make_staff):
    staff = make_staff(units["district"], code="CB9")
    pk = staff.pk

    delete_staff(staff, by=None)

    assert not ProgramStaff.objects.exists()
    entry = ActionLog.objects.get(action="knowledge.staff.deleted")
    assert (entry.object_id, entry.data["facts"]["code"]) == (str(pk), "CB9")


def test_create_training_refuses_a_village_organiser_and_ended_units(
    units, villages, make_training
):
    with pytest.raises(KnowledgeError, match="huyện hoặc xã"):
        make_training(organiser=villages["hn1"], day=datetime.date(2025, 8, 1))
    with pytest.raises(KnowledgeError, match="hiệu lực"):
        make_training(day=datetime.date(2025, 8, 1))  # the district ended


def test_create_training_refuses_non_positive_hours(make_training):
    from decimal import Decimal

    with pytest.raises(KnowledgeError, match="giờ"):
        make_training(hours=Decimal(0))


def test_update_training_cannot_change_year_once_roster_members_are_on_it(
    units, make_staff, make_training, attend
):
    training = make_training()
    attend(training, make_staff(units["district"]))

    with pytest.raises(KnowledgeError, match="2024"):
        update_training(training, held_on=datetime.date(2023, 5, 1), by=None)
    update_training(training, held_on=datetime.date(2024, 9, 1), by=None)
    assert ActionLog.objects.filter(action="knowledge.training.changed").count() == 1


def test_add_participant_refuses_other_years_repeats_and_nameless_guests(
    units, make_staff, make_training, attend
):
    training = make_training()
    staff = make_staff(units["district"])
    attend(training, staff)

    with pytest.raises(KnowledgeError, match="đã có"):
        attend(training, staff)
    with pytest.raises(KnowledgeError, match="năm 2023"):
        attend(training, make_staff(units["district"], 2023))
    with pytest.raises(KnowledgeError, match="họ tên"):
        add_participant(training, name="  ", by=None)
    guest = add_participant(training, name="Lê Thị Hoa", role="Trưởng thôn", by=None)
    assert guest.display_name == "Lê Thị Hoa"
    assert Participation.objects.count() == 2


def test_attendance_and_removal_are_logged_on_the_training(
    units, make_staff, make_training, attend
):
    training = make_training()
    participation = attend(training, make_staff(units["district"]))

    set_attendance(participation, attended=False, by=None)
    set_attendance(participation, attended=False, by=None)  # no change, no entry
    remove_participant(participation, by=None)

    actions = list(
        ActionLog.objects.for_object(training)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "knowledge.training.created",
        "knowledge.participant.created",
        "knowledge.participant.changed",
        "knowledge.participant.deleted",
    ]


def test_delete_training_records_the_number_of_participants(
    units, make_staff, make_training, attend
):
    training = make_training()
    attend(training, make_staff(units["district"]))

    delete_training(training, by=None)

    entry = ActionLog.objects.get(action="knowledge.training.deleted")
    assert entry.data["facts"]["participants"] == 1
    assert not Participation.objects.exists()


def test_make_village_is_usable_for_village_heads_on_the_roster(units, make_staff):
    village = make_village(units["dai_dong"], 1)

    staff = make_staff(village, 2024, position="Trưởng thôn")

    assert staff.level == "Thôn / khu phố"
