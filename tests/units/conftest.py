import pytest


@pytest.fixture(autouse=True)
def only_test_panels(monkeypatch):
    """Unit pages here show only the panels a test registers itself.

    Apps above units (households) register theirs at start-up; their own tests
    check them. Here the page is checked alone.
    """
    monkeypatch.setattr("ntm.units.panels._panels", [])
