import re
from pathlib import Path

from django.apps import apps

import ntm.ocop

# Action names are written out where they are logged (log_action, or the
# services' log_created / apply_changes helpers).
NAMES = re.compile(r"f?\"(ocop\.[a-z]+\.[a-z_{}]+)\"")


def test_every_logged_action_has_a_vietnamese_label():
    labels = apps.get_app_config("ocop").action_labels
    source = "\n".join(
        path.read_text()
        for path in Path(ntm.ocop.__file__).parent.rglob("*.py")
        if path.name != "apps.py"
    )
    names = set(NAMES.findall(source))
    # The sheet loader logs ocop.sheet.created or ocop.sheet.updated.
    names = {n for n in names if "{" not in n} | {
        "ocop.sheet.created",
        "ocop.sheet.updated",
    }

    assert len(names) > 10
    assert sorted(name for name in names if name not in labels) == []
    assert all(
        re.fullmatch(r"ocop\.[a-z]+\.[a-z_]+ed", name) or name.endswith("sent_back")
        for name in labels
    )
