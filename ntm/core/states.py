"""Workflow states in one place: the choices declare their transitions.

A record's status is a ``StateChoices`` (a ``TextChoices``) whose class also
lists, beside the states, the named transitions between them and the
groups services and filters ask about (as pretalx keeps its valid next
states on its enum)::

    class Status(StateChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")

        TRANSITIONS = transitions(
            submit=Transition(_("Gửi duyệt"), sources=["draft"], target="submitted"),
            approve=Transition(_("Duyệt"), sources=["submitted"], target="approved"),
        )
        GROUPS = groups(open=["draft", "submitted"])

Services call ``Status.check(record.status, "approve", WorkflowError)``
inside the transaction that locked the row (``lock(record)``); views hand
templates ``Status.actions_from(record.status, allowed=…)`` (filtered by
permission) instead of templates comparing statuses with literals: a
template loops over the actions, or asks for one by name
(``{% if actions.approve %}``).
"""

from dataclasses import dataclass
from enum import nonmember

from django.db import models
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Transition:
    """A named step: the states it may start from and the state it leads to."""

    label: str
    sources: tuple
    target: str
    # A transition that needs the user to confirm (or give a reason) in the UI.
    dangerous: bool = False
    # The question the page asks before doing it ("" when it asks none).
    confirm: str = ""

    def __init__(self, label, *, sources, target, dangerous=False, confirm=""):
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "sources", tuple(_value(s) for s in sources))
        object.__setattr__(self, "target", _value(target))
        object.__setattr__(self, "dangerous", dangerous)
        object.__setattr__(self, "confirm", confirm)


@dataclass(frozen=True)
class Action:
    """A transition offered from a given state, for templates."""

    name: str
    label: str
    target: str
    dangerous: bool
    confirm: str = ""


class Actions(list):
    """The actions open now, in order; ``actions["approve"]`` (in a template
    ``actions.approve``) is that action, or None when it is not open."""

    def __getitem__(self, key):
        if isinstance(key, str):
            return next((action for action in self if action.name == key), None)
        return super().__getitem__(key)


def transitions(**named):
    """The ``TRANSITIONS`` of a StateChoices: {name: Transition}."""
    return nonmember(dict(named))


def groups(**named):
    """The ``GROUPS`` of a StateChoices: {name: frozenset of state values}."""
    return nonmember(
        {name: frozenset(map(_value, states)) for name, states in named.items()}
    )


def _value(state):
    # Inside the class body a state is still its (value, label) tuple.
    return str(state[0] if isinstance(state, tuple) else state)


class StateChoices(models.TextChoices):
    """TextChoices with transitions and groups (see the module docstring)."""

    @classmethod
    def _transitions(cls):
        return cls.__dict__.get("TRANSITIONS") or {}

    @classmethod
    def _groups(cls):
        return cls.__dict__.get("GROUPS") or {}

    @classmethod
    def transition(cls, name):
        return cls._transitions()[name]

    @classmethod
    def allows(cls, state, name):
        """True when transition ``name`` may start from ``state``."""
        transition = cls._transitions().get(name)
        return transition is not None and str(state) in transition.sources

    @classmethod
    def check(cls, state, name, error, message=None):
        """The transition's target state, or raise ``error`` with ``message``
        (by default one naming the transition and the state)."""
        if not cls.allows(state, name):
            raise error(
                message
                or _("Không thể “%(action)s” khi đang ở trạng thái “%(state)s”.")
                % {"action": cls.transition(name).label, "state": cls(state).label}
            )
        return cls(cls.transition(name).target)

    @classmethod
    def actions_from(cls, state, *, allowed=None):
        """The transitions open from ``state`` (among ``allowed`` names if given)."""
        return Actions(
            Action(name, t.label, t.target, t.dangerous, t.confirm)
            for name, t in cls._transitions().items()
            if str(state) in t.sources and (allowed is None or name in allowed)
        )

    @classmethod
    def group(cls, name):
        """The states of group ``name``, as members (for ``status__in``)."""
        return [cls(value) for value in sorted(cls._groups()[name])]

    @classmethod
    def in_group(cls, state, name):
        return str(state) in cls._groups()[name]

    @classmethod
    def sources_of(cls, name):
        """The states transition ``name`` may start from (for locked updates)."""
        return [cls(value) for value in cls._transitions()[name].sources]


def lock(record):
    """Re-read ``record`` with its row locked, inside the caller's transaction.

    A transition checks the state as committed, not as the caller last saw
    it: two clicks at once, or an approval racing a return, make one change.
    (SQLite takes its write lock at BEGIN IMMEDIATE, which serialises too.)
    Related objects already loaded stay loaded unless their key changed.
    """
    fresh = type(record)._base_manager.select_for_update().get(pk=record.pk)
    for field in record._meta.concrete_fields:
        # Setting a foreign key's id drops its cached object only if it differs.
        setattr(record, field.attname, getattr(fresh, field.attname))
    return record
