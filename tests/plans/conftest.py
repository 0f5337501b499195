import pytest

from ntm.indicators.services import load_all_criteria
from ntm.plans.models import Plan
from ntm.plans.services import load_all_plans


@pytest.fixture
def plan(units):
    """The Đại Lộc plan, loaded from its data file over the criteria files."""
    load_all_criteria()
    load_all_plans()
    return Plan.objects.get()
