"""Writes to the roster of programme managers, to trainings and attendance,
and to the know-how library.

Services enforce the rules and write the audit trail; whether the caller may
act on the unit is the view's question (``permissions.py``). The Excel import
of the roster lives in ``imports.py``.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ntm.core.audit import diff, log_action, snapshot
from ntm.core.changes import change_fields, refuse_unknown
from ntm.core.deletion import delete_or_refuse
from ntm.units.models import Unit

from .models import Guide, Participation, ProgramStaff, Training

# In the order the forms show them.
STAFF_FIELDS = ["year", "code", "full_name", "position", "unit", "is_active", "is_demo"]
TRAINING_FIELDS = [
    "title",
    "topic",
    "level",
    "audience",
    "organiser",
    "held_on",
    "place",
    "hours",
    "unlisted_attendees",
    "note",
    "is_demo",
]
# The plan runs 2023-2025; the roster may be kept before and after it.
FIRST_YEAR, LAST_YEAR = 2015, 2035


class KnowledgeError(Exception):
    """The input is well formed but breaks a rule of the roster or trainings."""


@transaction.atomic
def create_staff(*, by, **fields):
    """Put a manager on a year's roster.

    Refuses a year outside 2015–2035, a unit that is not a district, commune
    or village existing in that year, and a staff code already on that
    year's roster.
    """
    refuse_unknown(fields, STAFF_FIELDS)
    staff = ProgramStaff(**fields)
    _check_staff(staff)
    staff.search_text = staff.build_search_text()
    staff.save()
    changes = diff(staff, {}, snapshot(staff, STAFF_FIELDS))
    log_action(staff, "knowledge.staff.created", by=by, data={"changes": changes})
    return staff


@transaction.atomic
def update_staff(staff, *, by, **fields):
    """Change a roster entry and record every changed field (same rules)."""
    refuse_unknown(fields, STAFF_FIELDS)
    before = snapshot(staff, STAFF_FIELDS)
    for name, value in fields.items():
        setattr(staff, name, value)
    _check_staff(staff)
    if before["year"] != staff.year and staff.participations.exists():
        raise KnowledgeError(
            _("Cán bộ đã có tên trong lớp tập huấn; không đổi năm được.")
        )
    changes = diff(staff, before, snapshot(staff, STAFF_FIELDS))
    if changes:
        staff.search_text = staff.build_search_text()
        staff.save()
        log_action(staff, "knowledge.staff.changed", by=by, data={"changes": changes})
    return staff


@transaction.atomic
def delete_staff(staff, *, by):
    """Take an entry off the roster; refused once it has attendance on record
    (mark it no longer active instead, so the training history stays)."""
    facts = snapshot(staff, STAFF_FIELDS)
    log_action(staff, "knowledge.staff.deleted", by=by, data={"facts": facts})
    delete_or_refuse(
        staff,
        error=KnowledgeError,
        hint=_("Hãy bỏ chọn “Đang đảm nhiệm” thay vì xóa."),
    )


@transaction.atomic
def create_training(*, by, **fields):
    """Record a training. Refuses an organiser that is not a district or
    commune, one that did not exist on the day, and non-positive hours."""
    refuse_unknown(fields, TRAINING_FIELDS)
    training = Training(**fields)
    _check_training(training)
    training.save()
    changes = diff(training, {}, snapshot(training, TRAINING_FIELDS))
    log_action(training, "knowledge.training.created", by=by, data={"changes": changes})
    return training


@transaction.atomic
def update_training(training, *, by, **fields):
    """Change a training (same rules); its year cannot change once people are
    on it, since they are entries of that year's roster."""
    refuse_unknown(fields, TRAINING_FIELDS)
    old_year = training.held_on.year
    new_day = fields.get("held_on") or training.held_on
    if (
        new_day.year != old_year
        and training.participations.filter(staff__isnull=False).exists()
    ):
        raise KnowledgeError(
            _("Lớp đã có cán bộ của danh sách năm %(year)s; không đổi sang năm khác.")
            % {"year": old_year}
        )
    changes = change_fields(training, fields, TRAINING_FIELDS, check=_check_training)
    if changes:
        training.save()
        log_action(
            training, "knowledge.training.changed", by=by, data={"changes": changes}
        )
    return training


@transaction.atomic
def delete_training(training, *, by):
    """Remove a training and its attendance list, keeping a record of both."""
    facts = snapshot(training, TRAINING_FIELDS)
    facts["participants"] = training.participations.count()
    log_action(training, "knowledge.training.deleted", by=by, data={"facts": facts})
    delete_or_refuse(training, error=KnowledgeError)


@transaction.atomic
def add_participant(
    training, *, staff=None, name="", role="", unit_name="", attended=True, by
):
    """Put a roster member (of the training's year) or a named guest on a
    training's list. Refuses a roster member already on it, a member of
    another year's roster, and a guest without a name."""
    name, role, unit_name = name.strip(), role.strip(), unit_name.strip()
    if staff is None and not name:
        raise KnowledgeError(_("Chọn cán bộ trong danh sách hoặc nhập họ tên."))
    if staff is not None:
        if staff.year != training.held_on.year:
            raise KnowledgeError(
                _(
                    "%(name)s thuộc danh sách năm %(year)s, "
                    "không phải năm của lớp (%(training_year)s)."
                )
                % {
                    "name": staff.full_name,
                    "year": staff.year,
                    "training_year": training.held_on.year,
                }
            )
        if training.participations.filter(staff=staff).exists():
            raise KnowledgeError(
                _("%(name)s đã có trong danh sách lớp.") % {"name": staff.full_name}
            )
        name = role = unit_name = ""
    participation = Participation.objects.create(
        training=training,
        staff=staff,
        name=name,
        role=role,
        unit_name=unit_name,
        attended=attended,
        is_demo=training.is_demo,
    )
    log_action(
        training,
        "knowledge.participant.created",
        by=by,
        data={"note": _("Thêm %(name)s") % {"name": participation.display_name}},
    )
    return participation


@transaction.atomic
def set_attendance(participation, *, attended, by):
    """Mark whether a participant attended; logged on the training."""
    if participation.attended == attended:
        return participation
    participation.attended = attended
    participation.save(update_fields=["attended", "updated_at"])
    note = _("%(name)s: có tham dự") if attended else _("%(name)s: vắng")
    log_action(
        participation.training,
        "knowledge.participant.changed",
        by=by,
        data={"note": note % {"name": participation.display_name}},
    )
    return participation


@transaction.atomic
def remove_participant(participation, *, by):
    training = participation.training
    log_action(
        training,
        "knowledge.participant.deleted",
        by=by,
        data={"note": _("Bỏ %(name)s") % {"name": participation.display_name}},
    )
    delete_or_refuse(participation, error=KnowledgeError)


def unit_in_year(unit, year):
    """True when ``unit`` existed on at least one day of ``year``."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_to is None or unit.valid_to >= start
    )


def _check_staff(staff):
    if not staff.code or not staff.full_name:
        raise KnowledgeError(_("Mã cán bộ và họ tên là bắt buộc."))
    if staff.year is None or not FIRST_YEAR <= staff.year <= LAST_YEAR:
        raise KnowledgeError(
            _("Năm phải từ %(first)s đến %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    unit = staff.unit
    if unit is None or unit.level < Unit.Level.DISTRICT:
        raise KnowledgeError(_("Đơn vị công tác phải là huyện, xã hoặc thôn."))
    if not unit_in_year(unit, staff.year):
        raise KnowledgeError(
            _("%(unit)s không còn hoặc chưa có trong năm %(year)s.")
            % {"unit": unit, "year": staff.year}
        )
    others = ProgramStaff.objects.filter(year=staff.year, code=staff.code)
    if others.exclude(pk=staff.pk).exists():
        raise KnowledgeError(
            _("Mã cán bộ %(code)s đã có trong danh sách năm %(year)s.")
            % {"code": staff.code, "year": staff.year}
        )


def _check_training(training):
    if not training.title:
        raise KnowledgeError(_("Lớp tập huấn phải có tên."))
    organiser = training.organiser
    if organiser is None or organiser.level not in (
        Unit.Level.DISTRICT,
        Unit.Level.COMMUNE,
    ):
        raise KnowledgeError(_("Đơn vị tổ chức phải là huyện hoặc xã."))
    if training.held_on is None:
        raise KnowledgeError(_("Ngày tổ chức là bắt buộc."))
    if not organiser.is_valid_on(training.held_on):
        raise KnowledgeError(
            _("%(unit)s không có hiệu lực vào ngày tổ chức.") % {"unit": organiser}
        )
    if training.hours is not None and training.hours <= 0:
        raise KnowledgeError(_("Số giờ phải lớn hơn 0."))


GUIDE_FIELDS = [
    "title",
    "kind",
    "field",
    "subject",
    "season",
    "summary",
    "body",
    "file",
    "video_url",
    "publisher",
    "is_published",
    "is_demo",
]


@transaction.atomic
def create_guide(*, by, **fields):
    """Add a guide to the know-how library (published or as a draft)."""
    refuse_unknown(fields, GUIDE_FIELDS)
    guide = Guide(**fields)
    _check_guide(guide)
    guide.fold_text()
    guide.save()
    changes = diff(guide, {}, snapshot(guide, GUIDE_FIELDS))
    log_action(guide, "knowledge.guide.created", by=by, data={"changes": changes})
    return guide


@transaction.atomic
def update_guide(guide, *, by, **fields):
    """Change a guide and record every changed field; a replaced file is
    removed once the change is committed."""
    old_file = guide.file.name
    changes = change_fields(guide, fields, GUIDE_FIELDS, check=_check_guide)
    if changes:
        guide.fold_text()
        guide.save()
        if old_file and old_file != guide.file.name:
            storage = guide.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
        log_action(guide, "knowledge.guide.changed", by=by, data={"changes": changes})
    return guide


@transaction.atomic
def delete_guide(guide, *, by):
    """Take a guide out of the library, keeping a record of what it was."""
    facts = snapshot(guide, GUIDE_FIELDS)
    log_action(guide, "knowledge.guide.deleted", by=by, data={"facts": facts})
    stored = guide.file
    guide.delete()
    # The file goes once the row is gone: a failed delete keeps both.
    if stored:
        transaction.on_commit(lambda: stored.storage.delete(stored.name))


def count_download(guide):
    """One more download of ``guide``'s file, counted in the database (two
    visitors at once both count) and not in the audit log: a reader's visit
    changes no official record."""
    Guide.objects.filter(pk=guide.pk).update(downloads=F("downloads") + 1)


def _check_guide(guide):
    if guide.publisher.level not in (Unit.Level.DISTRICT, Unit.Level.COMMUNE):
        raise KnowledgeError(_("Đơn vị đăng tài liệu phải là huyện hoặc xã."))
    if not (guide.body.strip() or guide.file or guide.video_url):
        raise KnowledgeError(_("Cần có nội dung, tệp tài liệu hoặc liên kết video."))
