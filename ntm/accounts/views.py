from django.http import HttpResponse


def two_factor(request):
    return HttpResponse("")


def membership_list(request):
    return HttpResponse("")
