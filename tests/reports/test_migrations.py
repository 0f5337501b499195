import importlib

import pytest
from django.apps import apps

from ntm.core.audit import log_action
from ntm.core.models import ActionLog

pytestmark = pytest.mark.django_db

renaming = importlib.import_module(
    "ntm.reports.migrations.0002_action_names_past_tense"
)


def reports_actions():
    logged = ActionLog.objects.filter(action__startswith="reports.")
    return sorted(logged.values_list("action", flat=True))


def test_action_names_move_to_the_past_tense_and_back(units):
    log_action(units["ha_nha"], "reports.submission.submit", by=None)
    log_action(units["ha_nha"], "reports.form.assign", by=None)

    renaming.forwards(apps, None)
    renamed = reports_actions()
    renaming.backwards(apps, None)

    assert renamed == ["reports.form.assigned", "reports.submission.submitted"]
    assert reports_actions() == [
        "reports.form.assign",
        "reports.submission.submit",
    ]
