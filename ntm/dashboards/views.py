from django.shortcuts import render

from .queries import area_summary


def home(request):
    memberships = []
    if request.user.is_authenticated:
        memberships = request.user.memberships.select_related("unit")
    return render(
        request,
        "dashboards/home.html",
        {"summary": area_summary(), "memberships": memberships},
    )
