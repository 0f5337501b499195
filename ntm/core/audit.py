"""The audit trail: every service that changes an official record calls log_action."""

from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from .models import ActionLog
from .publiccache import bump_data_version


@cache
def action_labels():
    """{action name: Vietnamese label} declared by every installed app.

    Each app lists the actions its services log in its AppConfig, as
    ``action_labels = {"households.household.created": _("Thêm hộ"), …}``;
    a test fails when a ``log_action`` name has no label.
    """
    labels = {}
    for config in apps.get_app_configs():
        labels.update(getattr(config, "action_labels", {}))
    return labels


def action_label(action):
    """What an action is called on screen; the raw name only if unlabelled."""
    return action_labels().get(action, action)


def snapshot(obj, fields):
    """The current values of ``fields`` on ``obj``, as JSON-ready text."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            value = ", ".join(sorted(str(item) for item in getattr(obj, name).all()))
        else:
            value = getattr(obj, name)
            if hasattr(obj, f"get_{name}_display"):
                value = getattr(obj, f"get_{name}_display")()
        values[name] = _as_text(value)
    return values


def diff(obj, before, after):
    """The fields whose value differs between two snapshots, with their labels."""
    return {
        name: {
            "label": str(obj._meta.get_field(name).verbose_name),
            "old": before.get(name),
            "new": after[name],
        }
        for name in after
        if before.get(name) != after[name]
    }


def log_action(obj, action, *, by, data=None):
    """Record that ``by`` did ``action`` (``app.noun.verb``) to ``obj``.

    The public pages' data version moves once the write commits.
    """
    bump_data_version()
    return ActionLog.objects.create(**_entry(obj, action, by=by, data=data))


def log_actions(objs, action, *, by, data_for=None):
    """Record the same action on many objects with one INSERT (imports).

    Objects are of one model; its content type and the actor are looked up
    once, not per row (an import of 40,000 households logs 40,000 rows).
    """
    objs = list(objs)
    if not objs:
        return []
    content_type = ContentType.objects.get_for_model(objs[0], for_concrete_model=False)
    actor = by if by is not None and by.is_authenticated else None
    entries = [
        ActionLog(
            actor=actor,
            action=action,
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:255],
            data=(data_for(obj) if data_for else None) or {},
        )
        for obj in objs
    ]
    bump_data_version()
    return ActionLog.objects.bulk_create(entries, batch_size=2000)


def _entry(obj, action, *, by, data):
    return {
        "actor": by if by is not None and by.is_authenticated else None,
        "action": action,
        "content_type": ContentType.objects.get_for_model(
            obj, for_concrete_model=False
        ),
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:255],
        "data": data or {},
    }


def _as_text(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
