import pytest
from django.core.cache import cache

from ntm.demo.builders import load_demo

# Enough households for every village to have some, few enough to load fast.
DEMO_HOUSEHOLDS = 400


@pytest.fixture
def demo(db):
    """The demo district: units, households, facilities, evaluations, plan,
    OCOP, growing areas, cooperatives, as `make demo` loads them."""
    cache.clear()
    load_demo(households=DEMO_HOUSEHOLDS)
    yield
    cache.clear()
