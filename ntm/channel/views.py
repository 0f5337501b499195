"""The village head's channel pages (phone-sized), the two pages residents
open from a message (an attachment and the opt-out), and the address the SMS
gateway posts residents' texts to."""

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ntm.accounts.permissions import can_edit_households
from ntm.core.spreadsheets import import_page, xlsx_response
from ntm.households.queries import current_village

from .forms import AnnouncementForm, SettingsForm, SubscriberForm
from .imports import build_template, import_subscribers
from .models import Announcement, Delivery, Subscriber
from .services import (
    ChannelError,
    add_subscriber,
    opt_out,
    opt_out_by_keyword,
    post_announcement,
    save_settings,
    settings_of,
)

RECENT = 20
# An SMS is at most a few hundred characters; a bigger body is not one.
SMS_MAX_BYTES = 2048


def _kept_village(request, code):
    """The current village ``code`` whose channel the user keeps, or 403."""
    village = current_village(code)
    if not can_edit_households(request.user, village):
        raise PermissionDenied
    return village


@login_required
@require_GET
def village(request, village_code):
    village = _kept_village(request, village_code)
    subscribers = village.subscribers.all()
    context = {
        "village": village,
        "channel": settings_of(village),
        "receiving": subscribers.receiving().count(),
        "opted_out": subscribers.filter(opted_out_at__isnull=False).count(),
        "announcements": village.announcements.with_counts()[:RECENT],
    }
    return render(request, "channel/village.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, village_code):
    village = _kept_village(request, village_code)
    channel = settings_of(village)
    form = SettingsForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        save_settings(village, by=request.user, **form.cleaned_data)
        messages.success(request, _("Đã lưu cách gửi tin."))
        return redirect("channel:village", village.code)
    return render(request, "channel/settings.html", {"village": village, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def subscriber_list(request, village_code):
    village = _kept_village(request, village_code)
    form = SubscriberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_subscriber(village, by=request.user, **form.cleaned_data)
        except ChannelError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm người nhận tin."))
            return redirect("channel:subscriber-list", village.code)
    context = {
        "village": village,
        "form": form,
        "subscribers": village.subscribers.all(),
    }
    return render(request, "channel/subscriber_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def subscriber_import(request, village_code):
    village = _kept_village(request, village_code)
    back = reverse("channel:subscriber-list", args=[village.code])
    return import_page(
        request,
        run=lambda file: import_subscribers(file, village=village, by=request.user),
        title=_("Nhập người nhận tin từ Excel — %(village)s") % {"village": village},
        template_url=reverse("channel:subscriber-template", args=[village.code]),
        done_url=back,
        back_url=back,
        back_label=_("Người nhận tin"),
        steps=[
            _("Số điện thoại đã có trong danh sách thì dòng cập nhật người đó."),
            _("Có dòng sai thì không dòng nào được lưu; sửa tệp rồi tải lên lại."),
        ],
    )


@login_required
@require_GET
def subscriber_template(request, village_code):
    village = _kept_village(request, village_code)
    return xlsx_response(build_template(village), "mau-nguoi-nhan-tin")


@login_required
@require_http_methods(["GET", "POST"])
def announcement_create(request, village_code):
    village = _kept_village(request, village_code)
    form = AnnouncementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = post_announcement(
                village, by=request.user, **form.cleaned_data
            )
        except ChannelError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã gửi thông báo."))
            return redirect(
                "channel:announcement-detail", village.code, announcement.pk
            )
    context = {"village": village, "form": form, "channel": settings_of(village)}
    return render(request, "channel/announcement_form.html", context)


@login_required
@require_GET
def announcement_detail(request, village_code, pk):
    village = _kept_village(request, village_code)
    announcement = get_object_or_404(
        village.announcements.with_counts().select_related("posted_by"), pk=pk
    )
    deliveries = announcement.deliveries.select_related("subscriber").order_by(
        "status", "subscriber__name", "adapter"
    )
    counts = [
        (status, getattr(announcement, f"n_{status.value}"))
        for status in Delivery.Status
    ]
    context = {
        "village": village,
        "announcement": announcement,
        "counts": counts,
        "deliveries": deliveries,
    }
    return render(request, "channel/announcement_detail.html", context)


@require_GET
def attachment(request, code):
    announcement = get_object_or_404(Announcement, code=code)
    if not announcement.attachment:
        raise Http404
    return FileResponse(announcement.attachment.open("rb"), as_attachment=True)


@require_http_methods(["GET", "POST"])
def opt_out_page(request, token):
    subscriber = get_object_or_404(
        Subscriber.objects.select_related("village"), token=token
    )
    if request.method == "POST":
        opt_out(subscriber, via=Subscriber.OptOutVia.LINK)
    context = {"village": subscriber.village, "stopped": subscriber.opted_out_at}
    return render(request, "channel/opt_out.html", context)


# Called by the SMS gateway, not a browser: it proves itself with the shared
# token, so it has no CSRF cookie to send.
@csrf_exempt
@require_POST
def sms_receive(request):
    expected = settings.SMS_INBOUND_TOKEN
    if not expected:
        raise Http404
    given = request.headers.get("X-Gateway-Token", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return _refusal(_("Không có quyền truy cập: mã của cổng SMS không đúng."), 403)
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size > SMS_MAX_BYTES:
        message = _("Tin nhắn gửi lên quá lớn (tối đa %(limit)s byte).")
        return _refusal(message % {"limit": SMS_MAX_BYTES}, 413)
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return _refusal(_("Nội dung gửi lên không phải một đối tượng JSON."), 400)
    else:
        data = request.POST
    # Any other text gets 200 too: a gateway resends what it sees refused.
    stopped = opt_out_by_keyword(
        str(data.get("text") or ""), phone=str(data.get("from") or "")
    )
    return JsonResponse({"status": "opted_out" if stopped else "ignored"})


def _refusal(message, status):
    # Unescaped, so the gateway's log shows the reason readably.
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )
