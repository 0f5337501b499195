import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.plans import exports
from ntm.plans.models import (
    BudgetLine,
    KeyTask,
    PilotCommune,
    TaskUpdate,
    WorkDossierTally,
)
from tests.factories import make_member
from tests.workbooks import FORMULA, column, is_number, is_text, notes, workbook_of

from .helpers import tally, task, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def staff(units, office):
    return make_member(units["district"], Role.OFFICE_STAFF, office=office)


def test_target_detail_is_public(client, plan):
    response = client.get(reverse("plans:target-detail", args=[plan.code, "1a"]))

    assert response.status_code == 200
    assert response.context["target"].number == "1a"


def test_plan_detail_lists_the_targets(client, plan):
    response = client.get(reverse("plans:plan-detail", args=[plan.code]))

    assert len(response.context["targets"]) == 17


@pytest.mark.parametrize("count", [1, 4])
def test_tally_list_query_count_does_not_grow(
    client, plan, units, django_assert_num_queries, count
):
    user = staff(units, Office.CULTURE)
    communes = ["20512", "20515", "20518", "20503"][:count]
    for code in communes:
        tally(unit(code), 2024, 10, 5)
    client.force_login(user)

    with django_assert_num_queries(10):
        response = client.get(
            reverse("plans:tally-list", args=[plan.code]), {"nam": 2024}
        )

    assert len(response.context["records"]) == count


def test_tally_list_shows_a_commune_officer_only_their_communes(
    client, plan, units, commune_officer
):
    mine = tally(units["ha_nha"], 2025, 10, 5)
    tally(units["vu_gia"], 2025, 10, 5)
    client.force_login(commune_officer)

    response = client.get(reverse("plans:tally-list", args=[plan.code]), {"nam": 2025})

    assert response.context["records"] == [mine]


def test_tally_list_refuses_a_village_head(client, plan, village_head):
    client.force_login(village_head)

    response = client.get(reverse("plans:tally-list", args=[plan.code]))

    assert response.status_code == 403


def test_tally_create_saves_for_office_staff(client, plan, units):
    client.force_login(staff(units, Office.AGRICULTURE))

    response = client.post(
        reverse("plans:tally-create", args=[plan.code]),
        {
            "year": 2024,
            "unit": units["district"].pk,
            "office": "nnptnt",
            "total": 20,
            "online": 15,
        },
    )

    assert response.status_code == 302
    assert WorkDossierTally.objects.get().online == 15


def test_tally_create_refuses_a_commune_outside_the_officer(
    client, plan, units, commune_officer
):
    client.force_login(commune_officer)

    response = client.post(
        reverse("plans:tally-create", args=[plan.code]),
        {"year": 2025, "unit": units["vu_gia"].pk, "total": 20, "online": 15},
    )

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert WorkDossierTally.objects.count() == 0


def test_tally_edit_refuses_a_record_outside_the_scope(
    client, plan, units, commune_officer
):
    other = tally(units["vu_gia"], 2025, 10, 5)
    client.force_login(commune_officer)

    response = client.post(
        reverse("plans:tally-edit", args=[plan.code, other.pk]),
        {"year": 2025, "unit": units["vu_gia"].pk, "total": 10, "online": 1},
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.online == 5


def test_tally_import_reports_bad_rows(client, plan, units):
    client.force_login(staff(units, Office.CULTURE))
    content = exports.records_workbook(
        exports.TALLIES, [[2024, "20515", "", "", 5, 9, None, ""]]
    )

    response = client.post(
        reverse("plans:tally-import", args=[plan.code]),
        {"file": SimpleUploadedFile("a.xlsx", content)},
    )

    assert response.status_code == 422
    assert [e.row for e in response.context["report"].errors] == [2]


def test_service_export_downloads_a_workbook(client, plan, units):
    client.force_login(staff(units, Office.CULTURE))

    response = client.get(reverse("plans:service-export", args=[plan.code]))

    assert response["Content-Type"].startswith("application/vnd.openxml")


def test_task_list_filters_overdue_tasks(client, plan, units):
    late = task(plan, "1", deadline=datetime.date(2024, 1, 1))
    task(plan, "2", deadline=datetime.date(2099, 1, 1))
    client.force_login(staff(units, Office.POLICE))

    response = client.get(
        reverse("plans:task-list", args=[plan.code]), {"qua_han": "on"}
    )

    assert list(response.context["tasks"]) == [late]
    assert "Quá hạn" in response.content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_task_list_query_count_does_not_grow(
    client, plan, units, django_assert_num_queries, count
):
    for number in range(count):
        task(plan, str(number + 1))
    client.force_login(staff(units, Office.CULTURE))

    with django_assert_num_queries(6):
        response = client.get(reverse("plans:task-list", args=[plan.code]))

    assert len(response.context["tasks"]) == count


def test_task_list_refuses_anonymous_and_village_heads(client, plan, village_head):
    client.force_login(village_head)

    response = client.get(reverse("plans:task-list", args=[plan.code]))

    assert response.status_code == 403


def test_task_create_for_the_culture_office(client, plan, units):
    client.force_login(staff(units, Office.CULTURE))

    response = client.post(
        reverse("plans:task-create", args=[plan.code]),
        {
            "number": "7",
            "title": "Tập huấn",
            "lead_office": "nnptnt",
            "cooperating_offices": ["vhtt"],
            "deadline": "2025-12-31",
            "status": "chua_lam",
            "progress": 0,
        },
    )

    found = KeyTask.objects.get()
    assert response.status_code == 302
    assert found.cooperating_offices == ["vhtt"]


def test_task_create_refuses_other_offices(client, plan, units):
    client.force_login(staff(units, Office.ECONOMY))

    response = client.post(
        reverse("plans:task-create", args=[plan.code]),
        {"number": "7", "title": "x", "lead_office": "ktht", "deadline": "2025-12-31"},
    )

    assert response.status_code == 403
    assert KeyTask.objects.count() == 0


def test_task_edit_refuses_the_lead_office(client, plan, units):
    found = task(plan, lead_office="ktht")
    client.force_login(staff(units, Office.ECONOMY))

    response = client.post(reverse("plans:task-edit", args=[found.pk]), {})

    assert response.status_code == 403


def test_taskupdate_create_by_the_lead_office_with_evidence(client, plan, units):
    found = task(plan, lead_office="ktht")
    client.force_login(staff(units, Office.ECONOMY))
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", "application/pdf")

    response = client.post(
        reverse("plans:taskupdate-create", args=[found.pk]),
        {
            "date": "2024-05-01",
            "status": "dang_lam",
            "progress": 30,
            "text": "Đã làm",
            "evidence": pdf,
        },
    )

    update = TaskUpdate.objects.get()
    assert response.status_code == 302
    assert update.evidence_name.startswith("bao-cao")
    download = client.get(reverse("plans:taskupdate-evidence", args=[update.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"


def test_taskupdate_create_refuses_a_file_that_is_not_what_it_says(client, plan, units):
    found = task(plan, lead_office="ktht")
    client.force_login(staff(units, Office.ECONOMY))

    response = client.post(
        reverse("plans:taskupdate-create", args=[found.pk]),
        {
            "date": "2024-05-01",
            "status": "dang_lam",
            "progress": 30,
            "text": "x",
            "evidence": SimpleUploadedFile("a.pdf", b"MZ not a pdf"),
        },
    )

    assert "evidence" in response.context["form"].errors
    assert TaskUpdate.objects.count() == 0


def test_taskupdate_create_refuses_another_office(client, plan, units):
    found = task(plan, lead_office="ktht")
    client.force_login(staff(units, Office.POLICE))

    response = client.post(
        reverse("plans:taskupdate-create", args=[found.pk]),
        {"date": "2024-05-01", "status": "dang_lam", "progress": 30, "text": "x"},
    )

    assert response.status_code == 403
    assert TaskUpdate.objects.count() == 0


def test_task_detail_shows_budget_and_history(client, plan, units):
    found = task(plan)
    BudgetLine.objects.create(
        task=found, year=2024, source="huyen", allocated=1_000_000, disbursed=1_200_000
    )
    client.force_login(staff(units, Office.FINANCE))

    response = client.get(reverse("plans:task-detail", args=[found.pk]))

    assert response.context["budget_total"]["allocated"] == 1_000_000
    assert "1.200.000" in response.content.decode()


def test_budget_list_totals_by_source_and_year(client, plan, units):
    found = task(plan)
    BudgetLine.objects.create(task=found, year=2024, source="huyen", allocated=100)
    BudgetLine.objects.create(task=found, year=2025, source="huyen", allocated=50)
    client.force_login(staff(units, Office.FINANCE))

    response = client.get(reverse("plans:budget-list", args=[plan.code]))

    table = response.context["table"]
    assert table["total"] == (150, 0)
    assert table["totals"] == [(0, 0), (100, 0), (50, 0)]
    assert response.context["can_edit"] is True


def test_budget_create_warns_when_disbursement_exceeds(client, plan, units):
    found = task(plan)
    client.force_login(staff(units, Office.FINANCE))

    response = client.post(
        reverse("plans:budget-create", args=[plan.code]),
        {
            "task": found.pk,
            "year": 2024,
            "source": "tinh",
            "allocated": 100,
            "disbursed": 150,
        },
        follow=True,
    )

    assert BudgetLine.objects.get().disbursed == 150
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["success", "warning"]


def test_budget_edit_lets_the_finance_office_correct_a_line(client, plan, units):
    line = BudgetLine.objects.create(
        task=task(plan), year=2024, source="huyen", allocated=100
    )
    client.force_login(staff(units, Office.FINANCE))

    response = client.post(
        reverse("plans:budget-edit", args=[line.pk]),
        {
            "task": line.task_id,
            "year": 2025,
            "source": "tinh",
            "allocated": 120,
            "disbursed": 30,
            "note": "Điều chỉnh",
        },
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.year, line.source, line.allocated, line.disbursed) == (
        2025,
        "tinh",
        120,
        30,
    )


def test_budget_create_refuses_the_culture_office(client, plan, units):
    found = task(plan)
    client.force_login(staff(units, Office.CULTURE))

    response = client.post(
        reverse("plans:budget-create", args=[plan.code]),
        {"task": found.pk, "year": 2024, "source": "tinh", "allocated": 100},
    )

    assert response.status_code == 403
    assert BudgetLine.objects.count() == 0


def test_budget_list_refuses_commune_officers(client, plan, commune_officer):
    client.force_login(commune_officer)

    response = client.get(reverse("plans:budget-list", args=[plan.code]))

    assert response.status_code == 403


def test_budget_export_holds_the_lines_and_the_table_as_money(client, plan, units):
    found = task(plan, title=FORMULA)
    BudgetLine.objects.create(
        task=found, year=2024, source="huyen", allocated=1_250_000, disbursed=500_000
    )
    client.force_login(staff(units, Office.FINANCE))

    book = workbook_of(client.get(reverse("plans:budget-export", args=[plan.code])))

    lines = book["Kinh phí"]
    allocated = column(lines, "Kinh phí bố trí (*)")[0]
    assert (is_number(allocated), allocated.value) == (True, 1_250_000)
    assert allocated.number_format == "#,##0"
    assert is_text(column(lines, "Tên nhiệm vụ")[0], FORMULA)
    table = book["Tổng hợp theo nguồn"]
    sources = [c.value for c in column(table, "Nguồn vốn")]
    total = column(table, "Cộng bố trí")[sources.index("Tổng cộng")]
    assert (is_number(total), total.value) == (True, 1_250_000)
    assert notes(book)["don vi tinh"] == "đồng"


def test_budget_export_is_refused_to_commune_officers(client, plan, commune_officer):
    client.force_login(commune_officer)

    response = client.get(reverse("plans:budget-export", args=[plan.code]))

    assert response.status_code == 403


def test_budget_export_reimports_unchanged(client, plan, units):
    found = task(plan)
    BudgetLine.objects.create(task=found, year=2024, source="huyen", allocated=100)
    client.force_login(staff(units, Office.FINANCE))
    exported = client.get(reverse("plans:budget-export", args=[plan.code])).content

    response = client.post(
        reverse("plans:budget-import", args=[plan.code]),
        {"file": SimpleUploadedFile("kinh-phi.xlsx", exported)},
        follow=True,
    )

    assert "0 mới, 0 cập nhật, 1 không đổi" in response.content.decode()


def _tally(plan):
    return tally(unit("20515"), 2024, 12, 5)


def _task(plan):
    return task(plan, title=FORMULA, status=KeyTask.Status.IN_PROGRESS, progress=40)


def _pilot(plan):
    return PilotCommune.objects.create(
        unit=unit("20515"),
        field="kinh_te",
        started_on=datetime.date(2024, 3, 1),
        status=PilotCommune.Status.RUNNING,
        note=FORMULA,
    )


@pytest.mark.parametrize(
    ("kind", "make", "number", "text"),
    [
        ("tally", _tally, "Tổng số hồ sơ (*)", None),
        ("task", _task, "Tiến độ (*)", "Nhiệm vụ (*)"),
        ("pilot", _pilot, None, "Ghi chú"),
    ],
)
def test_record_exports_reimport_unchanged_with_typed_cells(
    client, plan, units, kind, make, number, text
):
    make(plan)
    client.force_login(staff(units, Office.CULTURE))
    response = client.get(reverse(f"plans:{kind}-export", args=[plan.code]))
    sheet = workbook_of(response).worksheets[0]

    imported = client.post(
        reverse(f"plans:{kind}-import", args=[plan.code]),
        {"file": SimpleUploadedFile("x.xlsx", response.content)},
        follow=True,
    )

    if number:
        assert is_number(column(sheet, number)[0])
    if text:
        assert is_text(column(sheet, text)[0], FORMULA)
    assert imported.context.get("report") is None, imported.context["report"].errors
    assert "0 mới, 0 cập nhật, 1 không đổi" in imported.content.decode()


def test_record_templates_offer_the_choices_in_drop_downs(client, plan, units):
    client.force_login(staff(units, Office.CULTURE))

    response = client.get(reverse("plans:pilot-export", args=[plan.code]), {"mau": 1})

    sheet = workbook_of(response)["Xã thí điểm"]
    formulas = {
        str(v.sqref)[0]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    assert formulas["C"].startswith('"Kinh tế,Du lịch nông thôn,')
    assert formulas["G"] == '"Đang chuẩn bị,Đang triển khai,Đã tổng kết,Đã hủy"'
