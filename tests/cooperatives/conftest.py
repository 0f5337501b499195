import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ntm.cooperatives.models import DigitalTechnology
from ntm.cooperatives.services import create_cooperative, create_linkage_model
from ntm.indicators.services import load_all_criteria
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
    """Communes of 2024 by code (before the 2025 merger)."""
    return {
        unit.code: unit
        for unit in Unit.objects.valid_on(BEFORE_2025)
        .communes()
        .within(units["district"])
    }


@pytest.fixture
def ecommerce(db):
    return DigitalTechnology.objects.get(code="thuong-mai-dien-tu")


@pytest.fixture
def make_cooperative(db, ecommerce):
    counter = iter(range(1, 10_000))

    def make(commune, *, digital=False, **fields):
        fields.setdefault("code", f"HTX{next(counter):04d}")
        fields.setdefault("name", f"HTX Nông nghiệp {fields['code']}")
        fields.setdefault("founded_on", datetime.date(2018, 3, 1))
        if digital:
            # A history: digital since its founding unless the test says.
            fields.setdefault("digital_since", fields["founded_on"])
        return create_cooperative(
            commune=commune,
            applies_digital_technology=digital,
            technologies=[ecommerce] if digital else [],
            by=None,
            **fields,
        )

    return make


@pytest.fixture
def make_linkage(db):
    def make(cooperative, **fields):
        fields.setdefault("name", "Liên kết tiêu thụ lúa")
        if fields.get("has_raw_material_area"):
            fields.setdefault("raw_material_area", "Cánh đồng lớn")
        if fields.get("applies_digital_technology"):
            fields.setdefault("digital_since_year", fields.get("started_year") or 2018)
        return create_linkage_model(cooperative=cooperative, by=None, **fields)

    return make


@pytest.fixture
def login(client):
    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


def xlsx(header, rows, *, title):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("hop-tac-xa.xlsx", buffer.getvalue())
