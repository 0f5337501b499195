import pytest
from django.urls import reverse

from ntm.core.models import ActionLog
from ntm.households.models import VillageChannel
from ntm.households.services import HouseholdError, save_channel

pytestmark = pytest.mark.django_db


def test_save_channel_opens_and_changes_with_audit(villages, village_head):
    channel = save_channel(
        village=villages["hn1"], by=village_head, platform="zalo", name="Thôn 1 Hà Nha"
    )
    save_channel(channel, by=village_head, members=120)

    channel.refresh_from_db()
    assert channel.members == 120
    assert list(
        ActionLog.objects.for_object(channel).values_list("action", flat=True)
    ) == ["households.channel.changed", "households.channel.created"]


def test_save_channel_refuses_an_old_village(units):
    from ..factories import make_unit

    old = make_unit(
        "2051501",
        "Thôn 1",
        "thon",
        units["dai_dong"],
        valid_to=units["dai_dong"].valid_to,
    )

    with pytest.raises(HouseholdError):
        save_channel(village=old, by=None, platform="zalo", name="Cũ")

    assert VillageChannel.objects.count() == 0


def test_village_head_adds_a_channel_through_the_page(client, villages, village_head):
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.post(
        reverse("households:channel-create", args=[villages["hn1"].code]),
        {
            "platform": "zalo",
            "name": "Nhóm Zalo thôn 1",
            "members": "85",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert VillageChannel.objects.get().name == "Nhóm Zalo thôn 1"


def test_village_head_cannot_add_a_channel_to_another_village(
    client, villages, village_head
):
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.post(
        reverse("households:channel-create", args=[villages["vg1"].code]),
        {"platform": "zalo", "name": "Lạ", "members": "1"},
    )

    assert response.status_code == 403
    assert VillageChannel.objects.count() == 0


def test_village_page_lists_the_channels_once_and_keeps_its_title_plain(
    client, villages, village_head
):
    save_channel(
        village=villages["hn1"], by=village_head, platform="zalo", name="Nhóm thôn 1"
    )
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.get(
        reverse("households:facility-village", args=[villages["hn1"].code])
    )

    page = response.content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert response.status_code == 200
    assert "<" not in title and villages["hn1"].name in title
    assert page.count("Kênh giao tiếp với người dân") == 1
    assert page.count("Nhóm thôn 1") == 1
