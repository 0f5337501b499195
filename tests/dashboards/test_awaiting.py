"""The home page of a commune officer and a village head: what awaits them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ntm.accounts.models import Role
from ntm.dashboards.awaiting import awaiting
from ntm.dossiers.models import Dossier
from ntm.indicators.models import Period, Requirement
from ntm.indicators.services import return_value, save_value, submit_value
from ntm.reports.models import Submission
from ntm.reports.services import assign_year, return_submission
from ntm.surveys.services import submit_response
from ntm.units.models import Unit

from ..factories import HouseholdFactory, UserFactory, make_member, make_village
from ..indicators.conftest import make_indicator, make_set
from ..reports.conftest import make_form, send
from ..surveys.conftest import make_survey

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def lines(items, kind):
    return [(item.title, item.count) for item in items if item.kind == kind]


@pytest.fixture
def commune_indicators(db):
    """Three entered commune indicators of a set in force this year."""
    indicators = [
        make_indicator(f"XA.T.{n}", level=Unit.Level.COMMUNE) for n in (1, 2, 3)
    ]
    make_set(
        "XA_THU",
        *[
            ("1", f"1.{n}", indicator, Requirement.Comparison.GTE, 1)
            for n, indicator in enumerate(indicators, start=1)
        ],
        level=Unit.Level.COMMUNE,
        first_year=YEAR - 1,
        last_year=YEAR + 1,
    )
    return indicators


def test_commune_officer_sees_values_to_enter_and_values_returned(
    units, commune_officer, commune_indicators
):
    clerk, reviewer = UserFactory(), UserFactory()
    first, second, _third = commune_indicators
    period = Period.year(YEAR)
    sent = save_value(
        indicator=first, unit=units["ha_nha"], period=period, value="1", by=clerk
    )
    submit_value(sent, by=clerk)
    back = save_value(
        indicator=second, unit=units["ha_nha"], period=period, value="0", by=clerk
    )
    submit_value(back, by=clerk)
    return_value(back, by=reviewer, reason="Thiếu minh chứng")

    items = awaiting(commune_officer)

    assert lines(items, "values") == [
        ("Số liệu bị trả lại — Xã Hà Nha", 1),
        (f"Nhập số liệu năm {YEAR} — Xã Hà Nha", 2),
    ]
    returned = next(item for item in items if item.kind == "values")
    assert returned.urgent
    assert (
        returned.url
        == f"{reverse('indicators:value-entry', args=['20515'])}?nam={YEAR}"
    )


def test_commune_officer_sees_reports_due_and_returned(units, commune_officer):
    form = make_form(units, YEAR)
    assign_year(form, by=None)
    mine = Submission.objects.get(assignment__unit=units["ha_nha"])
    send(mine)
    return_submission(mine, reason="Bổ sung số liệu quý III.", by=None)

    items = awaiting(commune_officer)

    assert lines(items, "reports") == [(f"Báo cáo năm {YEAR} — Xã Hà Nha", 1)]
    (report,) = [item for item in items if item.kind == "reports"]
    assert report.note == "trả lại để sửa: Bổ sung số liệu quý III."
    assert report.urgent
    assert report.url == mine.assignment.get_absolute_url()


def test_commune_officer_sees_unfinished_and_refused_dossiers(units, commune_officer):
    criteria_set = make_set("XA_HS", level=Unit.Level.COMMUNE)
    for year, kind, status in [
        (2024, Dossier.Kind.NTM, Dossier.Status.REFUSED),
        (2025, Dossier.Kind.NTM, Dossier.Status.POSTED),
        (2025, Dossier.Kind.ADVANCED, Dossier.Status.DRAFT),
    ]:
        Dossier.objects.create(
            unit=units["ha_nha"],
            kind=kind,
            year=year,
            criteria_set=criteria_set,
            status=status,
        )
    Dossier.objects.create(
        unit=units["vu_gia"],
        kind=Dossier.Kind.NTM,
        year=2025,
        criteria_set=criteria_set,
    )

    items = awaiting(commune_officer)

    assert lines(items, "dossiers") == [
        ("Hồ sơ không được công nhận", 1),
        ("Hồ sơ xét công nhận chưa trình", 2),
    ]


def test_village_head_sees_households_missing_facts_in_his_village(
    villages, village_head
):
    HouseholdFactory(village=villages["hn1"], address_code=None, lat=None, lon=None)
    HouseholdFactory(
        village=villages["hn1"], address_code="A-1", lat="15.8", lon="108.0"
    )
    HouseholdFactory(village=villages["hn2"], address_code=None)  # not his

    items = awaiting(village_head)

    assert lines(items, "households") == [
        ("Hộ chưa có mã địa chỉ số", 1),
        ("Hộ chưa có tọa độ trên bản đồ", 1),
    ]
    assert items[-1].url == reverse("households:household-list") + "?no_location=on"


def test_village_head_sees_the_open_survey_of_his_commune(
    units, villages, village_head
):
    survey = make_survey(units["ha_nha"], title="Lấy ý kiến sự hài lòng")
    answered, _waiting = HouseholdFactory.create_batch(2, village=villages["hn1"])
    HouseholdFactory(village=villages["hn2"])  # another village head's
    submit_response(survey, household=answered, answers={})

    items = awaiting(village_head)

    assert lines(items, "surveys") == [("Lấy ý kiến sự hài lòng", 1)]
    assert items[-1].url == reverse("surveys:paper-add", args=[survey.pk])


def test_nothing_awaits_an_anonymous_visitor_or_a_user_without_role(client, db):
    assert awaiting(UserFactory()) == []

    response = client.get(reverse("home"))

    assert "Việc cần làm" not in response.content.decode()


def test_home_lists_what_awaits_with_counts_and_links(client, villages, village_head):
    HouseholdFactory.create_batch(3, village=villages["hn1"], address_code=None)
    client.force_login(village_head)

    html = client.get(reverse("home")).content.decode()

    assert "Việc cần làm" in html
    assert '<span class="awaiting-count">3</span>' in html
    assert 'href="/ho-gia-dinh/?no_address_code=on"' in html


def test_home_query_count_does_not_grow_with_units_and_records(
    client, units, commune_indicators
):
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER)
    form = make_form(units, YEAR)
    assign_year(form, by=None)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")

    def grow(number):
        village = make_village(units["ha_nha"], number)
        officer.memberships.create(unit=village, role=Role.VILLAGE_HEAD)
        HouseholdFactory.create_batch(2, village=village, address_code=None)

    grow(1)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    grow(2)
    grow(3)

    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("home"))

    assert len(response.context["awaiting"]) >= 3
    assert len(three) == len(one)
