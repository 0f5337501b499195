"""Who may do what with OCOP records.

- Keepers of the register (entities, products, sales channels, green
  chains) on the units they hold: district admins, the Agriculture office
  and commune officers. The Economy office, which runs e-commerce and trade
  promotion, also keeps sales channels.
- A producer account is tied to its entity by ``Entity.accounts`` (a keeper
  adds it there); it holds the PRODUCER role and edits only the entities
  listing it: their profile, products, sales channels and green chains.
- Evaluations: the Agriculture office (and district admins) put products
  into a round; council members score the products of the units they hold;
  the Agriculture office approves, sends back and records the certificate.
- District admins load or replace the scoring sheets.

A role on a unit covers everything below it, and records kept under a
commune merged in 2025 are covered by whoever holds its successor.
"""

from django.db.models import Q

from ntm.accounts.models import Office, Role
from ntm.accounts.permissions import can_export_personal_data
from ntm.units.models import Unit

VIEWERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)


def _cached(user, key, query):
    if not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_ocop_paths", {})
    if key not in cache:
        cache[key] = list(
            user.memberships.filter(query).values_list("unit__path", flat=True)
        )
    return cache[key]


def keeper_paths(user):
    """Unit paths under which ``user`` keeps the OCOP register."""
    return _cached(
        user,
        "keep",
        Q(role__in=[Role.DISTRICT_ADMIN, Role.COMMUNE_OFFICER])
        | Q(role=Role.OFFICE_STAFF, office=Office.AGRICULTURE),
    )


def channel_keeper_paths(user):
    return _cached(
        user,
        "channels",
        Q(role__in=[Role.DISTRICT_ADMIN, Role.COMMUNE_OFFICER])
        | Q(role=Role.OFFICE_STAFF, office__in=[Office.AGRICULTURE, Office.ECONOMY]),
    )


def office_paths(user):
    """Where ``user`` decides evaluations: the Agriculture office."""
    return _cached(user, "office", Q(role=Role.OFFICE_STAFF, office=Office.AGRICULTURE))


def round_keeper_paths(user):
    return _cached(
        user,
        "rounds",
        Q(role=Role.DISTRICT_ADMIN)
        | Q(role=Role.OFFICE_STAFF, office=Office.AGRICULTURE),
    )


def council_paths(user):
    return _cached(user, "council", Q(role=Role.COUNCIL_MEMBER))


def viewer_paths(user):
    """Staff who see the register's private parts (representatives, drafts)."""
    return _cached(user, "view", Q(role__in=VIEWERS))


def can_export_entities(user):
    """The entity export carries representatives, phones and contacts: staff
    who see entities and may export personal data (accounts' rule: not every
    office, not the police)."""
    return bool(viewer_paths(user)) and can_export_personal_data(user)


def is_producer(user):
    return bool(_cached(user, "producer", Q(role=Role.PRODUCER)))


def covers(paths, unit):
    """True when ``unit`` lies within ``paths``, or within them by lineage."""
    if not paths or unit is None:
        return False
    if any(unit.path.startswith(path) for path in paths):
        return True
    if unit.valid_to is None and (unit.parent is None or unit.parent.valid_to is None):
        return False
    return Unit.objects.filter(pk=unit.pk).within_any(paths, lineage=True).exists()


def is_entity_account(user, entity):
    """A producer account listed on ``entity``."""
    if not user.is_authenticated or not is_producer(user):
        return False
    owned = user.__dict__.setdefault("_ocop_entities", None)
    if owned is None:
        owned = set(user.ocop_entities.values_list("pk", flat=True))
        user.__dict__["_ocop_entities"] = owned
    return entity.pk in owned


# -- the register ---------------------------------------------------------------


def can_create_entity(user):
    return bool(keeper_paths(user))


def can_keep_unit(user, unit):
    return covers(keeper_paths(user), unit)


def can_manage_entity(user, entity):
    """Keepers: every field, including the unit and the accounts."""
    return can_keep_unit(user, entity.unit)


def can_edit_entity(user, entity):
    """Keepers, or the entity's own producer account (its public profile)."""
    return can_manage_entity(user, entity) or is_entity_account(user, entity)


def can_view_private(user, entity):
    """Representative, phone, unpublished contact, evaluations in progress."""
    return covers(viewer_paths(user), entity.unit) or is_entity_account(user, entity)


def can_edit_product(user, product):
    return can_edit_entity(user, product.entity)


def can_add_product(user, entity):
    return can_edit_entity(user, entity)


def can_edit_channel(user, entity):
    return covers(channel_keeper_paths(user), entity.unit) or is_entity_account(
        user, entity
    )


def can_edit_green_chain(user, entity):
    return can_edit_entity(user, entity)


def can_import(user):
    return can_create_entity(user)


# -- evaluations ------------------------------------------------------------------


def can_manage_rounds(user):
    return bool(round_keeper_paths(user))


def can_edit_round(user, evaluation_round):
    return covers(round_keeper_paths(user), evaluation_round.unit)


def can_enter_product(user, evaluation_round, product):
    """Put ``product`` into ``evaluation_round``."""
    return can_edit_round(user, evaluation_round) and covers(
        round_keeper_paths(user), product.entity.unit
    )


def can_score_evaluation(user, evaluation):
    return covers(council_paths(user), evaluation.product.entity.unit)


def can_decide_evaluation(user, evaluation):
    """Approve, send back, record the certificate: the Agriculture office."""
    return covers(office_paths(user), evaluation.product.entity.unit)


def can_view_evaluation(user, evaluation):
    if evaluation.status == evaluation.Status.CERTIFIED:
        return True
    entity = evaluation.product.entity
    return (
        can_view_private(user, entity)
        or can_score_evaluation(user, evaluation)
        or can_decide_evaluation(user, evaluation)
    )


def allowed_actions(user, evaluation):
    """The transition names ``user`` may take on ``evaluation``."""
    allowed = set()
    if can_score_evaluation(user, evaluation):
        allowed.add("score")
    if can_decide_evaluation(user, evaluation):
        allowed |= {"approve", "send_back", "certify"}
    return allowed


def can_load_sheets(user):
    return bool(_cached(user, "admin", Q(role=Role.DISTRICT_ADMIN)))


def evaluation_reader_paths(user):
    """Paths under which ``user`` sees evaluations that are not certified yet."""
    return [*viewer_paths(user), *council_paths(user)]


def round_reader_paths(user):
    """Paths under which ``user`` opens evaluation rounds and their queue:
    readers of evaluations and the office that decides them."""
    return [*evaluation_reader_paths(user), *office_paths(user)]
