import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.plans import exports
from ntm.plans.imports import (
    PlanImportError,
    import_budget,
    import_services,
    import_tallies,
    import_tasks,
)
from ntm.plans.models import BudgetLine, EssentialService, KeyTask, WorkDossierTally
from tests.factories import make_member

from .helpers import task, unit

pytestmark = pytest.mark.django_db


def workbook(sheet, rows):
    book = Workbook()
    data = book.active
    data.title = str(sheet.name)
    data.append([column.title for column in sheet.columns])
    for row in rows:
        data.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("nhap.xlsx", buffer.getvalue())


@pytest.fixture
def district_admin(units):
    return make_member(units["district"], Role.DISTRICT_ADMIN)


def test_import_tallies_creates_rows_and_names_units_by_year(plan, district_admin):
    file = workbook(
        exports.TALLIES,
        [
            [2024, "506", "", "Phòng Văn hóa và Thông tin", 100, 80, 3, ""],
            [2024, "20515", "Xã Đại Đồng", "", 50, 20, None, "ghi chú"],
        ],
    )

    result = import_tallies(file, plan=plan, by=district_admin)

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert list(
        WorkDossierTally.objects.values_list("unit__name", "office", "online")
    ) == [("Huyện Đại Lộc", "vhtt", 80), ("Xã Đại Đồng", "", 20)]
    assert ActionLog.objects.filter(action="plans.tally.imported").count() == 2


def test_import_tallies_tells_apart_old_and_new_communes_of_2025(plan, units):
    officer = make_member(units["city"], Role.DISTRICT_ADMIN)
    file = workbook(
        exports.TALLIES,
        [
            [2025, "20515", "Xã Đại Đồng", "", 40, 30, None, ""],
            [2025, "20515", "Xã Hà Nha", "", 100, 70, None, ""],
        ],
    )

    import_tallies(file, plan=plan, by=officer)

    assert sorted(WorkDossierTally.objects.values_list("unit_id", "total")) == sorted(
        [(units["dai_dong"].pk, 40), (units["ha_nha"].pk, 100)]
    )


def test_import_tallies_names_every_bad_row_and_saves_nothing(plan, district_admin):
    file = workbook(
        exports.TALLIES,
        [
            [2024, "20515", "", "", 50, 20, None, ""],
            [2024, "99999", "", "", 10, 1, None, ""],
            [2024, "20512", "", "", 10, 11, None, ""],
            [2024, "506", "", "", 10, 1, None, ""],
            [2024, "20515", "", "", 50, 20, None, ""],
            ["năm", "20518", "", "", 1, 1, None, ""],
        ],
    )

    with pytest.raises(PlanImportError) as error:
        import_tallies(file, plan=plan, by=district_admin)

    assert [(e.row, e.message) for e in error.value.errors] == [
        (3, "Không có đơn vị mã 99999 của kế hoạch trong năm 2024."),
        (4, "Số hồ sơ xử lý trực tuyến lớn hơn tổng số hồ sơ."),
        (5, "Số liệu cấp huyện phải ghi rõ phòng."),
        (6, "Trùng với dòng 2."),
        (7, "Năm phải là số nguyên từ 2015 đến 2100."),
    ]
    assert WorkDossierTally.objects.count() == 0


def test_import_tallies_refuses_units_outside_the_officer_scope(plan, units):
    officer = make_member(unit("20512"), Role.COMMUNE_OFFICER)
    file = workbook(exports.TALLIES, [[2024, "20515", "", "", 5, 1, None, ""]])

    with pytest.raises(PlanImportError) as error:
        import_tallies(file, plan=plan, by=officer)

    assert error.value.errors[0].message == (
        "Xã Đại Đồng không thuộc phạm vi bạn quản lý."
    )


def test_import_services_reads_labels_and_dates(plan, district_admin):
    file = workbook(
        exports.SERVICES,
        [["20515", "", "Y tế", "Đặt lịch khám", "zalo", "05/03/2024", None]],
    )

    import_services(file, plan=plan, by=district_admin)

    found = EssentialService.objects.get()
    assert (found.field, found.started_on) == ("y_te", datetime.date(2024, 3, 5))


def test_task_export_imports_back_unchanged(plan, district_admin):
    task(plan, "1", cooperating_offices=["nnptnt", "conganh"], progress=0)
    task(plan, "2", lead_office="tckh", status="dang_lam", progress=40, note="x")
    rows = [exports.task_row(t) for t in plan.tasks.all()]
    file = SimpleUploadedFile("nv.xlsx", exports.records_workbook(exports.TASKS, rows))

    result = import_tasks(file, plan=plan, by=district_admin)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_import_tasks_updates_by_number_and_logs_changes(plan, district_admin):
    task(plan, "1")
    file = workbook(
        exports.TASKS,
        [
            ["1", "Tên mới", "vhtt", "", "", "31/12/2024", "Đang thực hiện", 50, ""],
            ["2", "Mới", "Công an huyện", "", "", "31/12/2025", "chua_lam", 0, ""],
        ],
    )

    result = import_tasks(file, plan=plan, by=district_admin)

    assert (result.created, result.updated) == (1, 1)
    assert KeyTask.objects.get(number="1").progress == 50
    entry = ActionLog.objects.get(action="plans.task.imported", data__has_key="changes")
    assert entry.data["changes"]["title"]["new"] == "Tên mới"


def test_import_tasks_refuses_done_below_100(plan, district_admin):
    file = workbook(
        exports.TASKS,
        [["1", "A", "vhtt", "", "", "31/12/2024", "Hoàn thành", 60, ""]],
    )

    with pytest.raises(PlanImportError) as error:
        import_tasks(file, plan=plan, by=district_admin)

    assert error.value.errors[0].message == "Nhiệm vụ hoàn thành phải có tiến độ 100%."


def test_budget_export_imports_back_and_names_unknown_tasks(plan, district_admin):
    found = task(plan, "1")
    BudgetLine.objects.create(
        task=found, year=2024, source="huyen", allocated=1_500_000, disbursed=0
    )
    rows = [exports.budget_row(b) for b in BudgetLine.objects.select_related("task")]
    rows.append(["9", "", 2024, "Ngân sách tỉnh", "1.000.000", None, ""])
    file = SimpleUploadedFile("kp.xlsx", exports.records_workbook(exports.BUDGET, rows))

    with pytest.raises(PlanImportError) as error:
        import_budget(file, plan=plan, by=district_admin)

    assert [(e.row, e.message) for e in error.value.errors] == [
        (3, "Kế hoạch không có nhiệm vụ số 9.")
    ]


def test_import_budget_reads_vietnamese_amounts(plan, district_admin):
    task(plan, "1")
    file = workbook(
        exports.BUDGET, [["1", "", 2024, "Ngân sách tỉnh", "1.250.000", 500000, ""]]
    )

    import_budget(file, plan=plan, by=district_admin)

    line = BudgetLine.objects.get()
    assert (line.allocated, line.disbursed, line.source) == (1250000, 500000, "tinh")


def test_import_refuses_a_file_without_the_required_columns(plan, district_admin):
    book = Workbook()
    book.active.append(["Khác"])
    book.active.append(["x"])
    buffer = BytesIO()
    book.save(buffer)

    with pytest.raises(PlanImportError) as error:
        import_tallies(
            SimpleUploadedFile("a.xlsx", buffer.getvalue()),
            plan=plan,
            by=district_admin,
        )

    assert str(error.value).startswith("Thiếu cột bắt buộc")
