"""Who may do what with growing areas, diaries and lots.

- A producer account (role "Chủ thể sản xuất", listed in an OCOP entity's
  accounts) declares and keeps its own entity's areas, diary and lots, and
  nothing of another entity's.
- The Agriculture office (office staff of Phòng NN-PTNT) holding a role on
  the area's commune or above inspects, issues, supervises, suspends,
  reinstates and revokes growing-area codes, and may keep records for the
  producers of its communes.
- Anyone reads what the public page shows; staff of the area's units read
  the rest (the households taking part are personal data).
"""

from django.db.models import Q

from ntm.accounts.models import Office, Role
from ntm.ocop.models import Entity

READERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)


def _cached(user, key, compute):
    cache = user.__dict__.setdefault("_trace_permissions", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def office_paths(user):
    """Unit paths where ``user`` works for the Agriculture office."""
    if not user.is_authenticated:
        return []
    return _cached(
        user,
        "office",
        lambda: list(
            user.memberships.filter(
                role=Role.OFFICE_STAFF, office=Office.AGRICULTURE
            ).values_list("unit__path", flat=True)
        ),
    )


def reader_paths(user):
    if not user.is_authenticated:
        return []
    return _cached(user, "readers", lambda: user.paths(*READERS))


def own_entity_ids(user):
    """The OCOP entities ``user`` keeps as a producer account."""
    if not user.is_authenticated:
        return set()

    def compute():
        if not user.memberships.filter(role=Role.PRODUCER).exists():
            return set()
        return set(Entity.objects.of_account(user).values_list("pk", flat=True))

    return _cached(user, "entities", compute)


def _covers(paths, unit):
    return unit is not None and any(unit.path.startswith(p) for p in paths)


def is_producer_of(user, entity):
    return entity is not None and entity.pk in own_entity_ids(user)


def can_open_traceability(user):
    return bool(own_entity_ids(user) or office_paths(user) or reader_paths(user))


def can_read_tracing(user):
    """The households applying traceability, by commune: staff only."""
    return bool(reader_paths(user) or office_paths(user))


def can_declare_area(user, entity):
    return is_producer_of(user, entity) or _covers(office_paths(user), entity.unit)


def can_review_area(user, area):
    """Inspect, issue, supervise, suspend, reinstate, revoke: the office only."""
    return _covers(office_paths(user), area.unit)


def can_keep_area(user, area):
    """Boundary, crop, certificates, households and diary of the area."""
    return is_producer_of(user, area.entity) or can_review_area(user, area)


def can_view_area(user, area):
    return can_keep_area(user, area) or _covers(reader_paths(user), area.unit)


def can_view_households_of(user, area):
    """The households taking part (personal data): staff of the area's units."""
    return _covers(office_paths(user) + reader_paths(user), area.unit)


def can_keep_lot(user, lot):
    return is_producer_of(user, lot.product.entity) or can_review_area(user, lot.area)


def can_view_lot(user, lot):
    return can_keep_lot(user, lot) or _covers(reader_paths(user), lot.area.unit)


def visible_areas(user, areas):
    """The areas of ``areas`` whose records ``user`` may open."""
    condition = Q(entity__in=own_entity_ids(user))
    paths = office_paths(user) + reader_paths(user)
    if paths:
        condition |= Q(pk__in=areas.within_any(paths).values("pk"))
    return areas.filter(condition)


def visible_lots(user, lots):
    condition = Q(product__entity__in=own_entity_ids(user))
    paths = office_paths(user) + reader_paths(user)
    if paths:
        condition |= Q(pk__in=lots.within_any(paths).values("pk"))
    return lots.filter(condition)
