import json
import uuid
from decimal import Decimal

import pytest
from django.test import Client

from ntm.accounts.models import Office, Role
from ntm.core.models import ActionLog
from ntm.households.models import Household, SyncedChange
from ntm.households.services import archive_household, update_household
from ntm.households.sync import (
    MAX_CHANGES,
    apply_changes,
    household_values,
    household_version,
    offline_register,
)
from tests.factories import make_member

pytestmark = pytest.mark.django_db
BASE = "/api/v1/sync"


def _change(household, **changes):
    """A change as the phone queues it: base values from its download."""
    base = household_values(household)
    return {
        "id": str(uuid.uuid4()),
        "kind": "household",
        "code": household.code,
        "base_version": household_version(household),
        "base": {name: base[name] for name in changes},
        "changes": changes,
    }


def _logged(household):
    return list(
        ActionLog.objects.for_object(household)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_offline_register_holds_the_village_households_and_logs_the_download(
    villages, village_head, make_household
):
    first = make_household(villages["hn1"], code="HN0001", phone="0905123456")
    make_household(villages["hn1"], code="HN0002", lat=Decimal("15.85"))
    make_household(villages["hn2"], code="HN0101")
    archive_household(make_household(villages["hn1"]), by=None, reason="Chuyển đi")

    register = offline_register(villages["hn1"], by=village_head)

    assert [row["code"] for row in register["households"]] == ["HN0001", "HN0002"]
    assert register["households"][0]["version"] == first.updated_at.isoformat()
    assert register["households"][0]["values"]["phone"] == "0905123456"
    assert register["households"][1]["values"]["lat"] == "15.850000"
    assert register["rules"]["counts"]["members"]["low"] == 1
    assert "{value}" in register["rules"]["phone"]["message"]
    assert register["surveys"] == []
    entry = ActionLog.objects.get(action="households.register.downloaded")
    assert entry.actor == village_head
    assert entry.data == {"village": villages["hn1"].code, "rows": 2}


def test_register_api_refuses_anonymous_users_and_villages_not_kept(
    client, login, villages, village_head
):
    anonymous = client.get(f"{BASE}/register?village={villages['hn1'].code}")
    login(village_head)

    other = client.get(f"{BASE}/register?village={villages['vg1'].code}")
    own = client.get(f"{BASE}/register?village={villages['hn1'].code}")

    assert anonymous.status_code == 401
    assert other.status_code == 403
    assert own.status_code == 200
    assert own["Cache-Control"] == "private, no-store"
    assert own.json()["village"]["code"] == villages["hn1"].code


def test_office_staff_read_the_register_on_screen_but_cannot_take_it_offline(
    login, client, villages
):
    staff = make_member(
        villages["hn1"].parent.parent, Role.OFFICE_STAFF, Office.CULTURE
    )
    login(staff)

    response = client.get(f"{BASE}/register?village={villages['hn1'].code}")

    assert response.status_code == 403


def test_household_change_writes_fields_still_at_their_base_value(
    villages, village_head, make_household
):
    household = make_household(villages["hn1"], members=4, has_fibre=False)
    change = _change(household, members=5, has_fibre=True)

    [result] = apply_changes([change], by=village_head)

    household.refresh_from_db()
    assert result["status"] == "applied"
    assert sorted(result["applied"]) == ["has_fibre", "members"]
    assert result["conflicts"] == {}
    assert (household.members, household.has_fibre) == (5, True)
    assert result["version"] == household.updated_at.isoformat()
    assert result["version"] != change["base_version"]
    assert _logged(household) == [
        "households.household.created",
        "households.household.changed",
    ]
    changed = ActionLog.objects.for_object(household).order_by("pk").last()
    assert changed.actor == village_head
    assert set(changed.data["changes"]) == {"members", "has_fibre"}


def test_a_field_changed_on_the_server_since_the_download_is_a_conflict(
    villages, village_head, commune_officer, make_household
):
    household = make_household(villages["hn1"], phone="0905111111")
    change = _change(household, phone="0905222222", has_fibre=True)
    update_household(household, by=commune_officer, phone="0905333333")

    [result] = apply_changes([change], by=village_head)

    household.refresh_from_db()
    assert result["status"] == "conflict"
    assert result["applied"] == ["has_fibre"]
    assert result["conflicts"] == {"phone": "0905333333"}
    assert household.phone == "0905333333"  # not overwritten
    assert household.has_fibre is True
    entry = SyncedChange.objects.get()
    assert (entry.outcome, entry.conflicts) == ("conflict", ["phone"])


def test_the_heads_choice_after_a_conflict_is_applied_against_the_servers_value(
    villages, village_head, commune_officer, make_household
):
    household = make_household(villages["hn1"], phone="0905111111")
    first = _change(household, phone="0905222222")
    update_household(household, by=commune_officer, phone="0905333333")
    [conflict] = apply_changes([first], by=village_head)
    # The head keeps the phone's value: a new change based on the server's.
    choice = {
        "id": str(uuid.uuid4()),
        "kind": "household",
        "code": household.code,
        "base": {"phone": conflict["conflicts"]["phone"]},
        "changes": {"phone": "0905222222"},
    }

    [result] = apply_changes([choice], by=village_head)

    household.refresh_from_db()
    assert result["status"] == "applied"
    assert household.phone == "0905222222"


def test_the_same_value_on_both_sides_is_no_conflict_and_writes_nothing(
    villages, village_head, commune_officer, make_household
):
    household = make_household(villages["hn1"], has_fibre=False, lat=Decimal("15.85"))
    change = _change(household, has_fibre=True)
    change["base"]["lat"] = "15.85"  # as the phone may write it
    change["changes"]["lat"] = "15.850000"
    update_household(household, by=commune_officer, has_fibre=True)

    [result] = apply_changes([change], by=village_head)

    assert result["status"] == "applied"
    assert result["applied"] == []
    assert _logged(household) == [
        "households.household.created",
        "households.household.changed",
    ]


def test_a_change_sent_again_after_a_lost_answer_is_applied_once(
    villages, village_head, commune_officer, make_household
):
    household = make_household(villages["hn1"], members=4)
    change = _change(household, members=6)
    [first] = apply_changes([change], by=village_head)
    # Meanwhile the office sets the figure back; the retry must not undo it.
    household.refresh_from_db()
    update_household(household, by=commune_officer, members=4)

    [again] = apply_changes([change], by=village_head)

    household.refresh_from_db()
    assert first["status"] == again["status"] == "applied"
    assert again["duplicate"] is True
    assert again["applied"] == ["members"]
    assert household.members == 4
    assert _logged(household).count("households.household.changed") == 2
    assert SyncedChange.objects.count() == 1


def test_a_change_id_of_another_user_is_refused(villages, village_head, make_household):
    household = make_household(villages["hn1"], members=4)
    change = _change(household, members=6)
    apply_changes([change], by=village_head)
    other = make_member(villages["hn1"], Role.VILLAGE_HEAD)

    [result] = apply_changes([{**change, "changes": {"members": 7}}], by=other)

    household.refresh_from_db()
    assert result["status"] == "refused"
    assert household.members == 6


def test_households_outside_the_heads_village_are_refused_and_left_unchanged(
    villages, village_head, make_household
):
    elsewhere = make_household(villages["vg1"], members=4)
    change = _change(elsewhere, members=9)
    missing = {**_change(elsewhere, members=9), "code": "KHONG-CO"}

    results = apply_changes([change, missing], by=village_head)

    elsewhere.refresh_from_db()
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert results[0]["detail"] == results[1]["detail"]  # existence not shown
    assert elsewhere.members == 4
    assert _logged(elsewhere) == ["households.household.created"]
    assert SyncedChange.objects.count() == 0


def test_office_staff_cannot_change_households_from_a_phone(villages, make_household):
    household = make_household(villages["hn1"], members=4)
    staff = make_member(villages["hn1"].parent, Role.OFFICE_STAFF, Office.CULTURE)

    [result] = apply_changes([_change(household, members=9)], by=staff)

    household.refresh_from_db()
    assert result["status"] == "refused"
    assert household.members == 4


def test_a_household_no_longer_followed_is_refused(
    villages, village_head, make_household
):
    household = make_household(villages["hn1"], members=4)
    change = _change(household, members=5)
    archive_household(household, by=None, reason="Chuyển đi")

    [result] = apply_changes([change], by=village_head)

    household.refresh_from_db()
    assert result["status"] == "refused"
    assert household.members == 4


def test_invalid_values_are_reported_per_change_and_the_others_applied(
    villages, village_head, make_household
):
    wrong = make_household(villages["hn1"], members=4)
    right = make_household(villages["hn1"], members=4)
    bad_phone = make_household(villages["hn1"], phone="")
    changes = [
        _change(wrong, members=0, has_fibre=True),
        _change(right, members=3),
        _change(bad_phone, phone="12345", head_name="<b>An</b>"),
    ]

    results = apply_changes(changes, by=village_head)

    wrong.refresh_from_db()
    right.refresh_from_db()
    assert [r["status"] for r in results] == ["invalid", "applied", "invalid"]
    assert list(results[0]["errors"]) == ["members"]
    assert sorted(results[2]["errors"]) == ["head_name", "phone"]
    assert (wrong.members, wrong.has_fibre) == (4, False)  # nothing of it
    assert right.members == 3
    assert SyncedChange.objects.count() == 1


def test_the_server_checks_written_fields_with_the_servers_other_values(
    villages, village_head, commune_officer, make_household
):
    household = make_household(villages["hn1"], members=5, health_app_members=2)
    change = _change(household, health_app_members=5)
    update_household(household, by=commune_officer, members=3)

    [result] = apply_changes([change], by=village_head)

    household.refresh_from_db()
    assert result["status"] == "invalid"
    assert list(result["errors"]) == ["health_app_members"]
    assert household.health_app_members == 2


def test_malformed_changes_are_refused_as_invalid(
    villages, village_head, make_household
):
    household = make_household(villages["hn1"])
    unknown_field = _change(household, members=5)
    unknown_field["changes"]["village"] = villages["vg1"].code
    unknown_field["base"]["village"] = villages["hn1"].code
    no_base = {**_change(household, members=5), "base": {}}
    no_id = {**_change(household, members=5), "id": "khong-phai-uuid"}
    unknown_kind = {**_change(household, members=5), "kind": "dien-thoai"}

    results = apply_changes(
        [unknown_field, no_base, no_id, unknown_kind], by=village_head
    )

    household.refresh_from_db()
    assert [r["status"] for r in results] == ["invalid"] * 4
    assert household.members == 4


def test_platforms_change_as_a_set_of_names(
    villages, village_head, make_household, platforms
):
    household = make_household(villages["hn1"], ecommerce_platforms=[])

    [result] = apply_changes(
        [_change(household, ecommerce_platforms=["postmart.vn", "Voso.vn"])],
        by=village_head,
    )

    assert result["status"] == "applied"
    assert result["values"]["ecommerce_platforms"] == ["PostMart.vn", "Voso.vn"]


def test_sync_api_needs_the_csrf_token_and_answers_each_change(
    villages, village_head, make_household
):
    household = make_household(villages["hn1"], members=4)
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )
    body = json.dumps({"changes": [_change(household, members=5)]})

    refused = client.post(f"{BASE}/changes", body, content_type="application/json")
    client.get("/ho-gia-dinh/ngoai-tuyen/")
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        f"{BASE}/changes", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    household.refresh_from_db()
    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert [r["status"] for r in accepted.json()["results"]] == ["applied"]
    assert household.members == 5


def test_sync_api_refuses_more_changes_than_one_request_may_carry(
    login, client, villages, village_head
):
    login(village_head)
    changes = [{"id": str(uuid.uuid4()), "kind": "household"}] * (MAX_CHANGES + 1)

    response = client.post(
        f"{BASE}/changes", {"changes": changes}, content_type="application/json"
    )

    assert response.status_code == 413
    assert Household.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_same_change_sent_five_times_at_once_is_applied_once(
    at_once, villages, village_head, make_household
):
    household = make_household(villages["hn1"], members=4)
    change = _change(household, members=7)

    outcomes = at_once([lambda: apply_changes([change], by=village_head)] * 5)

    household.refresh_from_db()
    assert [result["status"] for [result] in outcomes] == ["applied"] * 5
    assert sum(not result.get("duplicate") for [result] in outcomes) == 1
    assert household.members == 7
    assert _logged(household).count("households.household.changed") == 1
    assert SyncedChange.objects.count() == 1
