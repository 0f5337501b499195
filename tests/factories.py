"""One plain factory per model. Units are built through the services."""

import datetime

import factory
from django.utils import timezone

from ntm.accounts.models import Membership, Role, User
from ntm.channel.models import Announcement, ChannelSettings, Delivery, Subscriber
from ntm.core.text import fold
from ntm.feedback.models import Category as FeedbackCategory
from ntm.feedback.models import Report as FeedbackReport
from ntm.households.models import (
    EcommercePlatform,
    Facility,
    Household,
    VillageChannel,
)
from ntm.ocop.models import (
    CouncilLevel,
    Entity,
    EvaluationRound,
    Product,
    ProductGroup,
    SalesChannel,
)
from ntm.units.models import Unit
from ntm.units.services import create_unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    password = factory.django.Password("mat-khau-dung-1")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.VILLAGE_HEAD
    office = ""


def make_unit(code, name, kind, parent=None, **extra):
    return create_unit(code=code, name=name, kind=kind, parent=parent, by=None, **extra)


def make_village(commune, number, **extra):
    return make_unit(
        f"{commune.code}{number:02d}",
        f"Thôn {number}",
        Unit.Kind.VILLAGE,
        commune,
        valid_from=commune.valid_from,
        is_demo=True,
        **extra,
    )


def make_member(unit, role=Role.VILLAGE_HEAD, office="", chairs=False, **user_fields):
    user = UserFactory(**user_fields)
    Membership.objects.create(
        user=user, unit=unit, role=role, office=office, chairs_council=chairs
    )
    return user


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    code = factory.Sequence(lambda n: f"HGD{n:06d}")
    head_name = factory.Iterator(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    members = 4
    phone = factory.Sequence(lambda n: f"0905{n:06d}")
    address = "Thôn 1"
    search_text = factory.LazyAttribute(
        lambda h: fold(f"{h.code} {h.head_name} {h.address}")
    )


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    kind = Facility.Kind.CULTURAL_HOUSE
    name = "Nhà văn hóa thôn"
    has_wifi = True


class EcommercePlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EcommercePlatform
        django_get_or_create = ["name"]

    name = "Voso.vn"


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"4000{n:06d}")
    name = factory.Sequence(lambda n: f"Công ty TNHH Nông sản {n}")
    kind = Entity.Kind.ENTERPRISE
    address = "Số 1, thôn 1"
    representative = "Nguyễn Văn Đại Diện"
    representative_phone = "0905111222"
    search_text = factory.LazyAttribute(lambda e: fold(f"{e.code} {e.name}"))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    entity = factory.SubFactory(EntityFactory)
    name = factory.Sequence(lambda n: f"Mật ong rừng {n}")
    group = ProductGroup.FOOD
    search_text = factory.LazyAttribute(lambda p: fold(p.name))


class EvaluationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationRound

    name = factory.Sequence(lambda n: f"Đợt đánh giá {n}")
    year = 2025
    council_level = CouncilLevel.PROVINCE
    held_on = datetime.date(2025, 10, 20)


class SalesChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesChannel

    kind = SalesChannel.Kind.SUPERMARKET
    name = "Siêu thị Co.opmart"
    listed_from = datetime.date(2024, 1, 1)


BEFORE_2025 = datetime.date(2024, 12, 31)


def make_smart_village(commune, number, households):
    """A village meeting every household condition of the smart-village set,
    with a feedback channel and a cultural house with Wi-Fi; no businesses."""
    village = make_village(commune, number)
    for n in range(households):
        HouseholdFactory(
            village=village,
            address_code=f"DC{village.code}{n:03d}",
            has_fibre=True,
            smartphones=1,
            members=4,
            health_app_members=4,
        )
    FacilityFactory(village=village)
    VillageChannel.objects.create(village=village, platform="zalo", name="Nhóm thôn")
    make_active_channel(village)
    return village


CHANNEL_YEARS = (2023, 2024, 2025, 2026)


def make_active_channel(village, years=CHANNEL_YEARS):
    """The village head's channel as the smart-village rule counts it in each
    of ``years``: an announcement delivered in every quarter and a feedback
    report received (ntm.channel.indicators)."""
    ChannelSettings.objects.create(village=village, sms=True)
    subscriber = Subscriber.objects.create(
        village=village,
        name="Người nhận",
        phone="0905000000",
        consented_on=datetime.date(years[0], 1, 1),
    )
    category = FeedbackCategory.objects.first() or FeedbackCategory.objects.create(
        code="chung", name="Chung", office="ktht", deadline_days=7
    )
    announcements = Announcement.objects.bulk_create(
        Announcement(
            village=village,
            title="Tin thôn",
            body="Nội dung",
            posted_at=timezone.make_aware(datetime.datetime(year, month, 10, 9)),
        )
        for year in years
        for month in (2, 5, 8, 11)
    )
    Delivery.objects.bulk_create(
        Delivery(
            announcement=announcement,
            subscriber=subscriber,
            adapter="sms",
            status=Delivery.Status.SENT,
        )
        for announcement in announcements
    )
    FeedbackReport.objects.bulk_create(
        FeedbackReport(
            category=category,
            text="Phản ánh qua kênh thôn",
            lat=village.lat or 15.8,
            lon=village.lon or 108.0,
            village=village,
            commune=village.parent,
            received_at=received,
            due_at=received + datetime.timedelta(days=category.deadline_days),
        )
        for received in (
            timezone.make_aware(datetime.datetime(year, 1, 20, 9)) for year in years
        )
    )


def backdate_register(day):
    """Date every version of the register recorded so far at the start of
    ``day``: what a test made stands for the register of a past year (the
    engine reads a past year from the versions of its last day)."""
    from ntm.households.history import start_of

    for model in (Household, Facility):
        model.history.update(history_date=start_of(day))


def make_moved_village(units, number=1):
    """Thôn ``number`` of Xã Đại Đồng (to 30/06/2025), carried into Xã Hà Nha
    as Thôn 1``number`` from 01/07/2025: (old village, new village)."""
    from ntm.units.models import Reorganisation
    from ntm.units.services import reorganise_units

    old = make_unit(
        f"20515{number:02d}",
        f"Thôn {number}",
        Unit.Kind.VILLAGE,
        units["dai_dong"],
        valid_to=units["dai_dong"].valid_to,
    )
    new = make_unit(
        old.code,
        f"Thôn 1{number}",
        Unit.Kind.VILLAGE,
        units["ha_nha"],
        valid_from=units["ha_nha"].valid_from,
    )
    reorganise_units(
        kind=Reorganisation.Kind.TRANSFER,
        effective_date=new.valid_from,
        predecessors=[old],
        successors=[new],
        by=None,
    )
    return old, new
