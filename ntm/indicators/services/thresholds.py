"""What a requirement asks (threshold, comparison, confirmation) and which
variant applies to a unit (its region or commune group).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core.audit import log_action, log_actions
from ntm.core.changes import change_fields

from ..models import Requirement, UnitClassification
from .errors import WorkflowError

REQUIREMENT_FIELDS = ["name", "comparison", "threshold", "confirmed", "source", "note"]


@transaction.atomic
def update_requirement(requirement, *, by, **fields):
    """Change a requirement's threshold, comparison, confirmation or notes."""
    unknown = set(fields) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise WorkflowError(_("Không sửa được: %s") % ", ".join(sorted(unknown)))
    changes = change_fields(
        requirement, fields, REQUIREMENT_FIELDS, check=_check_threshold
    )
    requirement.save(update_fields=[*fields, "updated_at"])
    if changes:
        log_action(
            requirement,
            "indicators.requirement.changed",
            by=by,
            data={"changes": changes},
        )
    return requirement


def _check_threshold(requirement):
    if (
        requirement.comparison != Requirement.Comparison.TRUE
        and requirement.threshold is None
    ):
        raise WorkflowError(_("Phép so sánh này cần có ngưỡng."))


@transaction.atomic
def classify_units(scheme, value, units, *, by, replace=False):
    """Put units in class ``value`` of ``scheme``; returns the units changed.

    The class picks threshold variants ("region:DHNTB", "group:2"). A unit
    already classified in the scheme keeps its class unless ``replace`` is
    given, because an admin may have classified it on purpose. Each change is
    logged on the unit.
    """
    limit = UnitClassification._meta.get_field("value").max_length
    for part in (scheme, value):
        if not part or ":" in part or len(part) > limit:
            raise WorkflowError(
                _("Cách phân loại hoặc giá trị không hợp lệ: %s") % part
            )
    units = list(units)
    current = {
        c.unit_id: c
        for c in UnitClassification.objects.filter(
            scheme=scheme, unit__in=[u.pk for u in units]
        )
    }
    created, changed, notes = [], [], {}
    for unit in units:
        existing = current.get(unit.pk)
        if existing is None:
            created.append(UnitClassification(unit=unit, scheme=scheme, value=value))
            notes[unit.pk] = f"{scheme}:{value}"
        elif replace and existing.value != value:
            notes[unit.pk] = f"{scheme}:{value} (trước đây {existing.value})"
            existing.value = value
            changed.append(existing)
    UnitClassification.objects.bulk_create(created)
    UnitClassification.objects.bulk_update(changed, ["value"])
    touched = [u for u in units if u.pk in notes]
    log_actions(
        touched,
        "indicators.classification.set",
        by=by,
        data_for=lambda unit: {"note": notes[unit.pk]},
    )
    return touched
