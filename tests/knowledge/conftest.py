import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ntm.indicators.services import load_all_criteria
from ntm.knowledge.services import add_participant, create_staff, create_training
from ntm.plans.models import Plan
from ntm.plans.services import load_all_plans
from ntm.units.models import Unit

BEFORE_2025 = datetime.date(2024, 12, 31)


@pytest.fixture
def plan(units):
    """The Đại Lộc plan, loaded from its data file over the criteria files."""
    load_all_criteria()
    load_all_plans()
    return Plan.objects.get()


@pytest.fixture
def old(units):
    """Communes of 2024 (before the merger)."""
    return {
        "dai_dong": units["dai_dong"],
        "dai_hong": Unit.objects.by_code("20512", on=BEFORE_2025),
    }


@pytest.fixture
def login(client):
    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def make_staff(db):
    counter = iter(range(1, 10_000))

    def make(unit, year=2024, **fields):
        fields.setdefault("code", f"CB{next(counter):04d}")
        fields.setdefault("full_name", "Nguyễn Văn An")
        return create_staff(unit=unit, year=year, by=None, **fields)

    return make


@pytest.fixture
def make_training(units):
    def make(day=datetime.date(2024, 5, 10), topic="digital", organiser=None, **f):
        f.setdefault("title", "Tập huấn chuyển đổi số")
        return create_training(
            organiser=organiser or units["district"],
            held_on=day,
            topic=topic,
            by=None,
            **f,
        )

    return make


@pytest.fixture
def attend():
    def add(training, staff, attended=True):
        return add_participant(training, staff=staff, attended=attended, by=None)

    return add


def xlsx(header, rows, *, name="danh-sach.xlsx", title="Cán bộ"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
