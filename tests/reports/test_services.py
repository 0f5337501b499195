import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import call_command

from ntm.accounts.models import Office, Role
from ntm.core.models import ActionLog
from ntm.core.notify import HttpNotifier, Message, Recipient, deliver
from ntm.reports.models import Assignment, Reminder, SectionSpec, Submission
from ntm.reports.services import (
    ReportError,
    accept_submission,
    assign_year,
    change_due_date,
    create_form,
    return_submission,
    save_narratives,
    send_reminders,
    submit_submission,
)
from ntm.units.models import Unit

from ..factories import make_member
from .conftest import at, make_form, send

pytestmark = pytest.mark.django_db


def commune_names(form):
    return sorted(
        form.assignments.filter(office="").values_list("unit__name", flat=True)
    )


def test_create_form_due_date_defaults_to_1_october(units):
    form = make_form(units, 2025)
    assert form.due_date == datetime.date(2025, 10, 1)
    assert form.version == 1
    assert make_form(units, 2025).version == 2


def test_assign_year_2024_assigns_the_18_communes_and_every_office(units):
    form = make_form(units, 2024)
    created = assign_year(form, by=None)
    assert len(created) == 18 + len(Office.values)
    assert form.assignments.filter(office="").count() == 18
    assert "Xã Đại Đồng" in commune_names(form)
    assert sorted(
        form.assignments.exclude(office="").values_list("office", flat=True)
    ) == sorted(Office.values)


def test_assign_year_2025_assigns_only_the_five_new_communes(units):
    form = make_form(units, 2025)
    assign_year(form, by=None)
    assert commune_names(form) == [
        "Xã Hà Nha",
        "Xã Phú Thuận",
        "Xã Thượng Đức",
        "Xã Vu Gia",
        "Xã Đại Lộc",
    ]
    assert form.assignments.count() == 5 + len(Office.values)
    assert form.assignments.filter(due_date=datetime.date(2025, 10, 1)).count() == 10


def test_assign_year_with_due_date_before_the_reorganisation_assigns_old_communes(
    units,
):
    form = make_form(units, 2025, due_date=datetime.date(2025, 6, 15))
    assign_year(form, by=None)
    assert form.assignments.filter(office="").count() == 18
    assert "Xã Hà Nha" not in commune_names(form)


def test_assign_year_twice_creates_nothing_new(form_2025):
    assert assign_year(form_2025, by=None) == []
    assert form_2025.assignments.count() == 10
    assert Submission.objects.count() == 10


def test_submit_submission_on_the_due_date_is_on_time(form_2025):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    send(submission, by=None, at=at(datetime.date(2025, 10, 1), 23))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.is_late is False


def test_submit_submission_after_the_due_date_is_late(form_2025):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    send(submission, by=None, at=at(datetime.date(2025, 10, 2)))
    assert submission.is_late is True


def test_change_due_date_moves_the_late_mark(form_2025):
    assignment = Assignment.objects.get(unit__name="Xã Hà Nha")
    change_due_date(assignment, due_date=datetime.date(2025, 10, 15), by=None)
    submission = assignment.submission
    send(submission, by=None, at=at(datetime.date(2025, 10, 10)))
    assert submission.is_late is False
    assert (
        ActionLog.objects.filter(action="reports.assignment.due_date_changed").count()
        == 1
    )


def test_save_narratives_keeps_only_narrative_sections(form_2025):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    save_narratives(
        submission, narratives={"3": " Đã làm. ", "1": "bảng", "9": "x"}, by=None
    )
    submission.refresh_from_db()
    assert submission.narratives == {"3": "Đã làm."}


def test_accepted_submission_is_locked(form_2025):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    save_narratives(submission, narratives={"3": "Đã làm."}, by=None)
    submit_submission(submission, by=None)
    accept_submission(submission, by=None)
    with pytest.raises(ReportError):
        save_narratives(submission, narratives={"3": "Sửa."}, by=None)
    with pytest.raises(ReportError):
        submit_submission(submission, by=None)
    with pytest.raises(ReportError):
        return_submission(submission, reason="Sai", by=None)
    submission.refresh_from_db()
    assert submission.narratives == {"3": "Đã làm."}
    assert submission.status == Submission.Status.ACCEPTED


def test_return_submission_needs_a_reason_and_allows_resubmission(form_2025):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    send(submission, by=None)
    with pytest.raises(ReportError):
        return_submission(submission, reason="  ", by=None)
    return_submission(submission, reason="Thiếu số liệu", by=None)
    assert submission.status == Submission.Status.RETURNED
    save_narratives(submission, narratives={"3": "Bổ sung."}, by=None)
    submit_submission(submission, by=None)
    assert submission.status == Submission.Status.SUBMITTED


def test_submit_submission_refuses_an_empty_report(form_2025):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    save_narratives(submission, narratives={"3": "  ", "4": ""}, by=None)

    with pytest.raises(ReportError) as error:
        submit_submission(submission, by=None)

    assert str(error.value) == (
        "Báo cáo chưa có nội dung: cần viết ít nhất một mục (Kết quả thực hiện; "
        "Kiến nghị) trước khi nộp."
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT


def test_submit_submission_of_a_form_without_narratives_needs_no_text(units):
    form = create_form(
        year=2025,
        title="Bảng số liệu",
        unit=units["district"],
        sections=[(SectionSpec.Kind.UNIT_FIGURES, "Số liệu", "")],
        by=None,
    )
    assign_year(form, by=None)
    submission = Submission.objects.filter(assignment__form=form).first()

    submit_submission(submission, by=None)

    assert submission.status == Submission.Status.SUBMITTED


def test_return_submission_limits_the_reason(form_2025):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    send(submission)

    with pytest.raises(ReportError):
        return_submission(submission, reason="x" * 2001, by=None)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_accept_submission_of_a_draft_is_refused(form_2025):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    with pytest.raises(ReportError):
        accept_submission(submission, by=None)


@pytest.mark.django_db(transaction=True)
def test_accepting_and_returning_a_report_at_once_make_one_change(
    at_once, form_2025, focal
):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    send(submission)

    def accept():
        return accept_submission(Submission.objects.get(pk=submission.pk), by=focal)

    def send_back():
        found = Submission.objects.get(pk=submission.pk)
        return return_submission(found, reason="Thiếu số liệu", by=focal)

    outcomes = at_once([accept, send_back] * 5)

    assert sum(isinstance(outcome, ReportError) for outcome in outcomes) == 9
    log = list(
        ActionLog.objects.for_object(submission)
        .exclude(
            action__in=["reports.submission.saved", "reports.submission.submitted"]
        )
        .values_list("action", flat=True)
    )
    submission.refresh_from_db()
    # Accepted (locked), or returned (to be submitted again): never both.
    assert (log, submission.status) in (
        (["reports.submission.accepted"], Submission.Status.ACCEPTED),
        (["reports.submission.returned"], Submission.Status.RETURNED),
    )


def test_transitions_are_audited(form_2025, focal):
    submission = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    save_narratives(submission, narratives={"3": "Đã làm."}, by=None)
    submit_submission(submission, by=None)
    return_submission(submission, reason="Thiếu", by=focal)
    submit_submission(submission, by=None)
    accept_submission(submission, by=focal)
    actions = list(
        ActionLog.objects.for_object(submission)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "reports.submission.saved",
        "reports.submission.submitted",
        "reports.submission.returned",
        "reports.submission.submitted",
        "reports.submission.accepted",
    ]


def test_completeness_counts_only_units_valid_on_the_due_date(form_2025, units):
    # An assignment left over for a commune that ended on 30/06/2025.
    closed = Assignment.objects.create(
        form=form_2025,
        unit=units["dai_dong"],
        due_date=form_2025.due_date,
    )
    Submission.objects.create(assignment=closed)
    hanha = Submission.objects.get(assignment__unit__name="Xã Hà Nha")
    send(hanha, by=None, at=at(datetime.date(2025, 9, 20)))
    vugia = Submission.objects.get(assignment__unit__name="Xã Vu Gia")
    send(vugia, by=None, at=at(datetime.date(2025, 10, 5)))
    summary = form_2025.assignments.counted().completeness()
    assert summary == {
        "total": 10,
        "submitted": 2,
        "accepted": 0,
        "late": 1,
        "on_time": 1,
        "missing": 8,
        "on_time_percent": 10.0,
    }


def test_completeness_2024_counts_the_18_old_communes(units):
    form = make_form(units, 2024)
    assign_year(form, by=None)
    assert form.assignments.counted().completeness()["total"] == 23


def test_send_reminders_due_soon_then_overdue_once_each(form_2025, units):
    make_member(
        units["ha_nha"], Role.COMMUNE_OFFICER, username="hn", email="hn@example.vn"
    )
    make_member(
        units["district"],
        Role.OFFICE_STAFF,
        Office.FINANCE,
        username="tckh",
        email="tckh@example.vn",
    )
    assert send_reminders(datetime.date(2025, 9, 1)) == []
    sent = send_reminders(datetime.date(2025, 9, 24))
    assert len(sent) == 10
    assert sorted(m.to[0] for m in mail.outbox) == ["hn@example.vn", "tckh@example.vn"]
    assert send_reminders(datetime.date(2025, 9, 25)) == []
    submission = Submission.objects.get(assignment__unit__name="Xã Vu Gia")
    send(submission, by=None, at=at(datetime.date(2025, 9, 30)))
    overdue = send_reminders(datetime.date(2025, 10, 2))
    assert len(overdue) == 9
    assert send_reminders(datetime.date(2025, 10, 9)) == []
    assert Reminder.objects.filter(kind=Reminder.Kind.OVERDUE).count() == 9
    assert "Quá hạn" in mail.outbox[-1].subject


def test_send_report_reminders_command_sends(form_2025):
    call_command("send_report_reminders", "--ngay", "2025-09-30")
    assert Reminder.objects.count() == 10


class _Handler(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            (self.headers.get("Authorization"), json.loads(self.rfile.read(length)))
        )
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_gateway():
    _Handler.received = []
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send", _Handler.received
    server.shutdown()
    server.server_close()


def test_http_notifier_posts_json_to_the_gateway(fake_gateway):
    url, received = fake_gateway
    notifier = HttpNotifier(name="zalo", url=url, token="bi-mat")
    message = Message(
        subject="Nhắc",
        body="Nộp báo cáo",
        recipients=[Recipient("A", phone="0905000001"), Recipient("B")],
    )
    assert notifier.send(message) == 1
    assert received == [
        (
            "Bearer bi-mat",
            {
                "channel": "zalo",
                "to": ["0905000001"],
                "subject": "Nhắc",
                "text": "Nộp báo cáo",
            },
        )
    ]


def test_deliver_goes_on_when_a_gateway_is_down(fake_gateway):
    url, received = fake_gateway
    down = HttpNotifier(name="sms", url="http://127.0.0.1:9/none", timeout=2)
    up = HttpNotifier(name="zalo", url=url)
    message = Message("Nhắc", "Nộp", [Recipient("A", phone="0905000001")])
    assert deliver(message, [down, up]) == 1
    assert len(received) == 1


def test_send_reminders_through_sms_settings(form_2025, units, fake_gateway, settings):
    url, received = fake_gateway
    settings.REPORT_NOTIFIERS = [{"kind": "http", "name": "sms", "url": url}]
    make_member(
        units["ha_nha"], Role.COMMUNE_OFFICER, username="hn", phone="0905111222"
    )
    send_reminders(datetime.date(2025, 9, 24))
    assert [body["to"] for _auth, body in received] == [["0905111222"]]
    assert Reminder.objects.get(assignment__unit=units["ha_nha"]).recipients == 1


def test_assignments_are_not_made_for_villages(form_2025):
    assert not form_2025.assignments.filter(unit__level=Unit.Level.VILLAGE).exists()
