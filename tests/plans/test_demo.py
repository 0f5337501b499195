import random

import pytest

from ntm.indicators.evaluation import MET
from ntm.plans import demo
from ntm.plans.models import KeyTask
from ntm.plans.progress import target_results

pytestmark = pytest.mark.django_db


def test_demo_build_is_deterministic_and_labelled(plan):
    counts = demo.build(random.Random(2023), plan)

    assert counts["tasks"] == 20
    assert counts["pilots"] == 2
    assert counts["tallies"] == 3 * 5 + 3 * 18 + 5
    assert KeyTask.objects.filter(is_demo=False).count() == 0
    assert KeyTask.objects.filter(note=demo.TASK_NOTE).count() == 20


def test_demo_build_meets_targets_1a_and_12_in_2025(plan):
    demo.build(random.Random(2023), plan)

    results = {r.target.number: r for r in target_results(plan, 2025, laggards=False)}

    assert results["1a"].status == MET
    assert results["12"].status == MET
    assert results["10a"].value >= 50
