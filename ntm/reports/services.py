"""Every write of the yearly reports, audited.

draft → submitted → accepted (locked), or submitted → returned → submitted.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.accounts.models import Membership, Office, Role
from ntm.core import notify
from ntm.core.audit import diff, log_action, snapshot
from ntm.core.numbers import format_number
from ntm.core.states import lock
from ntm.indicators.evaluation import Context
from ntm.indicators.models import Period
from ntm.units.models import Unit

from .models import (
    Assignment,
    Reminder,
    ReportForm,
    SectionSpec,
    Submission,
    default_due_date,
)

REMIND_DAYS_BEFORE = 7
# A section of a yearly report runs to a few pages; a reason to a paragraph.
NARRATIVE_MAX_LENGTH = 20_000
REASON_MAX_LENGTH = 2_000


class ReportError(Exception):
    """The request is valid input, but the submission's state forbids it."""


@transaction.atomic
def create_form(
    *, year, title, unit, sections, by, plan=None, due_date=None, is_demo=False
):
    """A new version of the year's form; ``sections`` are (kind, title, prompt)."""
    last = ReportForm.objects.filter(year=year).order_by("-version").first()
    form = ReportForm.objects.create(
        year=year,
        version=last.version + 1 if last else 1,
        title=title,
        unit=unit,
        plan=plan,
        due_date=due_date or default_due_date(year),
        is_demo=is_demo,
    )
    for order, (kind, section_title, prompt) in enumerate(sections, start=1):
        SectionSpec.objects.create(
            form=form, order=order, kind=kind, title=section_title, prompt=prompt
        )
    log_action(form, "reports.form.created", by=by, data={"year": year})
    return form


DEFAULT_SECTIONS = [
    (
        SectionSpec.Kind.PLAN_TARGETS,
        "Kết quả các chỉ tiêu của Kế hoạch trong năm",
        "",
    ),
    (SectionSpec.Kind.UNIT_FIGURES, "Số liệu của đơn vị", ""),
    (
        SectionSpec.Kind.NARRATIVE,
        "Kết quả thực hiện nhiệm vụ",
        "Nêu các việc đã làm trong năm theo nhiệm vụ được giao.",
    ),
    (
        SectionSpec.Kind.NARRATIVE,
        "Khó khăn, vướng mắc và kiến nghị",
        "Nêu khó khăn và đề xuất với huyện, tỉnh.",
    ),
]


@transaction.atomic
def open_year(*, year, unit, due_date, by, plan=None):
    """Start a year's reporting: the form (plan section VII.9) and its assignments.

    Refused when the year already has a form; its sections are the standard
    ones (plan targets, the unit's figures, two narratives).
    """
    if ReportForm.objects.filter(year=year).exists():
        raise ReportError(_("Năm %(year)s đã có mẫu báo cáo.") % {"year": year})
    if due_date.year != year:
        raise ReportError(_("Hạn nộp phải nằm trong năm báo cáo."))
    form = create_form(
        year=year,
        title=_(
            "Báo cáo tình hình thực hiện Kế hoạch chuyển đổi số trong xây dựng "
            "nông thôn mới năm %(year)s"
        )
        % {"year": year},
        unit=unit,
        plan=plan,
        due_date=due_date,
        sections=DEFAULT_SECTIONS,
        by=by,
    )
    assign_year(form, by=by)
    return form


def units_to_report(form):
    """The communes on the form's district's territory on the due date.

    The engine's unit locator follows the 2025 reorganisation: a commune that
    ended before the due date is gone, one formed before it is in.
    """
    context = Context(Period.year(form.year))
    context.day = form.due_date
    return context.units_within(form.unit, Unit.Level.COMMUNE)


@transaction.atomic
def assign_year(form, *, by):
    """Assign the form to every district office and every commune valid on
    the due date; returns the new assignments (existing ones are kept)."""
    existing = set(form.assignments.values_list("unit_id", "office"))
    wanted = [(form.unit, office) for office in Office.values]
    wanted += [(commune, "") for commune in units_to_report(form)]
    created = []
    for unit, office in wanted:
        if (unit.pk, office) in existing:
            continue
        assignment = Assignment.objects.create(
            form=form, unit=unit, office=office, due_date=form.due_date
        )
        Submission.objects.create(assignment=assignment)
        created.append(assignment)
    log_action(form, "reports.form.assigned", by=by, data={"assigned": len(created)})
    return created


@transaction.atomic
def change_due_date(assignment, *, due_date, by):
    before = snapshot(assignment, ["due_date"])
    assignment.due_date = due_date
    assignment.save(update_fields=["due_date", "updated_at"])
    log_action(
        assignment,
        "reports.assignment.due_date_changed",
        by=by,
        data=diff(assignment, before, snapshot(assignment, ["due_date"])),
    )
    return assignment


@transaction.atomic
def save_narratives(submission, *, narratives, by):
    """Keep the unit's text for the narrative sections; only while editable."""
    lock(submission)
    if not submission.is_editable:
        raise ReportError(_refusal(submission))
    sections = {
        s.key: s for s in submission.assignment.form.sections.all() if s.is_narrative
    }
    before = snapshot(submission, ["narratives"])
    texts = {
        key: str(text).strip() for key, text in narratives.items() if key in sections
    }
    for key, text in texts.items():
        if len(text) > NARRATIVE_MAX_LENGTH:
            raise ReportError(
                _("Mục “%(title)s” dài %(length)s ký tự, quá %(max)s ký tự.")
                % {
                    "title": sections[key].title,
                    "length": format_number(len(text)),
                    "max": format_number(NARRATIVE_MAX_LENGTH),
                }
            )
    submission.narratives = texts
    submission.save(update_fields=["narratives", "updated_at"])
    log_action(
        submission,
        "reports.submission.saved",
        by=by,
        data=diff(submission, before, snapshot(submission, ["narratives"])),
    )
    return submission


@transaction.atomic
def submit_submission(submission, *, by, at=None):
    """Send the report up. Late when sent after the due date.

    Refuses a report whose every narrative section is blank.
    """
    status = _begin(submission, "submit")
    _require_content(submission)
    at = at or timezone.now()
    submission.status = status
    submission.submitted_at = at
    submission.submitted_by = by if by is not None and by.is_authenticated else None
    submission.is_late = timezone.localdate(at) > submission.assignment.due_date
    submission.save()
    log_action(
        submission,
        "reports.submission.submitted",
        by=by,
        data={"status": submission.status, "is_late": submission.is_late},
    )
    return submission


@transaction.atomic
def return_submission(submission, *, reason, by):
    """Send a submitted report back to its unit, saying why."""
    status = _begin(submission, "send_back")
    if not reason.strip():
        raise ReportError(_("Cần ghi lý do trả lại."))
    if len(reason.strip()) > REASON_MAX_LENGTH:
        raise ReportError(
            _("Lý do trả lại dài quá %s ký tự.") % format_number(REASON_MAX_LENGTH)
        )
    submission.status = status
    submission.return_reason = reason.strip()
    submission.save()
    log_action(
        submission,
        "reports.submission.returned",
        by=by,
        data={"status": submission.status, "reason": submission.return_reason},
    )
    return submission


@transaction.atomic
def accept_submission(submission, *, by, at=None):
    """Accept the report; from now on it is locked."""
    submission.status = _begin(submission, "accept")
    submission.accepted_at = at or timezone.now()
    submission.accepted_by = by if by is not None and by.is_authenticated else None
    submission.return_reason = ""
    submission.save()
    log_action(
        submission, "reports.submission.accepted", by=by, data={"status": "accepted"}
    )
    return submission


def send_reminders(day, *, by=None, notifiers=None):
    """Remind the units not yet reported: 7 days before the due date, and
    once overdue. Each kind goes once per assignment; returns the reminders."""
    pending = Assignment.objects.filter(
        submission__status__in=Submission.Status.group("editable")
    ).select_related("unit", "form")
    sent = []
    for assignment in pending:
        kind = _reminder_kind(assignment, day)
        if kind is None or assignment.reminders.filter(kind=kind).exists():
            continue
        message = _message(assignment, kind)
        reached = notify.deliver(message, notifiers)
        with transaction.atomic():
            reminder = Reminder.objects.create(
                assignment=assignment, kind=kind, sent_on=day, recipients=reached
            )
            log_action(
                assignment,
                "reports.assignment.reminded",
                by=by,
                data={"kind": kind, "recipients": reached},
            )
        sent.append(reminder)
    return sent


def reporters(assignment):
    """The people who fill ``assignment``: its office's staff or the
    commune's officers."""
    memberships = Membership.objects.covering(assignment.unit).select_related("user")
    if assignment.office:
        memberships = memberships.filter(
            role=Role.OFFICE_STAFF, office=assignment.office
        )
    else:
        memberships = memberships.filter(
            role=Role.COMMUNE_OFFICER, unit=assignment.unit
        )
    users = {m.user for m in memberships if m.user.is_active}
    return sorted(users, key=lambda u: u.pk)


def _reminder_kind(assignment, day):
    if day > assignment.due_date:
        return Reminder.Kind.OVERDUE
    if day >= assignment.due_date - datetime.timedelta(days=REMIND_DAYS_BEFORE):
        return Reminder.Kind.DUE_SOON
    return None


def _message(assignment, kind):
    due = assignment.due_date.strftime("%d/%m/%Y")
    form = assignment.form
    if kind == Reminder.Kind.OVERDUE:
        subject = _("Quá hạn nộp báo cáo: %(title)s") % {"title": form.title}
        body = _(
            "%(who)s chưa nộp báo cáo “%(title)s” năm %(year)s; hạn nộp là %(due)s."
        )
    else:
        subject = _("Sắp đến hạn nộp báo cáo: %(title)s") % {"title": form.title}
        body = _("%(who)s cần nộp báo cáo “%(title)s” năm %(year)s trước ngày %(due)s.")
    body = body % {
        "who": assignment.reporter_name,
        "title": form.title,
        "year": form.year,
        "due": due,
    }
    recipients = [
        notify.Recipient(name=str(u), email=u.email, phone=u.phone)
        for u in reporters(assignment)
    ]
    return notify.Message(subject=subject, body=body, recipients=recipients)


def _begin(submission, transition):
    """Lock the submission's row and return the state ``transition`` leads to,
    refusing it from the state the submission is in now."""
    lock(submission)
    return Submission.Status.check(
        submission.status, transition, ReportError, _refusal(submission)
    )


def _refusal(submission):
    if submission.status == Submission.Status.ACCEPTED:
        return _("Báo cáo đã được tiếp nhận và bị khóa.")
    return _("Không thể thực hiện khi báo cáo đang ở trạng thái “%s”.") % (
        submission.get_status_display()
    )


def _require_content(submission):
    sections = [s for s in submission.assignment.form.sections.all() if s.is_narrative]
    if sections and not any(
        str(submission.narratives.get(s.key, "")).strip() for s in sections
    ):
        raise ReportError(
            _(
                "Báo cáo chưa có nội dung: cần viết ít nhất một mục (%(titles)s) "
                "trước khi nộp."
            )
            % {"titles": "; ".join(s.title for s in sections)}
        )
