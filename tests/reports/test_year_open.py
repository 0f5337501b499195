import datetime

import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.reports.models import Assignment, ReportForm
from ntm.reports.services import ReportError, open_year

from ..factories import make_member

pytestmark = pytest.mark.django_db

LOGIN = "django.contrib.auth.backends.ModelBackend"


def test_open_year_assigns_the_offices_and_the_communes_of_that_year(plan, units):
    form = open_year(
        year=2026,
        unit=units["district"],
        due_date=datetime.date(2026, 10, 1),
        plan=plan,
        by=None,
    )

    communes = form.assignments.filter(office="").values_list("unit__name", flat=True)
    assert sorted(communes) == [
        "Xã Hà Nha",
        "Xã Phú Thuận",
        "Xã Thượng Đức",
        "Xã Vu Gia",
        "Xã Đại Lộc",
    ]
    assert form.assignments.exclude(office="").count() == 5
    assert [s.kind for s in form.sections.all()][:2] == ["plan_targets", "unit_figures"]


def test_open_year_refuses_a_second_form_and_a_due_date_in_another_year(plan, units):
    open_year(
        year=2026,
        unit=units["district"],
        due_date=datetime.date(2026, 10, 1),
        by=None,
    )

    with pytest.raises(ReportError, match="đã có mẫu"):
        open_year(
            year=2026,
            unit=units["district"],
            due_date=datetime.date(2026, 9, 1),
            by=None,
        )
    with pytest.raises(ReportError, match="trong năm báo cáo"):
        open_year(
            year=2027,
            unit=units["district"],
            due_date=datetime.date(2028, 1, 1),
            by=None,
        )
    assert ReportForm.objects.count() == 1


def test_focal_office_opens_a_year_through_the_page(client, plan, focal):
    client.force_login(focal, backend=LOGIN)

    response = client.post(
        reverse("reports:year-open"), {"year": "2026", "due_date": "01/10/2026"}
    )

    assert response.status_code == 302
    assert Assignment.objects.filter(form__year=2026).count() == 10


def test_commune_officer_cannot_open_a_year(client, plan, units):
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER)
    client.force_login(officer, backend=LOGIN)

    response = client.post(
        reverse("reports:year-open"), {"year": "2026", "due_date": "01/10/2026"}
    )

    assert response.status_code == 403
    assert ReportForm.objects.count() == 0
