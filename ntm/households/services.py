"""Writes to the household register and to villages' public facilities.

Services enforce the register's rules and write the audit trail; who may
call them on which village is the caller's question (views and the API check
``can_edit_households`` first). The Excel import lives in ``imports.py``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import diff, log_action, snapshot
from ntm.core.changes import change_fields, refuse_unknown
from ntm.core.deletion import delete_or_refuse, deletion_refusal
from ntm.units.models import Unit

from . import validation
from .history import recorded_by
from .models import Facility, Household, Place, VillageChannel

# What a register keeper may change; the code is the household's identity
# (URLs, Excel imports) and never changes after creation.
HOUSEHOLD_FIELDS = [
    "village",
    "head_name",
    "members",
    "phone",
    "address",
    "address_code",
    "lat",
    "lon",
    "has_fibre",
    "smartphones",
    "health_app_members",
    "is_business",
    "ecommerce_platforms",
    "uses_traceability",
    "water_source",
    "is_demo",
]
FACILITY_FIELDS = ["kind", "name", "has_wifi", "address_code", "lat", "lon", "is_demo"]
CHANNEL_FIELDS = [
    "platform",
    "name",
    "link",
    "members",
    "is_active",
    "is_demo",
]


class HouseholdError(Exception):
    """The input is well formed but breaks a rule of the household register."""


@transaction.atomic
def create_household(*, village, by, **fields):
    """Add a household to a current village and record who added it.

    Refuses a village that is not a current village, a code or digital
    address code already in use, and more health-app users than members.
    """
    platforms = fields.pop("ecommerce_platforms", None) or []
    refuse_unknown(fields, ["code", *HOUSEHOLD_FIELDS])
    household = Household(village=village, **fields)
    household.address_code = household.address_code or None
    _check_household(household)
    household.search_text = household.build_search_text()
    recorded_by(household, by)
    household.save()
    household.ecommerce_platforms.set(platforms)
    changes = diff(household, {}, snapshot(household, HOUSEHOLD_FIELDS))
    log_action(
        household, "households.household.created", by=by, data={"changes": changes}
    )
    return household


@transaction.atomic
def update_household(household, *, by, **fields):
    """Change a household's facts and record every changed field.

    The same rules as ``create_household`` apply; e-commerce platforms are
    replaced by the given set. Nothing is saved or logged when nothing changes.
    """
    refuse_unknown(fields, HOUSEHOLD_FIELDS)
    before = snapshot(household, HOUSEHOLD_FIELDS)
    platforms = fields.pop("ecommerce_platforms", None)
    for name, value in fields.items():
        setattr(household, name, value)
    household.address_code = household.address_code or None
    _check_household(household)
    household.search_text = household.build_search_text()
    recorded_by(household, by)
    household.save()
    if platforms is not None:
        household.ecommerce_platforms.set(platforms)
    changes = diff(household, before, snapshot(household, HOUSEHOLD_FIELDS))
    if changes:
        log_action(
            household, "households.household.changed", by=by, data={"changes": changes}
        )
    return household


DELETE_HINT = _(
    "Hãy chuyển hộ sang “ngừng theo dõi”: hộ rời sổ và các chỉ tiêu, phiếu khảo"
    " sát của hộ vẫn được giữ."
)


def household_deletion_refusal(household):
    """Why ``household`` cannot be deleted (it answered a survey), or None."""
    return deletion_refusal(household, hint=str(DELETE_HINT))


@transaction.atomic
def delete_household(household, *, by):
    """Remove a household entered by mistake, keeping a record of what it was.

    Refused once it has answered a survey: its answers are the survey's
    record. A household that left is no longer followed instead
    (``archive_household``).
    """
    facts = snapshot(household, ["code", *HOUSEHOLD_FIELDS])
    log_action(household, "households.household.deleted", by=by, data={"facts": facts})
    recorded_by(household, by)
    delete_or_refuse(household, error=HouseholdError, hint=str(DELETE_HINT))


@transaction.atomic
def archive_household(household, *, by, reason, on=None):
    """Stop following a household that moved away or merged into another.

    It leaves the register and the indicators from ``on`` (today by
    default); its survey answers stay counted. Refuses a household already
    no longer followed, and a missing reason.
    """
    reason = reason.strip()
    if not household.is_followed:
        raise HouseholdError(_("Hộ này đã ngừng theo dõi."))
    if not reason:
        raise HouseholdError(_("Hãy ghi lý do ngừng theo dõi."))
    household.left_on = on or timezone.localdate()
    household.left_reason = reason
    # A departure recorded late is dated on its day: the register of any day
    # since then leaves the household out.
    recorded_by(household, by, since=household.left_on)
    household.save(update_fields=["left_on", "left_reason", "updated_at"])
    log_action(
        household,
        "households.household.archived",
        by=by,
        data={"note": reason, "left_on": household.left_on.isoformat()},
    )
    return household


@transaction.atomic
def restore_household(household, *, by):
    """Follow again a household that was no longer followed (a mistake, a
    return); it comes back to the register and the indicators."""
    if household.is_followed:
        raise HouseholdError(_("Hộ này đang được theo dõi."))
    check_village(household.village)
    household.left_on, household.left_reason = None, ""
    recorded_by(household, by)
    household.save(update_fields=["left_on", "left_reason", "updated_at"])
    log_action(household, "households.household.restored", by=by)
    return household


@transaction.atomic
def create_facility(*, village, by, **fields):
    """Record a public facility of a current village (one cultural house each)."""
    refuse_unknown(fields, FACILITY_FIELDS)
    facility = Facility(village=village, **fields)
    _check_facility(facility)
    recorded_by(facility, by)
    facility.save()
    changes = diff(facility, {}, snapshot(facility, FACILITY_FIELDS))
    log_action(
        facility, "households.facility.created", by=by, data={"changes": changes}
    )
    return facility


@transaction.atomic
def update_facility(facility, *, by, **fields):
    """Change a facility's facts (its Wi-Fi above all) and record the change."""
    refuse_unknown(fields, FACILITY_FIELDS)
    changes = change_fields(facility, fields, FACILITY_FIELDS, check=_check_facility)
    recorded_by(facility, by)
    facility.save()
    if changes:
        log_action(
            facility, "households.facility.changed", by=by, data={"changes": changes}
        )
    return facility


@transaction.atomic
def delete_facility(facility, *, by):
    """Remove a facility, keeping a record of what it was."""
    facts = snapshot(facility, FACILITY_FIELDS)
    log_action(facility, "households.facility.deleted", by=by, data={"facts": facts})
    recorded_by(facility, by)
    delete_or_refuse(facility, error=HouseholdError)


@transaction.atomic
def save_channel(channel=None, *, village=None, by, **fields):
    """Open (no ``channel``) or change a village's channel with its residents."""
    refuse_unknown(fields, CHANNEL_FIELDS)
    before = {} if channel is None else snapshot(channel, CHANNEL_FIELDS)
    channel = channel or VillageChannel(village=village)
    for name, value in fields.items():
        setattr(channel, name, value)
    check_village(channel.village)
    if not channel.name:
        raise HouseholdError(_("Kênh phải có tên."))
    created = channel.pk is None
    channel.save()
    changes = diff(channel, before, snapshot(channel, CHANNEL_FIELDS))
    if changes:
        log_action(
            channel,
            "households.channel.created" if created else "households.channel.changed",
            by=by,
            data={"changes": changes},
        )
    return channel


@transaction.atomic
def delete_channel(channel, *, by):
    """Remove a channel, keeping a record of what it was."""
    facts = snapshot(channel, CHANNEL_FIELDS)
    log_action(channel, "households.channel.deleted", by=by, data={"facts": facts})
    delete_or_refuse(channel, error=HouseholdError)


def check_village(village):
    """Raise HouseholdError unless ``village`` is a village that exists today."""
    if village is None or village.level != Unit.Level.VILLAGE:
        raise HouseholdError(_("Hộ gia đình phải thuộc một thôn."))
    if not village.is_current:
        raise HouseholdError(
            _("Thôn %(village)s không còn hiệu lực.") % {"village": village}
        )


# Every record that may carry a digital address: codes are unique across them.
HOLDERS = (Household.all_objects, Facility.objects, Place.objects)


def holder_of(code):
    """The household, facility or place carrying ``code``, or None."""
    if not code:
        return None
    for manager in HOLDERS:
        found = manager.select_related("village__parent").filter(address_code=code)
        holder = found.first()
        if holder is not None:
            return holder
    return None


def check_code_free(code, holder=None):
    """Raise HouseholdError when another record already carries ``code``."""
    other = holder_of(code)
    if other is not None and (
        holder is None or type(other) is not type(holder) or other.pk != holder.pk
    ):
        raise HouseholdError(
            _("Mã địa chỉ số %(code)s đã được gán cho nơi khác.") % {"code": code}
        )


def check_point(village, lat, lon):
    """Raise HouseholdError unless (lat, lon) lies inside ``village``'s commune.

    The last guard behind the forms: the API, the offline register and the
    digital-address pages reach the same check (a point in Paris is not in
    Thôn 1). Half a point is the forms' refusal (they name the field).
    """
    if lat is None or lon is None:
        return
    try:
        validation.check_point(village, lat, lon)
    except ValidationError as error:
        raise HouseholdError(" ".join(error.messages)) from error


def _check_household(household):
    check_village(household.village)
    check_point(household.village, household.lat, household.lon)
    if not household.code or not household.head_name:
        raise HouseholdError(_("Mã hộ và họ tên chủ hộ là bắt buộc."))
    if household.members is None or household.members < 1:
        raise HouseholdError(_("Hộ phải có ít nhất một nhân khẩu."))
    if household.health_app_members > household.members:
        raise HouseholdError(
            _("Số người dùng ứng dụng y tế không được lớn hơn số nhân khẩu.")
        )
    others = Household.all_objects.exclude(pk=household.pk)
    if others.filter(code=household.code).exists():
        raise HouseholdError(
            _("Mã hộ %(code)s đã được dùng.") % {"code": household.code}
        )
    if household.address_code:
        check_code_free(household.address_code, household)


def _check_facility(facility):
    check_village(facility.village)
    check_point(facility.village, facility.lat, facility.lon)
    if facility.address_code:
        check_code_free(facility.address_code, facility)
    if not facility.name:
        raise HouseholdError(_("Công trình phải có tên."))
    if facility.kind == Facility.Kind.CULTURAL_HOUSE:
        houses = Facility.objects.filter(
            village=facility.village, kind=Facility.Kind.CULTURAL_HOUSE
        ).exclude(pk=facility.pk)
        if houses.exists():
            raise HouseholdError(_("Thôn này đã có nhà văn hóa."))


def record_register_export(*, by, rows, filters):
    """Write to the audit log that ``by`` exported ``rows`` households.

    The register holds personal data (names, phones: Decree 13/2023), so
    every export is logged with its size and the filters that chose it.
    """
    return log_action(
        by,
        "households.register.exported",
        by=by,
        data={"rows": rows, "filters": filters},
    )
