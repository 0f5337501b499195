import random

import pytest

from ntm.reports.demo import build
from ntm.reports.models import Submission

pytestmark = pytest.mark.django_db


def test_build_makes_the_2025_form_with_most_submitted(plan):
    form = build(random.Random(1))
    assert (form.year, form.is_demo, form.assignments.count()) == (2025, True, 10)
    statuses = Submission.objects.exclude(status=Submission.Status.DRAFT).count()
    assert statuses == 8
    assert Submission.objects.filter(is_late=True).exists()
    assert Submission.objects.filter(status=Submission.Status.ACCEPTED).count() == 2
