import datetime

import pytest

from ntm.accounts.models import Office, Role
from ntm.reports.models import SectionSpec
from ntm.reports.services import (
    assign_year,
    create_form,
    save_narratives,
    submit_submission,
)

from ..factories import make_member
from ..plans.conftest import plan  # noqa: F401

SECTIONS = [
    (SectionSpec.Kind.PLAN_TARGETS, "Kết quả các chỉ tiêu", ""),
    (SectionSpec.Kind.UNIT_FIGURES, "Số liệu của đơn vị", ""),
    (SectionSpec.Kind.NARRATIVE, "Kết quả thực hiện", "Nêu các việc đã làm."),
    (SectionSpec.Kind.NARRATIVE, "Kiến nghị", ""),
]


def make_form(units, year, plan=None, **extra):  # noqa: F811
    return create_form(
        year=year,
        title=f"Báo cáo chuyển đổi số năm {year}",
        unit=units["district"],
        plan=plan,
        sections=SECTIONS,
        by=None,
        **extra,
    )


@pytest.fixture
def form_2025(units):
    form = make_form(units, 2025)
    assign_year(form, by=None)
    return form


@pytest.fixture
def focal(units):
    return make_member(
        units["district"], Role.OFFICE_STAFF, Office.CULTURE, username="vhtt"
    )


def at(day, hour=9):
    from django.utils import timezone

    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def send(submission, *, by=None, at=None, text="Đã tập huấn kỹ năng số."):
    """Write the report's narrative section and submit it (an empty report
    is refused)."""
    save_narratives(submission, narratives={"3": text}, by=by)
    return submit_submission(submission, by=by, at=at)
