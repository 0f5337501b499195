import pytest

from ntm.core.states import StateChoices, Transition, groups, transitions


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
