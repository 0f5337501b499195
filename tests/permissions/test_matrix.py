"""The permission matrix: every route and API operation x every role x an
object inside and one outside the role's unit (issue 10, item 8).

Each (route, object, role) is one test: the expected outcome is asserted
(tests/permissions/matrix.py), and a refused request (a refused write, or a
GET to a route that only takes POST) leaves the object, its table and the
audit log as they were.
"""

import json
import os

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from ntm.core.models import ActionLog

from .matrix import ADMIN_NAMESPACE, BODY_RECORDS, DEVICE_KEYED, OPERATIONS, PAGES
from .routes import api_operations, fill_path, outcome, page_routes, sample_body
from .world import ANY, IN, KINDS, OUT, ROLES, object_of

OFFICES = ["vhtt", "nnptnt", "ktht", "tckh", "congan"]
GROUPS = {"everyone": ROLES, "signed-in": ROLES[1:], "offices": OFFICES}
TRIED = {"requests": 0, "cases": 0}
OPERATION_LIST, OPENAPI = api_operations()


def allowed(spec, role, where):
    """Whether the entry's tokens let ``role`` in on the ``where`` object."""
    for token in spec.split():
        name, _at, side = token.partition("@")
        if side and side != where:
            continue
        if role in GROUPS.get(name, [name]):
            return True
    return False


def _wheres(kind_name):
    kind = KINDS[kind_name] if kind_name else None
    return [IN, OUT] if kind is not None and kind.scoped else [ANY]


def _cases(entries):
    return [
        pytest.param(key, where, role, id=f"{key}|{where}|{role}")
        for key, entry in entries.items()
        for where in _wheres(entry.kind)
        for role in ROLES
    ]


def _snapshot(obj):
    """What a refused request must leave as it was."""
    if obj is None:
        return ActionLog.objects.count(), None, None
    rows = type(obj)._default_manager
    return (
        ActionLog.objects.count(),
        rows.count(),
        rows.filter(pk=obj.pk).values().first(),
    )


def _send(client, method, url, **extra):
    TRIED["requests"] += 1
    return client.generic(method, url, **extra)


def _assert_refusal(response, role, *, api, device=False):
    if api:
        # A visitor is asked for credentials, or (on an operation open to
        # visitors) told the record is not there, as a signed-in outsider is.
        # A device's door asks everyone for the device's key.
        expected = (401, 404) if role == "anonymous" or device else (403, 404)
        assert response.status_code in expected
        assert response["Content-Type"].startswith("application/json")
        json.loads(response.content)
    elif response.status_code == 403:
        # The Vietnamese refusal page, not Django's English one.
        assert "Không có quyền truy cập" in response.content.decode()


def test_every_route_has_an_entry():
    routes = page_routes()
    names = {name for name, _route in routes}
    admin = {name for name in names if name.split(":")[0] == ADMIN_NAMESPACE}
    operations = {f"{method} {path}" for method, path, _op in OPERATION_LIST}

    assert sorted(names - admin - set(PAGES)) == []
    assert sorted(set(PAGES) - names) == []
    assert sorted(operations - set(OPERATIONS)) == []
    assert sorted(set(OPERATIONS) - operations) == []


@pytest.mark.parametrize(("name", "where", "role"), _cases(PAGES))
def test_page(client_as, name, where, role):
    entry = PAGES[name]
    obj, kwargs = object_of(entry.kind, where)
    url = reverse(name, kwargs=kwargs)
    client = client_as(role)
    TRIED["cases"] += 1

    before = _snapshot(obj)
    with transaction.atomic():
        response = _send(client, "GET", url)
        logged_by_get = ActionLog.objects.count() - before[0]
        transaction.set_rollback(True)
    # No GET changes state: every write of the platform is audit-logged.
    assert logged_by_get == 0
    if entry.get == "POST only":
        # A write route answers a GET without changing anything.
        expected = ("refused", "method") if role == "anonymous" else ("method",)
        assert outcome(response) in expected, response.status_code
        assert _snapshot(obj) == before
    elif allowed(entry.get, role, where):
        assert outcome(response) == "ok", response.status_code
    else:
        assert outcome(response) == "refused", response.status_code
        _assert_refusal(response, role, api=False)
        assert _snapshot(obj) == before

    if entry.post is None:
        return
    with transaction.atomic():
        response = _send(client, "POST", url)
        refused_after = _snapshot(obj)
        transaction.set_rollback(True)
    if allowed(entry.post, role, where):
        assert outcome(response) == "ok", response.status_code
    else:
        assert outcome(response) == "refused", response.status_code
        _assert_refusal(response, role, api=False)
        assert refused_after == before


def _operation(key):
    method, path = key.split(" ", 1)
    for listed_method, listed_path, operation in OPERATION_LIST:
        if (listed_method, listed_path) == (method, path):
            return method, path, operation
    raise AssertionError(f"{key} is not in the OpenAPI document")


@pytest.mark.parametrize(("key", "where", "role"), _cases(OPERATIONS))
def test_operation(client_as, key, where, role):
    entry = OPERATIONS[key]
    method, path, operation = _operation(key)
    obj, kwargs = object_of(entry.kind, where)
    extra = {}
    if "requestBody" in operation:
        content = operation["requestBody"]["content"]["application/json"]
        body = sample_body(content["schema"], OPENAPI)
        # Record ids a body names: the first row of each, not a literal 1
        # (PostgreSQL's sequences do not restart between test databases).
        for field, label in BODY_RECORDS.get(key, {}).items():
            body[field] = apps.get_model(label).objects.order_by("pk").first().pk
        extra = {"data": json.dumps(body), "content_type": "application/json"}
    client = client_as(role)
    TRIED["cases"] += 1

    before = _snapshot(obj)
    with transaction.atomic():
        response = _send(client, method, fill_path(path, kwargs), **extra)
        after = _snapshot(obj)
        transaction.set_rollback(True)

    if allowed(entry.allowed, role, where):
        assert outcome(response) == "ok", (response.status_code, response.content)
    else:
        assert outcome(response) == "refused", (response.status_code, response.content)
        _assert_refusal(response, role, api=True, device=key in DEVICE_KEYED)
        assert after == before


# The admin's own sign-in and sign-out pages open to anyone.
ADMIN_OPEN = {"admin:login", "admin:logout"}


def _admin_urls():
    urls = []
    for name, _route in page_routes():
        if name.split(":")[0] != ADMIN_NAMESPACE or name in ADMIN_OPEN:
            continue
        for kwargs in ({}, {"object_id": "1"}, {"queue_index": 0}):
            try:
                urls.append(reverse(name, kwargs=kwargs))
                break
            except NoReverseMatch:
                continue
    return sorted(set(urls))


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_refuses_every_role(client_as, role):
    """The support staff's admin opens to is_staff users only: every role,
    the district admin included, is sent to its sign-in."""
    client = client_as(role)
    urls = _admin_urls()
    TRIED["cases"] += 1

    refused = []
    for url in urls:
        response = _send(client, "GET", url)
        if outcome(response) != "refused":
            refused.append((url, response.status_code))

    assert len(urls) > 50
    assert refused == []


def test_matrix_count(request, capsys):
    """Counts what the matrix tried (printed in the run's output)."""
    ran = [
        item
        for item in request.session.items
        if item.module is request.module and item.originalname != "test_matrix_count"
    ]
    cases = len(ran) - 1  # test_every_route_has_an_entry sends nothing
    page_names = {name for name, _route in page_routes()}
    with capsys.disabled():
        print(
            f"\npermission matrix: {len(PAGES)} routes + "
            f"{len(page_names) - len(PAGES)} admin routes, "
            f"{len(OPERATIONS)} API operations, {len(ROLES)} roles: "
            f"{TRIED['cases']} cases, {TRIED['requests']} requests"
        )

    if os.environ.get("PYTEST_XDIST_WORKER"):
        # pytest-xdist shares the cases among its workers: each counts its own.
        assert TRIED["cases"] <= cases
    else:
        assert TRIED["cases"] == cases
    assert TRIED["requests"] >= TRIED["cases"]
    apps.check_models_ready()
