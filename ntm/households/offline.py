"""The offline register's pages: the app shell, its service worker and the
web app manifest (docs/decisions.md, "Offline register").

The page holds no household: the register is downloaded by its script
(``/api/v1/sync/register``) into the phone's IndexedDB, so the same page,
kept by the service worker, serves every village and works with no network.
"""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from .forms import HouseholdForm
from .models import EcommercePlatform
from .queries import villages_of
from .sync import OFFLINE_FIELDS

# What the page needs with no network, beside itself: the files base.html
# and the page load.
SHELL_FILES = [
    "css/site.css",
    "css/offline.css",
    "django_htmx/htmx-2.min.js",
    "js/confirm.js",
    "js/pwa.js",
    "js/offline_register.js",
    "favicon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
]
THEME_COLOUR = "#1b6b3a"  # --brand in css/site.css
WORKER_TEMPLATE = "households/offline_worker.js"


@login_required
def offline_register(request):
    villages = villages_of(request.user, editable=True)
    if not villages.exists():
        raise PermissionDenied
    form = HouseholdForm(user=request.user)
    fields = [form[name] for name in OFFLINE_FIELDS if name != "ecommerce_platforms"]
    context = {
        "villages": villages,
        "fields": fields,
        "platforms": EcommercePlatform.objects.values_list("name", flat=True),
        "texts": _texts(),
        "api": {
            "register": reverse("api:sync-register"),
            "changes": reverse("api:sync-changes"),
        },
    }
    return render(request, "households/offline_register.html", context)


def offline_worker(request):
    """The service worker, from the page's folder so its scope covers it.

    Its text changes whenever a file of the shell changes (the version is
    their digest), so phones fetch the new files; it is never cached by HTTP
    itself (browsers check it at each visit).
    """
    page = reverse("households:offline-register")
    shell = [static(path) for path in SHELL_FILES]
    script = render_to_string(
        WORKER_TEMPLATE,
        {
            "version": _shell_version(),
            "page": json.dumps(page),
            "shell": json.dumps(shell),
        },
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = page
    return response


def offline_manifest(request):
    page = reverse("households:offline-register")
    manifest = {
        "name": _("NTM Số — Sổ hộ ngoại tuyến"),
        "short_name": _("Sổ hộ"),
        "description": _(
            "Sổ hộ gia đình của thôn trên điện thoại: sửa thông tin hộ, nhập"
            " phiếu khảo sát giấy khi không có mạng, đồng bộ khi có mạng."
        ),
        "lang": "vi",
        "start_url": page,
        "scope": page,
        "display": "standalone",
        "background_color": "#f6f8f6",
        "theme_color": THEME_COLOUR,
        "icons": [
            {
                "src": static("icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": static("icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _shell_version():
    return _digest() if settings.DEBUG else _cached_digest()


@cache
def _cached_digest():
    return _digest()


def _digest():
    """A digest of the shell's files and the worker's own text."""
    digest = hashlib.sha256()
    paths = [finders.find(path) for path in SHELL_FILES]
    worker = get_template(WORKER_TEMPLATE).origin.name
    for path in [*paths, worker]:
        if path:
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:16]


def _texts():
    """The page script's words, in the page's language."""
    return {
        "online": _("Đang có mạng"),
        "offline": _("Không có mạng — thay đổi được lưu trên điện thoại"),
        "pending": _("Chờ đồng bộ: %(n)s"),
        "syncing": _("Đang đồng bộ…"),
        "synced": _("Đã đồng bộ %(n)s thay đổi lúc %(time)s."),
        "nothing": _("Không có thay đổi nào chờ đồng bộ."),
        "failed": _("Chưa gửi được (mất mạng?); sẽ gửi lại khi có mạng."),
        "signin": _("Phiên đăng nhập đã hết: đăng nhập lại rồi bấm “Đồng bộ”."),
        "signin_link": _("Đăng nhập lại"),
        "foreign": _(
            "Điện thoại này còn thay đổi chưa đồng bộ của một người dùng khác:"
            " người đó cần đăng nhập trên điện thoại này để đồng bộ."
        ),
        "downloading": _("Đang tải sổ hộ…"),
        "downloaded": _("Sổ hộ %(village)s, %(commune)s: %(n)s hộ, tải lúc %(time)s."),
        "download_first": _("Chưa có sổ hộ trên điện thoại: hãy tải khi có mạng."),
        "download_refused": _("Không tải được sổ hộ của thôn này."),
        "replace_refused": _(
            "Còn thay đổi chưa đồng bộ hoặc xung đột chưa quyết định: đồng bộ"
            " xong rồi hãy tải lại."
        ),
        "saved": _("Đã lưu trên điện thoại hộ %(code)s (chờ đồng bộ)."),
        "unchanged": _("Không có gì thay đổi."),
        "paper_saved": _("Đã lưu phiếu giấy của hộ %(code)s (chờ đồng bộ)."),
        "badge_pending": _("chờ đồng bộ"),
        "badge_conflict": _("xung đột"),
        "badge_answered": _("đã trả lời khảo sát"),
        "edit": _("Sửa"),
        "paper": _("Nhập phiếu giấy"),
        "no_survey": _("Không có khảo sát nào đang mở cho thôn này."),
        "answered": _("Hộ này đã trả lời khảo sát này."),
        "required": _("Câu hỏi này cần được trả lời."),
        "choice": _("Lựa chọn không hợp lệ."),
        "rating": _("Chọn một mức từ 1 đến 5."),
        "too_long": _("Câu trả lời quá dài (tối đa %(n)s ký tự).") % {"n": 2000},
        "check": _("Vui lòng kiểm tra lại các câu trả lời."),
        "on_server": _("Trên máy chủ"),
        "on_phone": _("Trên điện thoại"),
        "keep_choice": _("Lưu lựa chọn"),
        "conflict_intro": _(
            "Hộ %(code)s: trường dưới đây đã được sửa trên máy chủ sau khi bạn"
            " tải sổ. Chọn giá trị đúng."
        ),
        "resolved": _("Đã ghi lựa chọn cho hộ %(code)s."),
        "problem_household": _("Hộ %(code)s: %(detail)s"),
        "problem_paper": _("Phiếu giấy của hộ %(code)s: %(detail)s"),
        "retry": _("Sửa lại"),
        "discard": _("Bỏ thay đổi"),
        "yes": _("Có"),
        "no": _("Không"),
        "empty": _("(trống)"),
        "none_found": _("Không tìm thấy hộ nào."),
        "count": _("%(n)s hộ"),
    }
