from django.http import HttpResponse


def household_list(request):
    return HttpResponse("")


def household_detail(request, code):
    return HttpResponse("")
