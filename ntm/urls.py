from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from ntm.api import api
from ntm.dashboards import views as dashboard_views
from ntm.households.urls import address_patterns
from ntm.traceability.urls import scan_patterns

# The support staff's admin asks for the one-time code too.
admin.site.__class__ = OTPAdminSite

# Django tries these in order, a few microseconds each (measured under
# gunicorn: a page behind 24 others paid about 0.1 ms to be found), so the
# pages a crowd opens come first: the API, the survey pages, the QR scan
# pages, unit, OCOP and dashboard pages; staff pages after them.
urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("api/", api.urls),
    path("khao-sat/", include("ntm.surveys.urls")),
    # GS1 Digital Link paths of traced lots (/01/<GTIN>/10/<lot>, /sp/…).
    path("", include((scan_patterns, "traceability"), namespace="scan")),
    path("don-vi/", include("ntm.units.urls")),
    path("ocop/", include("ntm.ocop.urls")),
    path("truy-xuat/", include("ntm.traceability.urls")),
    path("bang-dieu-khien/", include("ntm.dashboards.urls")),
    path("du-lieu-mo/", include("ntm.opendata.urls")),
    path("ban-do/", include("ntm.maps.urls")),
    path("du-lich/", include("ntm.tourism.urls")),
    path("phan-anh/", include("ntm.feedback.urls")),
    path("dc/", include((address_patterns, "addresses"))),
    path("tai-khoan/", include("ntm.accounts.urls")),
    path("ho-gia-dinh/", include("ntm.households.urls")),
    path("chi-tieu/", include("ntm.indicators.urls")),
    path("ke-hoach/", include("ntm.plans.urls")),
    path("tap-huan/", include("ntm.knowledge.urls")),
    path("kien-thuc/", include("ntm.knowledge.library_urls")),
    path("moi-truong/", include("ntm.environment.urls")),
    path("kenh-thon/", include("ntm.channel.urls")),
    path("hop-tac-xa/", include("ntm.cooperatives.urls")),
    path("ho-so-cong-nhan/", include("ntm.dossiers.urls")),
    path("bao-cao/", include("ntm.reports.urls")),
    path("tep-xuat/", include("ntm.core.urls")),
    path("quan-tri/", admin.site.urls),
]
