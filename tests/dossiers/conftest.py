import datetime

import pytest
from django.utils import timezone

from ntm.accounts.models import Role
from ntm.dossiers.models import Dossier
from ntm.dossiers.services import (
    add_posting,
    appraise_criterion,
    complete_appraisal,
    create_dossier,
    decide_dossier,
    self_assess_dossier,
    submit_dossier,
)
from ntm.indicators.models import Indicator, Period, Requirement
from ntm.indicators.services import approve_value, save_value, submit_value
from ntm.units.models import Unit
from tests.factories import UserFactory, make_member
from tests.indicators.conftest import make_indicator, make_set

YEAR = 2025


@pytest.fixture
def commune_set(db):
    """A two-criterion stand-in for the commune NTM set of 2021-2025."""
    fibre = make_indicator(
        "XA.8.4", level=Unit.Level.COMMUNE, measure=Indicator.Measure.PERCENT
    )
    post = make_indicator(
        "XA.8.1", level=Unit.Level.COMMUNE, measure=Indicator.Measure.BOOLEAN
    )
    return make_set(
        "XA_NTM_2021_2025",
        ("8", "8.4", fibre, Requirement.Comparison.GTE, 80),
        ("9", "9.1", post, Requirement.Comparison.TRUE, None),
        level=Unit.Level.COMMUNE,
        first_year=2022,
        last_year=2025,
    )


@pytest.fixture
def enter(db):
    """Enter, submit and approve a value through the engine's services."""
    officer, reviewer = UserFactory(), UserFactory()

    def enter(code, unit, value, year=YEAR):
        entry = save_value(
            indicator=Indicator.objects.get(code=code),
            unit=unit,
            period=Period.year(year),
            value=value,
            by=officer,
        )
        submit_value(entry, by=officer)
        return approve_value(entry, by=reviewer)

    return enter


@pytest.fixture
def met_figures(units, commune_set, enter):
    enter("XA.8.4", units["ha_nha"], "92.5")
    enter("XA.8.1", units["ha_nha"], "1")


@pytest.fixture
def council(units):
    return make_member(
        units["city"], Role.COUNCIL_MEMBER, chairs=True, username="hoidong"
    )


@pytest.fixture
def admin(units):
    return make_member(units["city"], Role.DISTRICT_ADMIN, username="quantri")


@pytest.fixture
def draft(units, commune_set, commune_officer):
    return create_dossier(
        units["ha_nha"], kind=Dossier.Kind.NTM, year=YEAR, by=commune_officer
    )


def backdate_assessment(dossier, days=20):
    """The self-assessment as if made ``days`` ago, so that postings can
    spread over the weeks after it."""
    moment = timezone.now() - datetime.timedelta(days=days)
    Dossier.objects.filter(pk=dossier.pk).update(assessed_at=moment)
    dossier.refresh_from_db()
    return dossier


def post_times(dossier, by, count=5, *, spacing=3, last=0):
    today = timezone.localdate()
    for n in range(count):
        add_posting(
            dossier,
            posted_on=today - datetime.timedelta(days=last + n * spacing),
            place=f"Nhà văn hóa thôn {n + 1}",
            by=by,
        )
    return dossier


@pytest.fixture
def posted(draft, commune_officer, met_figures):
    self_assess_dossier(draft, by=commune_officer)
    backdate_assessment(draft)
    return post_times(draft, commune_officer)


@pytest.fixture
def submitted(posted, commune_officer):
    return submit_dossier(posted, by=commune_officer)


@pytest.fixture
def appraised(submitted, council):
    for number in ("8", "9"):
        appraise_criterion(
            submitted, criterion_number=number, verdict="met", comment="", by=council
        )
    return complete_appraisal(
        submitted, result="met", summary="Đủ điều kiện.", by=council
    )


@pytest.fixture
def recognised(appraised, admin):
    return decide_dossier(
        appraised,
        recognised=True,
        number="123/QĐ-UBND",
        date=timezone.localdate(),
        signer="Nguyễn Văn Ký",
        signer_position="Chủ tịch UBND thành phố",
        by=admin,
    )
