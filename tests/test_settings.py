"""Every setting the code reads is declared in ntm/settings.py, read directly."""

import re
from pathlib import Path

import ntm.settings as declared

PACKAGE = Path(declared.__file__).parent
READ = re.compile(r"settings\.([A-Z][A-Z0-9_]*)")


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts and not path.name.startswith("settings"):
            yield path, path.read_text(encoding="utf-8")


def test_every_setting_read_is_declared_in_settings_py():
    read = {name for _path, text in _sources() for name in READ.findall(text)}

    assert sorted(name for name in read if not hasattr(declared, name)) == []


def test_no_setting_is_read_with_a_fallback_of_its_own():
    fallbacks = [
        str(path.relative_to(PACKAGE))
        for path, text in _sources()
        if "getattr(settings" in text
    ]

    assert fallbacks == []
