import pytest

from ntm.units.panels import panels_for, register_panel, unregister_panel


@pytest.fixture
def registered():
    added = []

    def add(func):
        added.append(register_panel(func))
        return func

    yield add
    for func in added:
        unregister_panel(func)


def test_panels_for_keeps_order_and_skips_none(registered):
    registered(lambda unit, request: {"title": "A", "value": 1, "url": ""})
    registered(lambda unit, request: None)
    registered(lambda unit, request: {"title": unit, "value": 2, "url": ""})

    panels = panels_for("Xã Hà Nha", request=None)

    assert panels == [
        {"title": "A", "value": 1, "url": ""},
        {"title": "Xã Hà Nha", "value": 2, "url": ""},
    ]


def test_register_panel_twice_shows_it_once(registered):
    def panel(unit, request):
        return {"title": "A", "value": 1, "url": ""}

    registered(panel)
    registered(panel)

    assert panels_for("x", request=None) == [{"title": "A", "value": 1, "url": ""}]
