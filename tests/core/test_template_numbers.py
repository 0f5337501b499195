"""Record ids in markup are written as digits, never as Vietnamese numbers.

With USE_THOUSAND_SEPARATOR on, ``{{ question.pk }}`` renders 1234 as
"1.234": a survey's field ``q1.234`` is then never read back (answers lost
once ids pass 1,000), and the offline register took the signed-in user for
another one and dropped the phone's register (tests/browser/test_offline.py
failed only on PostgreSQL, whose sequences keep counting across tests).
"""

import re
from pathlib import Path

from django.conf import settings

# ``{{ x.pk }}``, ``{{ x.id }}``, ``{{ x.question_id }}`` with no filter.
BARE_ID = re.compile(r"\{\{\s*[\w.]+(?:\.pk|\.id|_id)\s*\}\}")
# Fields named like ids that hold text, not numbers.
TEXT_IDS = {"device_id"}


def _templates():
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "ntm"]
    for root in roots:
        yield from (
            root.rglob("templates/**/*.html")
            if root.name == "ntm"
            else root.rglob("*.html")
        )


def test_no_template_writes_a_record_id_through_number_localisation():
    found = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in BARE_ID.finditer(line):
                if match.group(0).strip("{} ").rsplit(".", 1)[-1] in TEXT_IDS:
                    continue
                found.append(
                    f"{path.relative_to(settings.BASE_DIR)}:{number}: {match.group(0)}"
                )
    assert found == []
