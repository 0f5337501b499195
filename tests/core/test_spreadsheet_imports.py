"""Every app's import reads through the one framework: the same yes/no words
and blank rule everywhere, and a broken file gets the same Vietnamese answer
on every import page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ntm.accounts.models import Office, Role
from ntm.cooperatives.exports import COOPERATIVES, LINKAGES
from ntm.cooperatives.imports import import_cooperatives, import_linkage_models
from ntm.cooperatives.models import Cooperative, LinkageModel
from ntm.core.spreadsheets import build_workbook
from ntm.households.exports import HOUSEHOLDS
from ntm.households.imports import import_households
from ntm.households.models import Household
from ntm.indicators.exports import VALUES, entered_indicators
from ntm.indicators.imports import import_values
from ntm.indicators.models import IndicatorValue, Period
from ntm.indicators.services import load_all_criteria
from ntm.knowledge.exports import STAFF
from ntm.knowledge.imports import import_staff
from ntm.knowledge.models import ProgramStaff
from ntm.plans.models import Plan
from ntm.plans.services import load_all_plans
from ntm.surveys.models import Survey

from ..factories import make_member
from .packages import repackaged

pytestmark = pytest.mark.django_db

# (cell, what it means): the one vocabulary, folded; blank is "không".
WORDS = [
    ("x", True),
    ("X", True),
    ("có", True),
    ("Có", True),
    ("co", True),
    ("1", True),
    (1, True),
    ("yes", True),
    ("không", False),
    ("khong", False),
    ("0", False),
    (0, False),
    ("", False),
    (None, False),
]


def _file(sheet, row):
    return SimpleUploadedFile("tep.xlsx", build_workbook((sheet, [row])))


def household_fibre(word, units, villages, village_head):
    row = {
        "code": "HN1",
        "village_code": villages["hn1"].code,
        "head_name": "Trần Thị Bình",
        "members": 4,
        "has_fibre": word,
    }
    import_households(_file(HOUSEHOLDS, row), by=village_head)
    return Household.objects.get().has_fibre


def staff_left(word, units, villages, village_head):
    culture = make_member(units["district"], Role.OFFICE_STAFF, Office.CULTURE)
    row = {
        "year": 2024,
        "code": "CB1",
        "full_name": "Lê Văn Nam",
        "unit_code": "20515",
        "has_left": word,
    }
    import_staff(_file(STAFF, row), by=culture)
    return not ProgramStaff.objects.get().is_active


def _agriculture(units):
    user = make_member(units["district"], Role.OFFICE_STAFF, Office.AGRICULTURE)
    user.memberships.create(
        unit=units["city"], role=Role.OFFICE_STAFF, office=Office.AGRICULTURE
    )
    return user


def cooperative_closed(word, units, villages, village_head):
    row = {
        "code": "H1",
        "name": "HTX Hà Nha",
        "commune_code": "20515",
        "founded_on": datetime.date(2018, 3, 1),
        "closed": word,
    }
    import_cooperatives(_file(COOPERATIVES, row), by=_agriculture(units))
    return not Cooperative.objects.get().is_active


def linkage_tied_to_sales(word, units, villages, village_head):
    user = _agriculture(units)
    cooperative = {"code": "H1", "name": "HTX", "commune_code": "20515"}
    import_cooperatives(_file(COOPERATIVES, cooperative), by=user)
    row = {"cooperative_code": "H1", "name": "Liên kết lúa", "tied_to_sales": word}
    import_linkage_models(_file(LINKAGES, row), by=user)
    return LinkageModel.objects.get().tied_to_sales


READERS = [household_fibre, staff_left, cooperative_closed, linkage_tied_to_sales]


@pytest.mark.parametrize(("word", "meaning"), WORDS)
@pytest.mark.parametrize("read", READERS, ids=lambda read: read.__name__)
def test_every_import_reads_yes_no_cells_alike(
    read, word, meaning, units, villages, village_head
):
    assert read(word, units, villages, village_head) is meaning


@pytest.mark.parametrize(
    ("word", "meaning"), [(w, m) for w, m in WORDS if w not in ("", None)]
)
def test_a_yes_no_indicator_value_reads_the_same_words(word, meaning, units):
    # The value column of the entry template is a value, not a yes/no
    # column: a blank there means "not entered" and the row is skipped.
    load_all_criteria()
    commune = units["ha_nha"]
    officer = make_member(commune, Role.COMMUNE_OFFICER)
    row = ["NTM-XA.8.4", None, None, None, word, ""]

    result = import_values(
        _file(VALUES, row),
        unit=commune,
        period=Period.year(2025),
        indicators=entered_indicators(commune, 2025),
        by=officer,
    )

    assert result.created == 1
    assert IndicatorValue.objects.get().value == Decimal(int(meaning))


def test_a_blank_indicator_value_is_skipped(units):
    load_all_criteria()
    commune = units["ha_nha"]
    row = ["NTM-XA.8.4", None, None, None, None, "Chưa có số liệu"]

    result = import_values(
        _file(VALUES, row),
        unit=commune,
        period=Period.year(2025),
        indicators=entered_indicators(commune, 2025),
        by=make_member(commune, Role.COMMUNE_OFFICER),
    )

    assert (result.skipped, IndicatorValue.objects.count()) == (1, 0)


# -- a broken file gets a 4xx and the same message on every import page --------


def _broken_workbook():
    book = Workbook()
    book.active.append(["Mã"])
    buffer = io.BytesIO()
    book.save(buffer)
    return repackaged(
        buffer.getvalue(),
        {"xl/worksheets/sheet1.xml": [b"<worksheet><sheetData><row><c r="]},
    )


def _plan(units):
    load_all_criteria()
    load_all_plans()
    return Plan.objects.get()


def _pages(units, villages, village_head):
    """(url, user) of every import page, each user allowed on it."""
    plan = _plan(units)
    culture = make_member(units["district"], Role.OFFICE_STAFF, Office.CULTURE)
    finance = make_member(units["district"], Role.OFFICE_STAFF, Office.FINANCE)
    agriculture = _agriculture(units)
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER)
    survey = Survey.objects.create(
        title="Khảo sát",
        slug="khao-sat",
        unit=units["ha_nha"],
        opens_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC),
    )
    plan_pages = ["tally-import", "service-import", "pilot-import", "task-import"]
    return [
        (reverse("households:household-import"), village_head),
        (reverse("knowledge:staff-import"), culture),
        (reverse("cooperatives:cooperative-import"), agriculture),
        (reverse("cooperatives:linkage-import"), agriculture),
        *((reverse(f"plans:{name}", args=[plan.code]), culture) for name in plan_pages),
        (reverse("plans:budget-import", args=[plan.code]), finance),
        (reverse("indicators:value-import", args=["20515"]) + "?nam=2025", officer),
        (reverse("surveys:survey-import", args=[survey.pk]), officer),
    ]


def test_malformed_xml_inside_an_xlsx_is_refused_on_every_import_page(
    client, units, villages, village_head
):
    content = _broken_workbook()
    answers = []
    for url, user in _pages(units, villages, village_head):
        client.force_login(user)
        response = client.post(url, {"file": SimpleUploadedFile("tep.xlsx", content)})
        page = response.content.decode()
        answers.append((url, response.status_code, "không phải là tệp Excel" in page))

    assert answers == [(url, 422, True) for url, _status, _said in answers]
