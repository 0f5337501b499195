"""Nobody waits for a recomputation: after writes, the plan's figures are
recomputed once by the task worker, and the pages show the last good ones
with the time they were computed until then (ntm/core/publiccache.py)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from ntm.core.tasks import recompute
from ntm.indicators.evaluation import MET, NO_DATA
from ntm.indicators.templatetags.scorecards import status_class

# Real commits: the version moves and the recomputation is scheduled when a
# write commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)
DEFERRED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
URL = reverse("dashboards:plan-summary") + "?nam=2024"


def _card_status(body, number):
    found = re.search(
        rf'<li class="card target ([\w-]+)-edge" id="muc-tieu-{number}"', body
    )
    return found.group(1)


def _figures_at(body):
    return re.search(r'data-figures-at="([^"]+)">(Số liệu tính lúc [^<·]+)', body)


def test_writes_are_recomputed_once_and_pages_show_the_last_good_figures(
    client, plan, approve, settings
):
    settings.TASKS = DEFERRED
    first = client.get(URL).content.decode()
    assert _card_status(first, "4a") == status_class(NO_DATA)
    computed = _figures_at(first)
    local = timezone.localtime(timezone.datetime.fromisoformat(computed.group(1)))
    assert computed.group(2).strip() == f"Số liệu tính lúc {local:%H:%M %d/%m/%Y}"

    # Three services, five writes, each committed on its own.
    approve("NTM-HUYEN.9.5", plan.unit, 2024, 1)
    approve("NTM-HUYEN.9.5", plan.unit, 2023, 1)

    queued = [r for r in default_task_backend.results if r.task.name == "recompute"]
    assert len(queued) == 1
    assert queued[0].args == ["ntm.plans.progress.compute_plan_results", [plan.pk]]
    assert queued[0].task.run_after > timezone.now()  # debounced

    # Until the worker runs: the last good figures, their time, and a note.
    stale = client.get(URL).content.decode()
    assert _card_status(stale, "4a") == status_class(NO_DATA)
    assert _figures_at(stale).group(1) == computed.group(1)
    assert "đang tính lại" in stale

    recompute.call(*queued[0].args)  # what the worker does

    fresh = client.get(URL).content.decode()
    assert _card_status(fresh, "4a") == status_class(MET)
    assert _figures_at(fresh).group(1) > computed.group(1)
    assert "đang tính lại" not in fresh
    # Reading fresh figures schedules nothing more.
    assert len(default_task_backend.results) == 1


def test_without_a_worker_the_next_reader_recomputes(client, plan, approve):
    # The embedded default runs tasks inline and cannot defer them.
    assert not default_task_backend.supports_defer
    first = client.get(URL).content.decode()
    approve("NTM-HUYEN.9.5", plan.unit, 2024, 1)
    after = client.get(URL).content.decode()
    assert _card_status(first, "4a") == status_class(NO_DATA)
    assert _card_status(after, "4a") == status_class(MET)
    assert "đang tính lại" not in after
