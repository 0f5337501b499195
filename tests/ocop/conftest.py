import datetime
from decimal import Decimal

import pytest

from ntm.accounts.models import Membership, Office, Role
from ntm.ocop.models import ScoringCriterion, ScoringSheet
from ntm.ocop.services import (
    approve_evaluation,
    certify_evaluation,
    enter_product,
    load_all_scoring_sheets,
    score_evaluation,
)

from ..factories import (
    EntityFactory,
    EvaluationRoundFactory,
    ProductFactory,
    make_member,
)


@pytest.fixture
def sheets(db):
    load_all_scoring_sheets()
    return {sheet.group: sheet for sheet in ScoringSheet.objects.all()}


@pytest.fixture
def office(units):
    """The Agriculture office, on the old district and on today's city."""
    user = make_member(
        units["district"], Role.OFFICE_STAFF, office=Office.AGRICULTURE, username="nn"
    )
    Membership.objects.create(
        user=user, unit=units["city"], role=Role.OFFICE_STAFF, office=Office.AGRICULTURE
    )
    return user


@pytest.fixture
def council(units):
    return make_member(units["city"], Role.COUNCIL_MEMBER, username="hoidong")


@pytest.fixture
def producer(villages):
    return make_member(villages["hn1"], Role.PRODUCER, username="sanxuat")


@pytest.fixture
def entity(units, producer):
    """An enterprise registered in Xã Đại Đồng (merged into Hà Nha in 2025)."""
    entity = EntityFactory(unit=units["dai_dong"], name="Công ty TNHH Mật ong Đại Đồng")
    entity.accounts.add(producer)
    return entity


@pytest.fixture
def product(entity):
    return ProductFactory(entity=entity, name="Mật ong rừng Đại Đồng")


@pytest.fixture
def evaluation_round(units):
    return EvaluationRoundFactory(
        unit=units["city"], held_on=datetime.date(2025, 10, 20)
    )


def points_for(evaluation, total):
    """Points per criterion adding up to ``total``, filled in sheet order."""
    left = Decimal(str(total))
    points = {}
    for criterion in ScoringCriterion.objects.filter(
        part__sheet=evaluation.sheet
    ).order_by("part__order", "order"):
        given = min(criterion.max_points, left)
        points[criterion.pk] = given
        left -= given
    assert left == 0
    return points


@pytest.fixture
def make_evaluation(sheets, evaluation_round, office, council):
    """An evaluation walked by the services to ``until``, with ``total`` points."""

    def make(product, total=Decimal("75"), until="certify", day=None, round_=None):
        evaluation = enter_product(
            round_ or evaluation_round, product=product, by=office
        )
        if until == "enter":
            return evaluation
        score_evaluation(evaluation, points=points_for(evaluation, total), by=council)
        if until == "score":
            return evaluation
        approve_evaluation(evaluation, by=office)
        if until == "approve":
            return evaluation
        return certify_evaluation(
            evaluation,
            number="123/QĐ-UBND",
            certificate_date=day or datetime.date(2025, 11, 25),
            by=office,
        )

    return make


@pytest.fixture
def login(client):
    """Sign a user in; django-axes comes first in the backends, so name one."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
