from django.urls import path

from . import address_pages, offline, views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("them-moi/", views.household_create, name="household-create"),
    path("nhap-excel/", views.household_import, name="household-import"),
    path("mau-nhap.xlsx", views.household_template, name="household-template"),
    path("xuat-excel/", views.household_export, name="household-export"),
    path("ngoai-tuyen/", offline.offline_register, name="offline-register"),
    path("ngoai-tuyen/sw.js", offline.offline_worker, name="offline-worker"),
    path(
        "ngoai-tuyen/manifest.webmanifest",
        offline.offline_manifest,
        name="offline-manifest",
    ),
    path(
        "dia-chi-so/thon/<str:village_code>/",
        address_pages.village_addresses,
        name="address-village",
    ),
    path(
        "dia-chi-so/thon/<str:village_code>/gan-ma/",
        address_pages.village_addresses_assign,
        name="address-assign",
    ),
    path(
        "dia-chi-so/thon/<str:village_code>/bien-dia-chi/",
        address_pages.village_plates,
        name="address-plates",
    ),
    path(
        "dia-chi-so/thon/<str:village_code>/co-quan/them-moi/",
        address_pages.place_create,
        name="place-create",
    ),
    path("cong-trinh/", views.facility_list, name="facility-list"),
    path(
        "cong-trinh/thon/<str:village_code>/",
        views.facility_village,
        name="facility-village",
    ),
    path(
        "cong-trinh/thon/<str:village_code>/them-moi/",
        views.facility_create,
        name="facility-create",
    ),
    path(
        "cong-trinh/thon/<str:village_code>/kenh/them-moi/",
        views.channel_edit,
        name="channel-create",
    ),
    path(
        "cong-trinh/thon/<str:village_code>/kenh/<int:pk>/sua/",
        views.channel_edit,
        name="channel-edit",
    ),
    path(
        "cong-trinh/thon/<str:village_code>/kenh/<int:pk>/xoa/",
        views.channel_delete,
        name="channel-delete",
    ),
    path("cong-trinh/<int:pk>/sua/", views.facility_edit, name="facility-edit"),
    path("cong-trinh/<int:pk>/xoa/", views.facility_delete, name="facility-delete"),
    path("<str:code>/", views.household_detail, name="household-detail"),
    path("<str:code>/sua/", views.household_edit, name="household-edit"),
    path("<str:code>/xoa/", views.household_delete, name="household-delete"),
    path(
        "<str:code>/ngung-theo-doi/",
        views.household_archive,
        name="household-archive",
    ),
    path("<str:code>/theo-doi-lai/", views.household_restore, name="household-restore"),
]

# The public page a plate's QR code opens: short, outside the register.
address_patterns = [
    path("<str:code>/", address_pages.address_page, name="address-page"),
]
