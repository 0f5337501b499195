import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ntm.core.models import ActionLog
from ntm.indicators.models import (
    ComputedSnapshot,
    CriteriaSet,
    Indicator,
    IndicatorValue,
    Period,
    Requirement,
)
from ntm.indicators.services import (
    CriteriaFileError,
    WorkflowError,
    add_evidence,
    approve_value,
    freeze_period,
    load_criteria_file,
    record_reviewed_values,
    return_value,
    save_value,
    submit_value,
    update_requirement,
)
from ntm.units.models import Unit
from tests.factories import BEFORE_2025, UserFactory

from .conftest import SMART_VILLAGE_FILE, add_households, make_indicator

pytestmark = pytest.mark.django_db


def actions(obj):
    return list(
        ActionLog.objects.for_object(obj)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def indicator(db):
    return make_indicator(
        "XA.SHARE", measure=Indicator.Measure.PERCENT, level=Unit.Level.COMMUNE
    )


@pytest.fixture
def period(db):
    return Period.year(2026)


@pytest.fixture
def draft(indicator, units, period, officer):
    return save_value(
        indicator=indicator,
        unit=units["ha_nha"],
        period=period,
        value="85,5",
        by=officer,
    )


@pytest.fixture
def submitted(draft, officer):
    return submit_value(draft, by=officer)


@pytest.fixture
def approved(submitted, reviewer):
    return approve_value(submitted, by=reviewer)


# -- save_value ------------------------------------------------------------------


def test_save_value_creates_a_draft_and_logs_it(draft, officer):
    draft.refresh_from_db()

    assert draft.value == Decimal("85.5")
    assert draft.status == IndicatorValue.Status.DRAFT
    assert draft.entered_by == officer
    assert actions(draft) == ["indicators.value.created"]


def test_save_value_changes_a_draft_and_logs_the_change(draft, officer):
    save_value(
        indicator=draft.indicator,
        unit=draft.unit,
        period=draft.period,
        value=90,
        by=officer,
    )

    draft.refresh_from_db()
    assert draft.value == 90
    assert actions(draft) == ["indicators.value.created", "indicators.value.changed"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Giá trị phải là số."),
        ("101", "Tỷ lệ phải từ 0 đến 100."),
        ("-1", "Tỷ lệ phải từ 0 đến 100."),
        ("NaN", "Giá trị phải là số."),
    ],
)
def test_save_value_refuses_bad_numbers(
    indicator, units, period, officer, value, message
):
    with pytest.raises(WorkflowError, match=message):
        save_value(
            indicator=indicator,
            unit=units["ha_nha"],
            period=period,
            value=value,
            by=officer,
        )

    assert IndicatorValue.objects.count() == 0


def test_save_value_refuses_boolean_other_than_0_or_1(units, period, officer):
    yes = make_indicator(
        "XA.YES", measure=Indicator.Measure.BOOLEAN, level=Unit.Level.COMMUNE
    )

    with pytest.raises(WorkflowError, match="1 \\(có\\) hoặc 0 \\(không\\)"):
        save_value(
            indicator=yes, unit=units["ha_nha"], period=period, value=2, by=officer
        )


def test_save_value_refuses_computed_indicator(units, period, officer):
    computed = make_indicator(
        "SV.FIBRE", source=Indicator.Source.COMPUTED, level=Unit.Level.COMMUNE
    )

    with pytest.raises(WorkflowError, match="được tính từ dữ liệu"):
        save_value(
            indicator=computed, unit=units["ha_nha"], period=period, value=1, by=officer
        )


def test_save_value_refuses_unit_of_another_level(indicator, villages, period, officer):
    with pytest.raises(WorkflowError, match="không áp dụng cho cấp"):
        save_value(
            indicator=indicator,
            unit=villages["hn1"],
            period=period,
            value=1,
            by=officer,
        )


def test_save_value_refuses_unit_that_did_not_exist(indicator, units, period, officer):
    with pytest.raises(WorkflowError, match="không tồn tại trong kỳ"):
        save_value(
            indicator=indicator,
            unit=units["dai_dong"],
            period=period,
            value=1,
            by=officer,
        )


def test_save_value_refuses_approved_value_saying_who_approved(approved, officer):
    day = approved.reviewed_at.astimezone().strftime("%d/%m/%Y")

    with pytest.raises(WorkflowError) as error:
        save_value(
            indicator=approved.indicator,
            unit=approved.unit,
            period=approved.period,
            value=10,
            by=officer,
        )

    message = str(error.value)
    assert f"Trần Thị Duyệt duyệt ngày {day}" in message
    assert "bị khóa" in message
    assert "trả lại" in message
    approved.refresh_from_db()
    assert approved.value == Decimal("85.5")


def test_save_value_refuses_submitted_value(submitted, officer):
    with pytest.raises(WorkflowError, match="Nguyễn Văn Nhập đã gửi duyệt.*bị khóa"):
        save_value(
            indicator=submitted.indicator,
            unit=submitted.unit,
            period=submitted.period,
            value=10,
            by=officer,
        )

    submitted.refresh_from_db()
    assert submitted.value == Decimal("85.5")


# -- submit / approve / return ----------------------------------------------------


def test_submit_value_sends_draft_for_review(submitted, officer):
    submitted.refresh_from_db()

    assert submitted.status == IndicatorValue.Status.SUBMITTED
    assert submitted.submitted_by == officer
    assert submitted.submitted_at is not None
    assert actions(submitted)[-1] == "indicators.value.submitted"


def test_submit_value_refuses_empty_value(indicator, units, period, officer):
    entry = save_value(
        indicator=indicator, unit=units["ha_nha"], period=period, value="", by=officer
    )

    with pytest.raises(WorkflowError, match="Chưa có giá trị"):
        submit_value(entry, by=officer)


def test_submit_value_refuses_submitted_value(submitted, officer):
    with pytest.raises(WorkflowError, match="bị khóa"):
        submit_value(submitted, by=officer)


def test_approve_value_marks_it_approved_and_logs_it(approved, reviewer):
    approved.refresh_from_db()

    assert approved.status == IndicatorValue.Status.APPROVED
    assert approved.reviewed_by == reviewer
    assert approved.reviewed_at is not None
    assert actions(approved) == [
        "indicators.value.created",
        "indicators.value.submitted",
        "indicators.value.approved",
    ]


def test_approve_value_refuses_self_approval(submitted, officer):
    with pytest.raises(WorkflowError, match="không được tự duyệt"):
        approve_value(submitted, by=officer)

    submitted.refresh_from_db()
    assert submitted.status == IndicatorValue.Status.SUBMITTED


def test_approve_value_refuses_draft(draft, reviewer):
    with pytest.raises(WorkflowError, match="Chỉ duyệt được giá trị đang chờ duyệt"):
        approve_value(draft, by=reviewer)


@pytest.mark.parametrize("reason", ["", "   "])
def test_return_value_needs_a_reason(submitted, reviewer, reason):
    with pytest.raises(WorkflowError, match="Cần ghi lý do trả lại"):
        return_value(submitted, by=reviewer, reason=reason)

    submitted.refresh_from_db()
    assert submitted.status == IndicatorValue.Status.SUBMITTED


def test_return_value_refuses_draft(draft, reviewer):
    with pytest.raises(WorkflowError, match="Chỉ trả lại được"):
        return_value(draft, by=reviewer, reason="Sai số liệu")


def test_return_value_unlocks_approved_value_and_logs_reason(approved, reviewer):
    return_value(approved, by=reviewer, reason="  Thiếu minh chứng ")

    approved.refresh_from_db()
    assert approved.status == IndicatorValue.Status.RETURNED
    assert approved.review_note == "Thiếu minh chứng"
    log = ActionLog.objects.for_object(approved).get(action="indicators.value.returned")
    assert log.data == {"note": "Thiếu minh chứng"}
    assert log.actor == reviewer


def test_returned_value_can_be_changed_resubmitted_and_approved(
    submitted, officer, reviewer
):
    return_value(submitted, by=reviewer, reason="Sai số liệu")

    save_value(
        indicator=submitted.indicator,
        unit=submitted.unit,
        period=submitted.period,
        value=88,
        by=officer,
    )
    submitted.refresh_from_db()
    submit_value(submitted, by=officer)
    approve_value(submitted, by=reviewer)

    submitted.refresh_from_db()
    assert (submitted.value, submitted.status) == (88, IndicatorValue.Status.APPROVED)
    assert submitted.review_note == ""
    assert actions(submitted) == [
        "indicators.value.created",
        "indicators.value.submitted",
        "indicators.value.returned",
        "indicators.value.changed",
        "indicators.value.submitted",
        "indicators.value.approved",
    ]


# -- transitions at once ----------------------------------------------------------
# Real threads, each with its own connection, on committed rows: two clicks
# (or two reviewers) at once must make one change.

REVIEWS = ("indicators.value.approved", "indicators.value.returned")


@pytest.mark.django_db(transaction=True)
def test_fifty_approvals_at_once_approve_the_value_once(at_once, submitted, reviewer):
    def approve():
        return approve_value(IndicatorValue.objects.get(pk=submitted.pk), by=reviewer)

    outcomes = at_once([approve] * 50)

    refused = [o for o in outcomes if isinstance(o, WorkflowError)]
    assert len(refused) == 49
    assert actions(submitted).count("indicators.value.approved") == 1
    submitted.refresh_from_db()
    assert submitted.status == IndicatorValue.Status.APPROVED


@pytest.mark.django_db(transaction=True)
def test_an_approval_racing_a_return_never_overwrites_the_return(
    at_once, submitted, reviewer
):
    def approve():
        return approve_value(IndicatorValue.objects.get(pk=submitted.pk), by=reviewer)

    def send_back():
        entry = IndicatorValue.objects.get(pk=submitted.pk)
        return return_value(entry, by=reviewer, reason="Thiếu minh chứng")

    outcomes = at_once([approve, send_back] * 10)

    applied = [o for o in outcomes if not isinstance(o, Exception)]
    assert all(isinstance(o, WorkflowError) for o in outcomes if o not in applied)
    log = [action for action in actions(submitted) if action in REVIEWS]
    # Either the return came first, or it followed the one approval.
    assert log in (
        ["indicators.value.returned"],
        ["indicators.value.approved", "indicators.value.returned"],
    )
    assert len(applied) == len(log)
    submitted.refresh_from_db()
    assert submitted.status == IndicatorValue.Status.RETURNED
    assert submitted.review_note == "Thiếu minh chứng"


# -- evidence ---------------------------------------------------------------------


def test_add_evidence_attaches_a_pdf_and_logs_it(draft, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4", "application/pdf")

    evidence = add_evidence(draft, upload=upload, by=officer)

    assert evidence.name == "bien-ban.pdf"
    assert list(draft.evidence.all()) == [evidence]
    assert actions(draft)[-1] == "indicators.evidence.created"


def test_add_evidence_refuses_other_file_types(draft, officer):
    upload = SimpleUploadedFile("script.exe", b"MZ")

    with pytest.raises(WorkflowError, match="Chỉ nhận tệp PDF"):
        add_evidence(draft, upload=upload, by=officer)


def test_add_evidence_refuses_files_over_10_mb(draft, officer):
    upload = SimpleUploadedFile("lon.pdf", b"0" * (10 * 1024 * 1024 + 1))

    with pytest.raises(WorkflowError, match="Tệp quá lớn"):
        add_evidence(draft, upload=upload, by=officer)


def test_add_evidence_refuses_a_program_renamed_as_a_pdf(draft, officer):
    # The shared rule of every app: the first bytes agree with the extension.
    upload = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00")

    with pytest.raises(WorkflowError, match="không đúng với đuôi .pdf"):
        add_evidence(draft, upload=upload, by=officer)

    assert draft.evidence.count() == 0


def test_add_evidence_refuses_locked_value(submitted, officer):
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4")

    with pytest.raises(WorkflowError, match="bị khóa"):
        add_evidence(submitted, upload=upload, by=officer)

    assert submitted.evidence.count() == 0


# -- requirements and criteria files --------------------------------------------------


def test_update_requirement_changes_threshold_and_logs_it(smart_set):
    admin = UserFactory()
    requirement = Requirement.objects.get(
        criterion__criteria_set=smart_set, code="TM.2"
    )

    update_requirement(requirement, by=admin, threshold=Decimal(80), confirmed=True)

    requirement.refresh_from_db()
    assert (requirement.threshold, requirement.confirmed) == (80, True)
    log = ActionLog.objects.for_object(requirement).get()
    assert log.action == "indicators.requirement.changed"
    assert set(log.data["changes"]) == {"threshold", "confirmed"}


def test_update_requirement_refuses_unknown_fields(smart_set):
    requirement = Requirement.objects.get(
        criterion__criteria_set=smart_set, code="TM.2"
    )

    with pytest.raises(WorkflowError, match="indicator"):
        update_requirement(requirement, by=None, indicator=None)


def test_update_requirement_refuses_numeric_comparison_without_threshold(smart_set):
    requirement = Requirement.objects.get(
        criterion__criteria_set=smart_set, code="TM.2"
    )

    with pytest.raises(WorkflowError, match="cần có ngưỡng"):
        update_requirement(requirement, by=None, threshold=None)


def test_load_criteria_file_loads_the_smart_village_set(smart_set):
    requirements = Requirement.objects.filter(criterion__criteria_set=smart_set)

    assert (smart_set.code, smart_set.version, smart_set.level) == (
        "THON_THONG_MINH_DAI_LOC",
        1,
        Unit.Level.VILLAGE,
    )
    assert list(smart_set.criteria.values_list("number", flat=True)) == ["1", "2", "3"]
    assert [r.code for r in requirements] == [f"TM.{n}" for n in range(1, 9)]
    fibre = requirements.get(code="TM.5")
    assert (fibre.indicator.code, fibre.comparison, fibre.threshold) == (
        "SV.FIBRE",
        "gte",
        80,
    )
    assert [r.code for r in requirements if not r.confirmed] == ["TM.2", "TM.8"]


def test_load_criteria_file_leaves_a_loaded_set_alone(smart_set):
    again, action = load_criteria_file(SMART_VILLAGE_FILE)

    assert (again, action) == (smart_set, None)
    assert CriteriaSet.objects.count() == 1


def test_load_criteria_file_replaces_changed_file_only_with_force(tmp_path):
    data = json.loads(SMART_VILLAGE_FILE.read_text(encoding="utf-8"))
    path = tmp_path / "set.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    load_criteria_file(path)
    data["criteria"][2]["requirements"][2]["threshold"] = 85
    path.write_text(json.dumps(data), encoding="utf-8")

    kept = load_criteria_file(path)[1]
    threshold_kept = Requirement.objects.get(code="TM.5").threshold
    replaced = load_criteria_file(path, force=True)[1]

    assert (kept, threshold_kept) == (None, 80)
    assert replaced == "updated"
    assert Requirement.objects.get(code="TM.5").threshold == 85


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["criteria"][1]["requirements"][0].pop("threshold"),
            "thiếu ngưỡng",
        ),
        (
            lambda d: d["criteria"][0]["requirements"][0].update(indicator="SV.NONE"),
            "chỉ tiêu SV.NONE chưa được khai báo",
        ),
    ],
)
def test_load_criteria_file_refuses_bad_files_and_saves_nothing(
    tmp_path, change, message
):
    data = json.loads(SMART_VILLAGE_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CriteriaFileError, match=message):
        load_criteria_file(path)

    assert CriteriaSet.objects.count() == 0


def test_load_criteria_file_refuses_invalid_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")

    with pytest.raises(CriteriaFileError, match="bad.json: JSON không hợp lệ"):
        load_criteria_file(path)


# -- closing a period ---------------------------------------------------------------


def test_freeze_period_stores_village_values_and_replaces_them(villages, smart_set):
    # SV.ECOMMERCE reads today's listings (undated): frozen when asked. The
    # register's shares (SV.FIBRE) are versioned: a past year reads them
    # from the register's versions, nothing to freeze.
    from ntm.households.models import EcommercePlatform

    from ..factories import HouseholdFactory

    platform, _ = EcommercePlatform.objects.get_or_create(name="Sàn thử")

    def business(*, online):
        household = HouseholdFactory(village=villages["hn1"], is_business=True)
        if online:
            household.ecommerce_platforms.add(platform)

    business(online=True)
    business(online=False)
    add_households(villages["hn1"], 4, fibre=3)
    period = Period.year(2025)

    first = freeze_period(period, by=None)
    business(online=True)
    second = freeze_period(period, by=None)

    online = ComputedSnapshot.objects.get(
        indicator__code="SV.ECOMMERCE", unit=villages["hn1"], period=period
    )
    assert (online.numerator, online.denominator) == (2, 3)
    assert first == second
    assert ComputedSnapshot.objects.filter(indicator__code="SV.ECOMMERCE").count() == 1
    assert not ComputedSnapshot.objects.filter(indicator__code="SV.FIBRE").exists()
    assert actions(period) == ["indicators.period.frozen"] * 2


def test_freeze_period_leaves_entered_values_alone(units, approve):
    budget = make_indicator("XA.BUDGET", level=Unit.Level.COMMUNE)
    period = Period.year(2024)
    approve(budget, Unit.objects.by_code("20515", on=BEFORE_2025), period, 5)

    freeze_period(period, by=None)

    assert ComputedSnapshot.objects.count() == 0
    assert IndicatorValue.objects.approved().count() == 1


def test_a_reviewed_history_is_recorded_in_bulk_with_each_step_audited(
    indicator, units, period, officer, reviewer
):
    Status = IndicatorValue.Status
    rows = [
        (indicator, units["ha_nha"], period, Decimal("81.5"), "", Status.APPROVED),
        (indicator, units["vu_gia"], period, "40", "Sổ cũ", Status.SUBMITTED),
    ]

    approved, sent = record_reviewed_values(rows, by=officer, reviewer=reviewer)

    assert (approved.status, approved.value) == (Status.APPROVED, Decimal("81.5"))
    assert (approved.submitted_by, approved.reviewed_by) == (officer, reviewer)
    assert (sent.status, sent.value, sent.reviewed_by) == (
        Status.SUBMITTED,
        Decimal("40"),
        None,
    )
    assert actions(approved) == [
        "indicators.value.created",
        "indicators.value.submitted",
        "indicators.value.approved",
    ]
    assert actions(sent) == ["indicators.value.created", "indicators.value.submitted"]
    # Approved values are locked as if approved one by one.
    with pytest.raises(WorkflowError):
        save_value(
            indicator=indicator,
            unit=units["ha_nha"],
            period=period,
            value="90",
            by=officer,
        )


def test_a_reviewed_history_with_one_bad_row_saves_nothing(
    indicator, units, period, officer, reviewer
):
    Status = IndicatorValue.Status
    rows = [
        (indicator, units["ha_nha"], period, "81", "", Status.APPROVED),
        (indicator, units["vu_gia"], period, "140", "", Status.APPROVED),
    ]
    logged = ActionLog.objects.count()

    with pytest.raises(WorkflowError):
        record_reviewed_values(rows, by=officer, reviewer=reviewer)
    with pytest.raises(WorkflowError, match="tự duyệt"):
        record_reviewed_values(rows[:1], by=officer, reviewer=officer)
    # A history holds the stages a value reaches forwards, not "returned".
    returned = [(*rows[0][:5], Status.RETURNED)]
    with pytest.raises(WorkflowError):
        record_reviewed_values(returned, by=officer, reviewer=reviewer)

    assert IndicatorValue.objects.count() == 0
    assert ActionLog.objects.count() == logged
