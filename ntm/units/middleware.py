"""One place where a unit that does not exist on a date becomes an answer."""

from django.http import JsonResponse
from django.shortcuts import render

from .queries import UnitNotFound


class UnitNotFoundMiddleware:
    """Answer ``UnitNotFound`` from any view with a Vietnamese 404: the page
    linking the units that carried the code at other dates, or its message
    as JSON to a script that asked for JSON (the map's boundary request).

    The API (django-ninja) answers it in its own exception handler.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UnitNotFound):
            return None
        if not request.accepts("text/html"):
            return JsonResponse({"detail": exception.message}, status=404)
        context = {"missing": exception}
        return render(request, "units/unit_missing.html", context, status=404)
