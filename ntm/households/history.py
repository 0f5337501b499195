"""The register on any past day: every version of a household or a facility.

django-simple-history keeps a dated copy of the row at every save (and the
bulk writes of imports and the demo record theirs through its bulk helpers),
so "the smart village of 2024" is evaluated from what the register said at
the end of 2024, and the register page can show that day. A version is in
force from its ``history_date`` until the next one; a household that left
the register (``left_on``) is no longer counted from that day.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from simple_history.manager import HistoricalQuerySet

from ntm.accounts.models import Role
from ntm.accounts.permissions import REGISTER_KEEPERS
from ntm.core.text import fold_terms
from ntm.units.scope import ScopedQuerySet, within_paths


def end_of(day):
    """The first instant after ``day`` (local time): versions before it held."""
    return start_of(day + datetime.timedelta(days=1))


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def recorded_by(row, by, *, since=None):
    """Name who makes the next version of ``row`` (and, for a fact recorded
    late such as a departure, the day it holds from, when before today)."""
    row._history_user = by if getattr(by, "is_authenticated", False) else None
    if since is not None and since < timezone.localdate():
        row._history_date = start_of(since)
    else:
        vars(row).pop("_history_date", None)


def is_today_or_later(day):
    return day is None or day >= timezone.localdate()


def households_on(day):
    """The register on ``day``: today's rows, or their versions of that day
    (None: today)."""
    from .models import Household

    if is_today_or_later(day):
        return Household.objects.all()
    return Household.history.followed_on(day)


def facilities_on(day):
    from .models import Facility

    if is_today_or_later(day):
        return Facility.objects.all()
    return Facility.history.on(day)


class RegisterFilters:
    """The register's filters, shared by its rows and their versions."""

    # Versions of a past day sit in the villages of then: a role on a 2025
    # commune covers the 2024 villages that became it.
    scope_lineage = False

    def visible_to(self, user, *roles):
        roles = roles or (*REGISTER_KEEPERS, Role.OFFICE_STAFF)
        if not user.is_authenticated:
            return self.none()
        return self.within_any(user.paths(*roles), lineage=self.scope_lineage)

    def matching(self, query):
        rows = self
        for term in fold_terms(query):
            rows = rows.filter(search_text__contains=term)
        return rows

    def without_address_code(self):
        return self.filter(Q(address_code__isnull=True) | Q(address_code=""))

    def without_location(self):
        return self.filter(Q(lat__isnull=True) | Q(lon__isnull=True))


class RegisterHistoryQuerySet(RegisterFilters, ScopedQuerySet, HistoricalQuerySet):
    """Versions of register rows, read as of a day."""

    scope_field = "village"
    scope_lineage = True

    def followed_by(self, day):
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def left_by(self, day):
        return self.filter(left_on__lte=day)

    def on(self, day):
        """Each row's last version recorded by the end of ``day``, deleted ones
        left out: the register as it stood that evening."""
        return (
            self.filter(history_date__lt=end_of(day))
            .latest_of_each()
            .exclude(history_type="-")
        )

    def in_unit(self, unit):
        """Versions filed under ``unit``'s villages, or under the villages
        that succeeded them (rows kept in today's villages, read for an old
        unit); each once."""
        condition = within_paths([unit.path], "village") | within_paths(
            [unit.path], "village__predecessor_events__predecessors"
        )
        return self.filter(
            pk__in=self.model._base_manager.filter(condition).values("pk")
        )

    def followed_on(self, day):
        """Households of the register on ``day``: recorded by then and not
        left by then (a household that left on 1 March counts on 28 February)."""
        return self.on(day).followed_by(day)


def record_versions(model, rows, *, by=None, reason="", update=True, on=None):
    """One version per row written in bulk (bulk_create / bulk_update / UPDATE
    skip the save signals that record the others). ``on``: the moment the
    facts hold from, for demo years and backdated loads; now by default."""
    model.history.bulk_history_create(
        rows,
        batch_size=2000,
        update=update,
        default_user=by if getattr(by, "is_authenticated", False) else None,
        default_change_reason=reason,
        default_date=on,
    )
