from django.http import HttpResponse


def unit_list(request):
    return HttpResponse("")


def unit_detail(request, code):
    return HttpResponse("")


def unit_boundary(request, code):
    return HttpResponse("")
