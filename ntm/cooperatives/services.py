"""Writes to the cooperative register and the cooperatives' linkage models.

Services enforce the register's rules and write the audit trail; whether the
caller keeps the commune is the view's question (``permissions.py``). Excel
imports live in ``imports.py`` and go through these same services.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import diff, log_action, snapshot
from ntm.core.changes import change_fields, refuse_unknown
from ntm.core.deletion import delete_or_refuse
from ntm.units.models import Unit

from .models import Cooperative, LinkageModel

COOPERATIVE_FIELDS = [
    "code",
    "name",
    "commune",
    "founded_on",
    "members",
    "main_products",
    "applies_digital_technology",
    "digital_since",
    "digital_until",
    "technologies",
    "representative",
    "phone",
    "is_active",
    "dissolved_on",
    "is_demo",
]
LINKAGE_FIELDS = [
    "name",
    "key_product",
    "partner",
    "tied_to_sales",
    "has_raw_material_area",
    "raw_material_area",
    "area_ha",
    "applies_digital_technology",
    "digital_since_year",
    "digital_until_year",
    "started_year",
    "is_active",
    "ended_year",
    "is_demo",
]
FIRST_YEAR = 1990


class CooperativeError(Exception):
    """The input is well formed but breaks a rule of the cooperative register."""


@transaction.atomic
def create_cooperative(*, by, **fields):
    """Register a cooperative in a commune.

    Refuses a unit that is not a commune, a code already used, a founding
    date in the future, and a digital-technology answer that disagrees with
    the technologies listed (yes needs at least one, no needs none).
    """
    refuse_unknown(fields, COOPERATIVE_FIELDS)
    technologies = list(fields.pop("technologies", None) or [])
    cooperative = Cooperative(**fields)
    _date_cooperative(cooperative, digital=False)
    _check_cooperative(cooperative, technologies)
    cooperative.search_text = cooperative.build_search_text()
    cooperative.save()
    cooperative.technologies.set(technologies)
    changes = diff(cooperative, {}, snapshot(cooperative, COOPERATIVE_FIELDS))
    log_action(
        cooperative,
        "cooperatives.cooperative.created",
        by=by,
        data={"changes": changes},
    )
    return cooperative


@transaction.atomic
def update_cooperative(cooperative, *, by, **fields):
    """Change a cooperative (same rules) and record every changed field.

    Technologies are replaced by the given list when it is given. Nothing is
    saved or logged when nothing changes.
    """
    refuse_unknown(fields, COOPERATIVE_FIELDS)
    before = snapshot(cooperative, COOPERATIVE_FIELDS)
    was = cooperative.applies_digital_technology
    technologies = fields.pop("technologies", None)
    for name, value in fields.items():
        setattr(cooperative, name, value)
    _date_cooperative(cooperative, digital=was)
    if technologies is None:
        technologies = list(cooperative.technologies.all())
    _check_cooperative(cooperative, list(technologies))
    cooperative.technologies.set(technologies)
    changes = diff(cooperative, before, snapshot(cooperative, COOPERATIVE_FIELDS))
    if changes:
        cooperative.search_text = cooperative.build_search_text()
        cooperative.save()
        log_action(
            cooperative,
            "cooperatives.cooperative.changed",
            by=by,
            data={"changes": changes},
        )
    return cooperative


@transaction.atomic
def delete_cooperative(cooperative, *, by):
    """Remove a cooperative with no linkage models (mark it inactive otherwise,
    so past years keep counting it)."""
    facts = snapshot(cooperative, COOPERATIVE_FIELDS)
    log_action(
        cooperative, "cooperatives.cooperative.deleted", by=by, data={"facts": facts}
    )
    delete_or_refuse(
        cooperative,
        error=CooperativeError,
        hint=_("Hãy bỏ chọn “Đang hoạt động” thay vì xóa."),
    )


@transaction.atomic
def create_linkage_model(*, cooperative, by, **fields):
    """Add a linkage model to a cooperative.

    Refuses a model without a name, a raw-material area described while the
    model is said to have none (or none described when it has one), a
    negative area, and a start year before 1990 or after next year.
    """
    refuse_unknown(fields, LINKAGE_FIELDS)
    model = LinkageModel(cooperative=cooperative, **fields)
    _date_linkage(model, digital=False)
    _check_linkage(model)
    model.save()
    changes = diff(model, {}, snapshot(model, LINKAGE_FIELDS))
    log_action(model, "cooperatives.linkage.created", by=by, data={"changes": changes})
    return model


@transaction.atomic
def update_linkage_model(model, *, by, **fields):
    """Change a linkage model (same rules) and record every changed field."""
    refuse_unknown(fields, LINKAGE_FIELDS)
    was = model.applies_digital_technology

    def check(changed):
        _date_linkage(changed, digital=was)
        _check_linkage(changed)

    changes = change_fields(model, fields, LINKAGE_FIELDS, check=check)
    if changes:
        model.save()
        log_action(
            model, "cooperatives.linkage.changed", by=by, data={"changes": changes}
        )
    return model


@transaction.atomic
def delete_linkage_model(model, *, by):
    facts = snapshot(model, LINKAGE_FIELDS)
    log_action(model, "cooperatives.linkage.deleted", by=by, data={"facts": facts})
    delete_or_refuse(model, error=CooperativeError)


def _date_cooperative(cooperative, *, digital):
    """Keep the dates the providers count by in step with today's flags.

    ``digital`` is the flag before the change. Ticking "applies digital
    technology" starts it today unless a day is given; unticking stops it
    today. Leaving "active" closes the cooperative down today unless a day
    is given. Past days stay as they were, so earlier years keep their
    figures.
    """
    today = timezone.localdate()
    _keep_in_step(
        cooperative,
        ("applies_digital_technology", "digital_since", "digital_until"),
        was=digital,
        now=today,
    )
    _keep_ended(cooperative, "dissolved_on", now=today)


def _date_linkage(model, *, digital):
    """The same for a linkage model, by year."""
    year = timezone.localdate().year
    _keep_in_step(
        model,
        ("applies_digital_technology", "digital_since_year", "digital_until_year"),
        was=digital,
        now=year,
    )
    _keep_ended(model, "ended_year", now=year)


def _keep_in_step(record, names, *, was, now):
    flag, since, until = names
    if getattr(record, flag):
        if getattr(record, since) is None:
            setattr(record, since, now)
        setattr(record, until, None)
    elif was and getattr(record, until) is None:
        setattr(record, until, now)


def _keep_ended(record, ended, *, now):
    if record.is_active:
        setattr(record, ended, None)
    elif getattr(record, ended) is None:
        setattr(record, ended, now)


def _check_cooperative(cooperative, technologies):
    if not cooperative.code or not cooperative.name:
        raise CooperativeError(_("Mã số và tên hợp tác xã là bắt buộc."))
    commune = cooperative.commune
    if commune is None or commune.level != Unit.Level.COMMUNE:
        raise CooperativeError(_("Hợp tác xã phải đăng ký tại một xã, thị trấn."))
    if cooperative.founded_on and cooperative.founded_on > timezone.localdate():
        raise CooperativeError(_("Ngày thành lập không được sau hôm nay."))
    for day in (cooperative.digital_since, cooperative.dissolved_on):
        if day and day > timezone.localdate():
            raise CooperativeError(_("Ngày ghi nhận không được sau hôm nay."))
        if day and cooperative.founded_on and day < cooperative.founded_on:
            raise CooperativeError(_("Ngày ghi nhận không được trước ngày thành lập."))
    if cooperative.members is None or cooperative.members < 0:
        raise CooperativeError(_("Số thành viên không được âm."))
    if cooperative.applies_digital_technology and not technologies:
        raise CooperativeError(
            _("Hợp tác xã ứng dụng công nghệ số: chọn ít nhất một công nghệ.")
        )
    if technologies and not cooperative.applies_digital_technology:
        raise CooperativeError(
            _("Đã chọn công nghệ số nhưng ghi là không ứng dụng công nghệ số.")
        )
    others = Cooperative.objects.filter(code=cooperative.code).exclude(
        pk=cooperative.pk
    )
    if others.exists():
        raise CooperativeError(
            _("Mã số %(code)s đã được dùng cho hợp tác xã khác.")
            % {"code": cooperative.code}
        )


def _check_linkage(model):
    if not model.name:
        raise CooperativeError(_("Mô hình liên kết phải có tên."))
    if model.has_raw_material_area and not model.raw_material_area:
        raise CooperativeError(_("Ghi rõ vùng nguyên liệu của mô hình."))
    if not model.has_raw_material_area and (model.raw_material_area or model.area_ha):
        raise CooperativeError(
            _("Đã ghi vùng nguyên liệu nhưng chưa chọn “Gắn với vùng nguyên liệu”.")
        )
    if model.area_ha is not None and model.area_ha < 0:
        raise CooperativeError(_("Diện tích không được âm."))
    last = timezone.localdate().year + 1
    if model.started_year is not None and not (
        FIRST_YEAR <= model.started_year <= last
    ):
        raise CooperativeError(
            _("Năm bắt đầu phải từ %(first)s đến %(last)s.")
            % {"first": FIRST_YEAR, "last": last}
        )
    for year in (model.digital_since_year, model.ended_year):
        if year is not None and not (FIRST_YEAR <= year <= last - 1):
            raise CooperativeError(
                _("Năm ghi nhận phải từ %(first)s đến %(last)s.")
                % {"first": FIRST_YEAR, "last": last - 1}
            )
