"""/api/v1/sync: the offline register's download and the phone's changes.

Session authentication with the CSRF token, as the pages (the phone is the
village head's signed-in browser). Answers hold the register's names and
phones, so they go out with ``Cache-Control: no-store`` (core.privacy).
"""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from .sync import ChangeRefused, apply_changes, offline_register, offline_village

router = Router(tags=["sync"], auth=django_auth)


class ChangesIn(Schema):
    # Each change is checked by its kind's service; the shape is theirs.
    changes: list[dict[str, Any]]


class ChangesOut(Schema):
    results: list[dict[str, Any]]


@router.get("/register", response=dict[str, Any], url_name="sync-register")
def register(request, village: str):
    unit = offline_village(request.user, village)
    if unit is None:
        raise HttpError(403, _("Bạn không giữ sổ hộ của thôn này."))
    return offline_register(unit, by=request.user)


@router.post("/changes", response=ChangesOut, url_name="sync-changes")
def changes(request, payload: ChangesIn):
    try:
        results = apply_changes(payload.changes, by=request.user)
    except ChangeRefused as refusal:
        raise HttpError(413, refusal.message) from refusal
    return {"results": results}
