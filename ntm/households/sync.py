"""Offline capture: the register a village head takes onto a phone, and the
changes the phone sends back (docs/decisions.md, "Offline register").

A household change carries, for each field it changes, the value the phone
downloaded (its base) and the value typed offline. The server applies a
field only while it still holds the base value; a field changed on the
server since then is a conflict, answered with both values for the head to
choose, never overwritten. Every change goes through ``update_household``
(so the form's rules, ``validation.py``, and the audit log apply) inside its
own transaction, and is answered once per id (``SyncedChange``).

Other apps add kinds of change (paper survey answers) and extra downloads
with ``register_kind`` and ``register_extra`` from their AppConfig.ready():
this module never imports them.
"""

import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.accounts.permissions import can_edit_households
from ntm.core.audit import log_action

from . import validation
from .forms import HOUSEHOLD_FORM_FIELDS, HouseholdForm
from .models import EcommercePlatform, Household, SyncedChange
from .queries import villages_of
from .services import HouseholdError, update_household

# What the phone edits: the form's fields but the code (the identity) and the
# village (moving a household is an office decision, made online).
OFFLINE_FIELDS = [f for f in HOUSEHOLD_FORM_FIELDS if f not in ("code", "village")]
DECIMALS = {"lat", "lon"}
COUNT_FIELDS = set(validation.COUNTS)
BOOLEANS = {"has_fibre", "is_business", "uses_traceability"}
# Changes one request may carry: a day of a village head's work many times
# over, and a bound on what one request costs the server.
MAX_CHANGES = 200

_KINDS = {}
_EXTRAS = {}


class ChangeRefused(Exception):
    """A change that cannot be applied; nothing of it was written.

    ``status`` is "refused" (not found, not yours, a rule of the register)
    or "invalid" (values the rules refuse, ``errors`` maps fields to
    messages).
    """

    def __init__(self, message, *, status="refused", errors=None):
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or {}


def register_kind(kind, *, apply, replay):
    """Let the phone send changes of ``kind``.

    ``apply(change, by=user)`` writes the change, raising ChangeRefused, and
    returns (outcome, target, applied, conflicts, answer); ``replay(entry,
    by=user)`` answers a change already applied (a ``SyncedChange``).
    """
    _KINDS[kind] = (apply, replay)


def register_extra(name, provide):
    """Add ``provide(village, user=user)`` to the downloaded register as ``name``."""
    _EXTRAS[name] = provide


# -- the register a phone downloads ------------------------------------------------


def offline_village(user, code):
    """The current village ``code`` whose register ``user`` keeps, or None."""
    return villages_of(user, editable=True).filter(code=code).first()


def household_values(household):
    """The offline fields of ``household`` as the phone holds them (JSON)."""
    values = {}
    for name in OFFLINE_FIELDS:
        if name == "ecommerce_platforms":
            values[name] = sorted(p.name for p in household.ecommerce_platforms.all())
        elif name in DECIMALS:
            value = getattr(household, name)
            values[name] = None if value is None else f"{value:f}"
        else:
            values[name] = getattr(household, name)
    values["address_code"] = values["address_code"] or ""
    return values


def household_version(household):
    """The version a phone's edit is based on: the row's last write, to the
    microsecond (every write of the register sets ``updated_at``)."""
    return household.updated_at.isoformat()


def offline_register(village, *, by):
    """The register of ``village`` for a phone, and write that it left.

    Holds every followed household with the fields the phone edits and its
    version, the rules the phone checks before queueing a change (the same
    ones ``validation.py`` applies on the server) and what other apps add
    (open surveys). The register is personal data (names, phones: Decree
    13/2023): each download is in the audit log, as exports are.
    """
    households = (
        Household.objects.within(village)
        .prefetch_related("ecommerce_platforms")
        .order_by("code")
    )
    rows = [
        {
            "code": household.code,
            "version": household_version(household),
            "values": household_values(household),
        }
        for household in households
    ]
    log_action(
        by,
        "households.register.downloaded",
        by=by,
        data={"village": village.code, "rows": len(rows)},
    )
    return {
        "village": {
            "code": village.code,
            "name": village.name,
            "commune": village.parent.name if village.parent_id else "",
        },
        "user": by.pk,
        "downloaded_at": timezone.now().isoformat(),
        "households": rows,
        "platforms": list(EcommercePlatform.objects.values_list("name", flat=True)),
        "rules": browser_rules(),
        **{name: provide(village, user=by) for name, provide in _EXTRAS.items()},
    }


def browser_rules():
    """The rules of ``validation.py`` the browser can run, with their messages.

    The messages are the server's own, drawn from the rules themselves: a
    value refused on the phone reads as it would on the page.
    """
    labels = {
        name: str(Household._meta.get_field(name).verbose_name)
        for name in OFFLINE_FIELDS
    }
    low_lat, high_lat, low_lon, high_lon = validation.VIETNAM
    return {
        "labels": labels,
        "counts": {
            name: {
                "low": low,
                "high": high,
                "message": validation.count_message(name, labels[name]),
            }
            for name, (low, high) in validation.COUNTS.items()
        },
        "phone": {
            "pattern": validation.PHONE.pattern,
            "separators": validation.PHONE_SEPARATORS.pattern,
            # "{value}" stands for what was typed.
            "message": _refusal(validation.clean_phone, "{value}"),
        },
        "markup": {
            "pattern": validation.MARKUP.pattern,
            "messages": {
                name: _refusal(validation.check_plain_text, "<", label=labels[name])
                for name in ("head_name", "address")
            },
        },
        "required": str(forms.Field.default_error_messages["required"]),
        "health": _("Số người dùng ứng dụng y tế không được lớn hơn số nhân khẩu."),
        "point": {
            "area": [str(low_lat), str(high_lat), str(low_lon), str(high_lon)],
            "both": _refusal(validation.check_point, None, Decimal(15), None),
            "outside": _("Điểm trên bản đồ nằm ngoài lãnh thổ Việt Nam."),
        },
    }


def _refusal(rule, *args, **kwargs):
    """The message ``rule`` refuses ``args`` with."""
    try:
        rule(*args, **kwargs)
    except forms.ValidationError as error:
        return error.messages[0]
    raise AssertionError(f"{rule.__name__} accepted {args!r}")


# -- the changes a phone sends back ------------------------------------------------


def apply_changes(changes, *, by):
    """Apply the changes a phone queued, in order, each on its own.

    Each change is answered: "applied", "conflict" (some fields changed on
    the server since the phone's download; those are not written, the
    others are), "invalid" (the rules refuse a value) or "refused" (not
    found, outside the user's villages, not allowed). A change whose id was
    already applied gets the same answer again and writes nothing.
    """
    if len(changes) > MAX_CHANGES:
        raise ChangeRefused(
            _("Mỗi lần gửi tối đa %(n)s thay đổi.") % {"n": MAX_CHANGES}
        )
    return [apply_change(change, by=by) for change in changes]


def apply_change(change, *, by):
    """Apply one queued change, atomically, once per change id."""
    try:
        change_id = uuid.UUID(str(change.get("id")))
    except ValueError:
        return _answer(change, "invalid", detail=_("Thay đổi thiếu mã định danh."))
    kind = change.get("kind")
    if kind not in _KINDS:
        return _answer(change, "invalid", detail=_("Loại thay đổi không được hỗ trợ."))
    apply, replay = _KINDS[kind]
    entry = SyncedChange.objects.filter(pk=change_id).first()
    if entry is not None:
        return _replayed(entry, change, replay, by=by)
    try:
        with transaction.atomic():
            outcome, target, applied, conflicts, answer = apply(change, by=by)
            SyncedChange.objects.create(
                id=change_id,
                user=by,
                kind=kind,
                target=target,
                outcome=outcome,
                applied=applied,
                conflicts=conflicts,
            )
    except ChangeRefused as refusal:
        return _answer(
            change, refusal.status, detail=refusal.message, errors=refusal.errors
        )
    except IntegrityError:
        # The same change sent twice at once: the other request wrote it
        # (this one's writes were rolled back with the savepoint).
        entry = SyncedChange.objects.filter(pk=change_id).first()
        if entry is None:
            raise
        return _replayed(entry, change, replay, by=by)
    return _answer(change, outcome, **answer)


def _replayed(entry, change, replay, *, by):
    if entry.user_id != by.pk or entry.kind != change.get("kind"):
        return _answer(change, "refused", detail=_("Mã thay đổi đã được dùng."))
    return _answer(change, entry.outcome, duplicate=True, **replay(entry, by=by))


def _answer(change, status, **fields):
    return {"id": str(change.get("id")), "status": status, **fields}


def apply_household_change(change, *, by):
    """Apply the fields of a household change still at their base value.

    ``change`` holds the household ``code``, ``changes`` {field: value typed
    on the phone} and ``base`` {field: value the phone downloaded}. A field
    the server already holds at the phone's value is left alone; one still at
    its base value is written; any other is a conflict. The written fields
    and the server's other values must pass the household form (one rule
    set) or nothing is written.
    """
    code, wanted, base = change.get("code"), change.get("changes"), change.get("base")
    if not isinstance(wanted, dict) or not isinstance(base, dict) or not wanted:
        raise ChangeRefused(_("Thay đổi không có dữ liệu."), status="invalid")
    unknown = set(wanted) - set(OFFLINE_FIELDS)
    if unknown or set(wanted) - set(base):
        raise ChangeRefused(_("Thay đổi có trường không sửa được."), status="invalid")
    household = _editable_household(code, by=by)
    current = household_values(household)
    applied, conflicts = [], []
    for name, value in wanted.items():
        if _same(name, current[name], value):
            continue
        if _same(name, current[name], base[name]):
            applied.append(name)
        else:
            conflicts.append(name)
    if applied:
        form = _bound_form(household, {n: wanted[n] for n in applied}, by=by)
        if not form.is_valid():
            errors = {
                field: [str(message) for message in messages]
                for field, messages in form.errors.items()
            }
            raise ChangeRefused(
                _("Dữ liệu chưa hợp lệ."), status="invalid", errors=errors
            )
        try:
            update_household(household, by=by, **form.service_fields())
        except HouseholdError as error:
            raise ChangeRefused(str(error), status="invalid") from error
        household.refresh_from_db()
    outcome = (
        SyncedChange.Outcome.CONFLICT if conflicts else SyncedChange.Outcome.APPLIED
    )
    answer = _household_answer(household, applied, conflicts)
    return outcome, {"code": household.code}, applied, conflicts, answer


def replay_household_change(entry, *, by):
    """The answer to a household change already applied, with today's values."""
    household = (
        Household.all_objects.visible_to(by).filter(code=entry.target["code"]).first()
    )
    if household is None:
        return {"applied": entry.applied, "conflicts": {}}
    return _household_answer(household, entry.applied, entry.conflicts)


def _household_answer(household, applied, conflicts):
    values = household_values(household)
    return {
        "code": household.code,
        "applied": applied,
        # The server's side of each conflict; the phone holds its own.
        "conflicts": {name: values[name] for name in conflicts},
        "version": household_version(household),
        "values": values,
    }


def _editable_household(code, *, by):
    household = (
        Household.all_objects.visible_to(by)
        .select_related("village")
        .select_for_update(of=("self",))
        .filter(code=code)
        .first()
        if isinstance(code, str)
        else None
    )
    if household is None:
        # The same answer for "does not exist" and "not in your villages".
        raise ChangeRefused(_("Không tìm thấy hộ này trong các thôn bạn quản lý."))
    if not can_edit_households(by, household.village):
        raise ChangeRefused(_("Bạn không có quyền sửa hộ này."))
    if not household.is_followed:
        raise ChangeRefused(_("Hộ này đã ngừng theo dõi."))
    return household


def _bound_form(household, values, *, by):
    """The household form bound to the server's values with ``values`` over them."""
    data = household_values(household)
    data.update(values)
    data = {key: "" if value is None else value for key, value in data.items()}
    data["village"] = household.village_id
    names = data.pop("ecommerce_platforms") or []
    platforms = {p.name.casefold(): p.pk for p in EcommercePlatform.objects.all()}
    data["ecommerce_platforms"] = [
        platforms.get(str(name).casefold(), name) for name in names
    ]
    return HouseholdForm(data, user=by, instance=household)


def _same(name, server, phone):
    """Whether two values of field ``name`` mean the same ("15.85" = "15.850000")."""
    return _canonical(name, server) == _canonical(name, phone)


def _canonical(name, value):
    if value in (None, ""):
        return None if name != "ecommerce_platforms" else []
    try:
        if name in DECIMALS:
            return Decimal(str(value)).normalize()
        if name in COUNT_FIELDS:
            return int(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    if name in BOOLEANS:
        return value is True or value in ("true", "on", "1")
    if name == "ecommerce_platforms":
        if not isinstance(value, list):
            return value
        return sorted({str(item).casefold() for item in value})
    return str(value)


register_kind("household", apply=apply_household_change, replay=replay_household_change)
