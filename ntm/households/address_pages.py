"""Pages of digital addresses: a village's codes, assigning them, printing
plates, the public page a plate's QR code opens, and adding a place."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.accounts.permissions import can_edit_households, can_view_households
from ntm.core.links import public_url

from .addresses import assign_village_addresses, create_place, public_address
from .forms import PlaceForm
from .models import Facility, Household, Place
from .queries import current_village
from .services import HouseholdError


def _holders(village):
    return {
        "households": Household.objects.filter(village=village).order_by(
            "address_code", "code"
        ),
        "facilities": Facility.objects.filter(village=village).order_by(
            "address_code", "name"
        ),
        "places": Place.objects.filter(village=village).order_by(
            "address_code", "name"
        ),
    }


@login_required
def village_addresses(request, village_code):
    village = current_village(village_code)
    if not can_view_households(request.user, village):
        raise PermissionDenied
    holders = _holders(village)
    missing = sum(
        1 for group in holders.values() for holder in group if not holder.address_code
    )
    return render(
        request,
        "households/address_village.html",
        {
            "village": village,
            **holders,
            "missing": missing,
            "can_edit": can_edit_households(request.user, village),
        },
    )


@login_required
@require_POST
def village_addresses_assign(request, village_code):
    village = current_village(village_code)
    if not can_edit_households(request.user, village):
        raise PermissionDenied
    try:
        coded = assign_village_addresses(village, by=request.user)
    except HouseholdError as error:
        messages.error(request, str(error))
    else:
        if coded:
            messages.success(
                request,
                _("Đã gán %(count)s mã địa chỉ số, từ %(first)s đến %(last)s.")
                % {
                    "count": len(coded),
                    "first": coded[0].address_code,
                    "last": coded[-1].address_code,
                },
            )
        else:
            messages.info(request, _("Mọi nơi trong thôn đã có mã địa chỉ số."))
    return redirect("households:address-village", village.code)


@login_required
def village_plates(request, village_code):
    """Printable plates: the code, the village and a QR to the public page."""
    village = current_village(village_code)
    if not can_view_households(request.user, village):
        raise PermissionDenied
    plates = []
    for group in _holders(village).values():
        for holder in group:
            if not holder.address_code:
                continue
            url = public_url(
                request,
                reverse("addresses:address-page", args=[holder.address_code]),
                settings.ADDRESS_BASE_URL,
            )
            plates.append(
                {
                    "code": holder.address_code,
                    # A household's plate names no one: it hangs in the street.
                    "name": "" if isinstance(holder, Household) else holder.name,
                    "url": url,
                    "qr": segno.make_qr(url, error="m").svg_inline(
                        scale=3, omitsize=True, title=holder.address_code
                    ),
                }
            )
    plates.sort(key=lambda plate: plate["code"])
    return render(
        request,
        "households/address_plates.html",
        {"village": village, "plates": plates},
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_create(request, village_code):
    village = current_village(village_code)
    if not can_edit_households(request.user, village):
        raise PermissionDenied
    form = PlaceForm(request.POST or None, village=village)
    if request.method == "POST" and form.is_valid():
        try:
            create_place(village=village, by=request.user, **form.cleaned_data)
        except HouseholdError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm."))
            return redirect("households:address-village", village.code)
    return render(
        request, "households/place_form.html", {"form": form, "village": village}
    )


def address_page(request, code):
    """Public: what a plate's QR code opens. No personal data."""
    address = public_address(code)
    if address is None:
        raise Http404(_("Không có địa chỉ số này."))
    return render(request, "households/address_page.html", {"address": address})
