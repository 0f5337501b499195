import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from ntm.core.models import ActionLog
from ntm.plans.models import BudgetLine, KeyTask, TaskUpdate, WorkDossierTally
from ntm.plans.services import (
    PlanError,
    add_task_update,
    create_budget_line,
    create_pilot,
    create_service,
    create_tally,
    create_task,
    delete_tally,
    update_budget_line,
    update_tally,
    update_task,
)
from tests.factories import UserFactory

from .helpers import task, unit

pytestmark = pytest.mark.django_db


def actions():
    return list(
        ActionLog.objects.filter(action__startswith="plans.")
        .exclude(action="plans.plan.created")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_create_tally_saves_and_logs(units):
    user = UserFactory()

    tally = create_tally(
        by=user, unit=units["dai_dong"], office="", year=2024, total=10, online=6
    )

    assert (tally.total, tally.online, tally.online_share) == (10, 6, 60.0)
    assert actions() == ["plans.tally.created"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"office": ""}, "Số liệu cấp huyện phải ghi rõ phòng."),
        ({"online": 11}, "Số hồ sơ xử lý trực tuyến lớn hơn tổng số hồ sơ."),
        ({"year": 2026}, "Huyện Đại Lộc không tồn tại trong năm 2026."),
    ],
)
def test_create_tally_refuses_broken_rules(units, fields, message):
    values = {"unit": units["district"], "office": "vhtt", "year": 2024}
    values.update({"total": 10, "online": 5, **fields})

    with pytest.raises(PlanError) as error:
        create_tally(by=None, **values)

    assert str(error.value) == message
    assert WorkDossierTally.objects.count() == 0


def test_create_tally_refuses_an_office_on_a_commune(units):
    with pytest.raises(PlanError):
        create_tally(
            by=None, unit=units["ha_nha"], office="vhtt", year=2025, total=1, online=1
        )


def test_create_tally_refuses_a_second_tally_of_the_year(units):
    fields = {"unit": units["dai_dong"], "office": "", "year": 2024}
    create_tally(by=None, total=5, online=1, **fields)

    with pytest.raises(PlanError):
        create_tally(by=None, total=6, online=2, **fields)

    assert WorkDossierTally.objects.count() == 1


def test_tally_database_refuses_online_above_total(units):
    with pytest.raises(IntegrityError):
        WorkDossierTally.objects.create(
            unit=units["dai_dong"], year=2024, total=1, online=2
        )


def test_update_tally_logs_the_changed_fields(units):
    tally = create_tally(
        by=None, unit=units["dai_dong"], office="", year=2024, total=10, online=6
    )

    update_tally(tally, by=None, online=8)

    entry = ActionLog.objects.get(action="plans.tally.changed")
    assert entry.data["changes"]["online"]["old"] == 6
    assert entry.data["changes"]["online"]["new"] == 8


def test_update_tally_checks_against_current_values(units):
    tally = create_tally(
        by=None, unit=units["dai_dong"], office="", year=2024, total=10, online=6
    )

    with pytest.raises(PlanError):
        update_tally(tally, by=None, total=5)


def test_delete_tally_keeps_an_audit_entry(units):
    tally = create_tally(
        by=None, unit=units["dai_dong"], office="", year=2024, total=10, online=6
    )

    delete_tally(tally, by=None)

    assert WorkDossierTally.objects.count() == 0
    assert actions() == ["plans.tally.created", "plans.tally.deleted"]


def test_create_service_refuses_a_district_and_an_end_before_start(units):
    with pytest.raises(PlanError) as error:
        create_service(
            by=None,
            unit=units["district"],
            field="y_te",
            name="A",
            started_on=datetime.date(2024, 5, 1),
            ended_on=datetime.date(2024, 1, 1),
        )

    assert str(error.value) == (
        "Đơn vị phải là xã, phường hoặc thị trấn. Ngày ngừng phải sau ngày bắt đầu."
    )


def test_create_pilot_refuses_a_decision_after_the_start(units):
    with pytest.raises(PlanError):
        create_pilot(
            by=None,
            unit=units["ha_nha"],
            field="hanh_chinh",
            decision_date=datetime.date(2025, 10, 1),
            started_on=datetime.date(2025, 9, 1),
        )


def test_create_task_refuses_done_below_100(plan):
    with pytest.raises(PlanError):
        create_task(
            plan,
            by=None,
            number="1",
            title="A",
            lead_office="vhtt",
            deadline=datetime.date(2024, 12, 31),
            status=KeyTask.Status.DONE,
            progress=90,
        )


def test_create_task_refuses_a_repeated_number(plan):
    task(plan, "1")

    with pytest.raises(PlanError):
        create_task(
            plan,
            by=None,
            number="1",
            title="B",
            lead_office="vhtt",
            deadline=datetime.date(2024, 12, 31),
        )


def test_update_task_logs_the_change(plan):
    found = task(plan)

    update_task(found, by=None, title="Tên mới")

    assert actions() == ["plans.task.changed"]


def test_add_task_update_carries_progress_to_the_task(plan):
    found = task(plan)
    user = UserFactory()

    update = add_task_update(
        found,
        by=user,
        date=datetime.date(2024, 3, 1),
        progress=40,
        status=KeyTask.Status.IN_PROGRESS,
        text="Đã làm",
    )

    found.refresh_from_db()
    assert (found.progress, found.status) == (40, KeyTask.Status.IN_PROGRESS)
    assert update.author == user
    assert actions() == ["plans.task.updated"]


def test_add_task_update_refuses_a_date_before_the_latest(plan):
    found = task(plan)
    fields = {"progress": 40, "status": KeyTask.Status.IN_PROGRESS, "text": "x"}
    add_task_update(found, by=None, date=datetime.date(2024, 3, 1), **fields)

    with pytest.raises(PlanError):
        add_task_update(found, by=None, date=datetime.date(2024, 2, 1), **fields)

    assert TaskUpdate.objects.count() == 1


def test_add_task_update_refuses_a_future_date(plan):
    with pytest.raises(PlanError):
        add_task_update(
            task(plan),
            by=None,
            date=datetime.date.today() + datetime.timedelta(days=2),
            progress=10,
            status=KeyTask.Status.IN_PROGRESS,
            text="x",
        )


def test_overdue_tasks_are_open_tasks_past_their_deadline(plan):
    late = task(plan, "1", deadline=datetime.date(2024, 1, 1))
    task(plan, "2", deadline=datetime.date(2024, 1, 1), status="hoan_thanh")
    task(plan, "3", deadline=datetime.date(2099, 1, 1))

    assert list(KeyTask.objects.overdue()) == [late]
    assert late.is_overdue is True


def test_create_budget_line_allows_disbursement_above_allocation(plan):
    line = create_budget_line(
        task(plan),
        by=None,
        year=2024,
        source="huyen",
        allocated=Decimal(100),
        disbursed=Decimal(120),
    )

    assert line.over_disbursed is True
    assert actions() == ["plans.budget.created"]


def test_create_budget_line_refuses_a_year_outside_the_plan(plan):
    with pytest.raises(PlanError):
        create_budget_line(
            task(plan), by=None, year=2026, source="huyen", allocated=Decimal(1)
        )


def test_create_budget_line_refuses_a_second_line_of_a_source(plan):
    found = task(plan)
    create_budget_line(found, by=None, year=2024, source="huyen", allocated=1)

    with pytest.raises(PlanError, match="đã có dòng kinh phí của nguồn này"):
        create_budget_line(found, by=None, year=2024, source="huyen", allocated=2)

    assert BudgetLine.objects.count() == 1


def test_update_budget_line_refuses_negative_amounts(plan):
    line = create_budget_line(
        task(plan), by=None, year=2024, source="huyen", allocated=Decimal(5)
    )

    with pytest.raises(PlanError):
        update_budget_line(line, by=None, allocated=Decimal(-1))


def test_plan_units_include_the_new_communes(plan):
    from ntm.plans.queries import plan_units

    codes = [(u.code, u.valid_to is None) for u in plan_units(plan)]

    assert len(codes) == 1 + 18 + 5
    assert ("20515", True) in codes
    assert unit("20515").pk in [u.pk for u in plan_units(plan)]


def test_update_budget_line_moves_it_to_another_task_and_logs_the_change(plan):
    line = create_budget_line(
        task(plan, "1"), by=None, year=2024, source="huyen", allocated=Decimal(5)
    )
    other = task(plan, "2")

    update_budget_line(
        line, by=None, task=other, year=2025, allocated=Decimal(7), disbursed=0
    )

    line.refresh_from_db()
    assert (line.task, line.year, line.allocated) == (other, 2025, 7)
    assert actions() == ["plans.budget.created", "plans.budget.changed"]


def test_update_budget_line_checks_the_year_against_the_new_tasks_plan(plan):
    line = create_budget_line(
        task(plan), by=None, year=2024, source="huyen", allocated=Decimal(5)
    )

    with pytest.raises(PlanError):
        update_budget_line(line, by=None, task=line.task, year=2031)
