import re
from pathlib import Path

import pytest
from django.db import transaction
from django.template import Context, Template

from ntm.accounts.models import Membership, Role
from ntm.core.states import StateChoices, Transition, groups, lock, transitions
from tests.factories import make_member


class Refused(Exception):
    pass


class Status(StateChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Chờ duyệt"
    APPROVED = "approved", "Đã duyệt"

    TRANSITIONS = transitions(
        submit=Transition("Gửi duyệt", sources=[DRAFT], target=SUBMITTED),
        approve=Transition("Duyệt", sources=[SUBMITTED], target=APPROVED),
    )
    GROUPS = groups(waiting=[SUBMITTED])


def test_state_choices_keep_only_the_states_as_choices():
    assert Status.choices == [
        ("draft", "Nháp"),
        ("submitted", "Chờ duyệt"),
        ("approved", "Đã duyệt"),
    ]


def test_check_returns_the_target_or_refuses_with_the_reason():
    assert Status.check("submitted", "approve", Refused) == Status.APPROVED
    with pytest.raises(Refused, match="Duyệt.*Đã duyệt"):
        Status.check("approved", "approve", Refused)


def test_actions_from_a_state_for_templates():
    assert [a.name for a in Status.actions_from("draft")] == ["submit"]
    assert Status.actions_from("draft", allowed=set()) == []
    assert Status.group("waiting") == [Status.SUBMITTED]


def test_check_refuses_with_the_callers_message():
    with pytest.raises(Refused, match="^Chỉ duyệt được giá trị chờ duyệt$"):
        Status.check("draft", "approve", Refused, "Chỉ duyệt được giá trị chờ duyệt")


def test_actions_are_found_by_name_as_templates_ask():
    actions = Status.actions_from("submitted")

    assert actions["approve"].label == "Duyệt"
    assert actions["submit"] is None
    assert actions[0] is actions["approve"]
    rendered = Template(
        "{% if actions.approve %}{{ actions.approve.label }}{% endif %}"
        "{% if actions.submit %}gửi{% endif %}"
    ).render(Context({"actions": actions}))
    assert rendered == "Duyệt"


def test_no_template_compares_a_status_with_a_literal():
    root = Path(__file__).resolve().parents[2]
    comparison = re.compile(r"status\s*(==|!=|in|not in)\s*[\"']")
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in [*root.glob("ntm/**/*.html"), *root.glob("templates/**/*.html")]
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if comparison.search(line)
    ]

    assert found == []


@pytest.mark.django_db
def test_lock_reads_the_committed_state_and_keeps_loaded_relations(units):
    user = make_member(units["ha_nha"], Role.VILLAGE_HEAD)
    membership = Membership.objects.select_related("unit").get(user=user)
    Membership.objects.filter(pk=membership.pk).update(role=Role.COMMUNE_OFFICER)

    with transaction.atomic():
        lock(membership)

    assert membership.role == Role.COMMUNE_OFFICER
    assert Membership.unit.is_cached(membership)
