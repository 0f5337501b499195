"""Panels on a unit's page that apps above units contribute.

Apps higher in the dependency order (households, indicators...) know things
about a unit that the units app must not import. Each registers a function
``panel(unit, request) -> {"title", "value", "url"} | None`` from its
``AppConfig.ready``; the unit page shows whatever they return, in
registration order. Returning None hides the panel (nothing to show, or the
visitor may not see it).
"""

_panels = []


def register_panel(func):
    """Add ``func`` to every unit page; usable as a decorator. Idempotent."""
    if func not in _panels:
        _panels.append(func)
    return func


def unregister_panel(func):
    if func in _panels:
        _panels.remove(func)


def panels_for(unit, request):
    """The panels to show on ``unit``'s page, skipping those that return None."""
    return [panel for func in _panels if (panel := func(unit, request)) is not None]
