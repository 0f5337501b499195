"""What the household register adds to a unit's page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ntm.accounts.permissions import can_view_households

from .models import Household


def household_count(unit, request):
    """The number of households (an aggregate, public); the register link if allowed."""
    if unit.level > 4:
        return None
    count = Household.objects.in_unit(unit).count()
    url = None
    if unit.is_current and can_view_households(request.user, unit):
        parameter = "village" if unit.level == 4 else "commune"
        if unit.level in (3, 4):
            url = f"{reverse('households:household-list')}?{parameter}={unit.pk}"
        else:
            url = reverse("households:household-list")
    title = (
        _("Hộ gia đình")
        if unit.is_current
        else _("Hộ gia đình (nay thuộc các thôn kế thừa)")
    )
    return {"title": title, "value": count, "url": url}
