import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.households.offline import SHELL_FILES
from tests.core.test_privacy import _assert_strict
from tests.factories import make_member

pytestmark = pytest.mark.django_db
PAGE = reverse("households:offline-register")
WORKER = reverse("households:offline-worker")
MANIFEST = reverse("households:offline-manifest")


def test_offline_register_page_requires_a_register_keeper(client, login, villages):
    anonymous = client.get(PAGE)
    login(make_member(villages["hn1"].parent, Role.OFFICE_STAFF, Office.CULTURE))

    staff = client.get(PAGE)

    assert anonymous.status_code == 302
    assert staff.status_code == 403


def test_offline_register_page_is_the_shell_with_a_strict_policy(
    client, login, villages, village_head
):
    login(village_head)

    response = client.get(PAGE)

    assert response.status_code == 200
    _assert_strict(response)
    html = response.content.decode()
    assert f'data-service-worker="{WORKER}"' in html
    assert f'data-scope="{PAGE}"' in html
    assert 'data-register-url="/api/v1/sync/register"' in html
    assert f'<option value="{villages["hn1"].code}">' in html
    assert "Sổ hộ ngoại tuyến" in html


def test_household_list_links_the_offline_register_for_register_keepers(
    client, login, village_head
):
    login(village_head)

    response = client.get(reverse("households:household-list"))

    assert f'href="{PAGE}"' in response.content.decode()


def test_service_worker_is_served_fresh_from_the_pages_folder(client):
    response = client.get(WORKER)

    script = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == PAGE
    assert WORKER.startswith(PAGE)  # its default scope covers the page
    assert f"const PAGE = {json.dumps(PAGE)};" in script
    assert '"/static/js/offline_register.js"' in script
    assert "{{" not in script


def test_every_file_of_the_shell_exists(client):
    assert [path for path in SHELL_FILES if finders.find(path) is None] == []


def test_manifest_names_the_app_in_vietnamese_with_png_icons(client):
    response = client.get(MANIFEST)

    manifest = response.json()
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["name"] == "NTM Số — Sổ hộ ngoại tuyến"
    assert (manifest["start_url"], manifest["scope"]) == (PAGE, PAGE)
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert all(
        finders.find(icon["src"].removeprefix("/static/")) for icon in manifest["icons"]
    )


def test_every_page_links_the_manifest(client, units):
    response = client.get(reverse("home"))

    assert f'<link rel="manifest" href="{MANIFEST}">' in response.content.decode()


def test_offline_register_names_its_user_in_digits(client, login, villages):
    """The page's user is compared with the register's (offline_register.js):
    id 1234 written as "1.234" made the phone drop its register."""
    head = make_member(villages["hn1"], Role.VILLAGE_HEAD, id=1234)
    login(head)

    html = client.get(PAGE).content.decode()

    assert 'data-user="1234"' in html
