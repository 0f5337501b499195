"""Demo growing areas, diaries and traced lots of Đại Lộc (synthetic, labelled).

Each demo OCOP entity with a food or drink product gets a growing area
inside its commune's (approximate) boundary, taken through the code
lifecycle by the demo Agriculture office, with two seasons a year of diary
entries (planting, fertiliser, a spraying with its pre-harvest interval,
irrigation, a harvest after the interval) and a lot per harvest with its
packing, shipping and sale events. When the OCOP demo has not run (no demo
entity yet), a few demo entities and products are made here. Called by
``ntm.demo`` with its seeded ``random.Random``; dates are fixed, so every
run gives the same records and the same event hashes.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from shapely.geometry import box

from ntm.accounts.models import User
from ntm.core.text import fold
from ntm.households.models import Household
from ntm.ocop.gs1 import check_digit
from ntm.ocop.models import Entity, Product, ProductGroup
from ntm.units import geometry as unit_geometry
from ntm.units.models import Unit

from .models import CropKind, DiaryEntry, LocalProductId
from .services import (
    add_certificate,
    change_area_status,
    create_lot,
    declare_area,
    record_diary_entry,
    record_event,
)

SEASONS = [
    # (planting, harvest) month-day of the two rice-free vegetable seasons
    ((1, 10), (3, 20)),
    ((8, 5), (10, 25)),
]
YEARS = (2024, 2025, 2026)
# What each demo product grows from, found by a word of its name (folded):
# a product with none (forest honey) gets no growing area, rather than one
# of a crop it cannot come from.
CROPS = [
    ("rau cai", ("Rau cải ngọt", "Cải ngọt TN 15", CropKind.ANNUAL)),
    ("dua hau", ("Dưa hấu", "Hắc Mỹ Nhân", CropKind.ANNUAL)),
    ("buoi", ("Bưởi", "Bưởi da xanh", CropKind.PERENNIAL)),
    ("nam rom", ("Nấm rơm", "Nấm rơm", CropKind.ANNUAL)),
    ("ot", ("Ớt", "Ớt chỉ thiên", CropKind.ANNUAL)),
    ("mit", ("Mít", "Mít Thái", CropKind.PERENNIAL)),
    ("che", ("Chè", "Chè xanh trung du", CropKind.PERENNIAL)),
    ("thao moc", ("Cúc hoa vàng", "Cúc hoa vàng", CropKind.ANNUAL)),
    ("tram", ("Tràm gió", "Tràm gió", CropKind.PERENNIAL)),
    ("duoc lieu", ("Cà gai leo", "Cà gai leo", CropKind.ANNUAL)),
]
SPRAYS = [("Radiant 60SC", "20 ml/bình 16 lít", 7), ("Regent 800WG", "1 g/bình", 14)]
FERTILISERS = [("NPK 16-16-8", "25 kg/sào"), ("Phân hữu cơ vi sinh", "200 kg/sào")]
FALLBACK_ENTITIES = [
    # commune, name, product, has a GTIN, a household business (linked to
    # its household in the register)
    ("20515", "HTX Rau an toàn Hà Nha (minh họa)", "Rau cải ngọt Hà Nha", 1, 0),
    ("20539", "Hộ kinh doanh dưa hấu Vu Gia (minh họa)", "Dưa hấu Vu Gia", 0, 1),
    ("20500", "Hộ kinh doanh bưởi Đại Lộc (minh họa)", "Bưởi da xanh", 1, 1),
    ("20506", "Hộ kinh doanh nấm Thượng Đức (minh họa)", "Nấm rơm Thượng Đức", 0, 1),
    ("20542", "HTX Nông nghiệp Phú Thuận (minh họa)", "Ớt chỉ thiên Phú Thuận", 1, 0),
]
OFFICE_USERNAME = "nnptnt"
PRODUCER_USERNAME = "sanxuat"


def build(rng, *, today=None):
    """Create the demo areas, diaries and lots. Returns the number of lots."""
    today = today or timezone.localdate()
    office = User.objects.filter(username=OFFICE_USERNAME).first()
    grown = [(p, crop) for p in _demo_products(rng) if (crop := crop_of(p.name))]
    lots = 0
    for index, (product, crop) in enumerate(grown):
        area = _area(rng, product, crop, index, office, today)
        if area.is_coded:
            lots += _seasons(rng, area, product, index, today)
    return lots


def _demo_products(rng):
    products = list(
        Product.objects.filter(
            is_demo=True,
            is_active=True,
            group__in=[ProductGroup.FOOD, ProductGroup.DRINK, ProductGroup.HERBAL],
        )
        .select_related("entity__unit")
        .order_by("entity__code", "pk")
    )
    # One product per entity: the first of each grown from a crop.
    chosen, seen = [], set()
    for product in products:
        if product.entity_id not in seen and crop_of(product.name):
            seen.add(product.entity_id)
            chosen.append(product)
    if not chosen:
        chosen = _fallback_products(rng)
    producer = User.objects.filter(username=PRODUCER_USERNAME).first()
    first = chosen[0].entity
    if producer is not None and not first.accounts.exists():
        first.accounts.add(producer)
    return chosen[:6]


def _fallback_products(rng):
    communes = {u.code: u for u in Unit.objects.valid_on().communes()}
    businesses = list(
        Household.objects.filter(is_business=True, ocop_entity__isnull=True)
        .select_related("village__parent")
        .order_by("code")
    )
    products = []
    for index, row in enumerate(FALLBACK_ENTITIES):
        code, name, product_name, with_gtin, linked = row
        commune = communes[code]
        household = None
        if linked:
            household = next(
                (h for h in businesses if h.village.parent_id == commune.pk), None
            )
        if household is not None:
            businesses.remove(household)
        entity = Entity.objects.create(
            code=f"DEMO-TX-{index + 1:02d}",
            name=name,
            kind=Entity.Kind.HOUSEHOLD_BUSINESS if linked else Entity.Kind.COOPERATIVE,
            unit=commune,
            household=household,
            address=f"{commune.name}, Đà Nẵng",
            contact_phone=f"0235 38{rng.randrange(10**5):05d}",
            contact_is_public=True,
            is_demo=True,
        )
        entity.search_text = entity.build_search_text()
        entity.save(update_fields=["search_text"])
        body = f"893{rng.randrange(10**4, 10**5)}{index + 1:04d}"
        product = Product.objects.create(
            entity=entity,
            name=product_name,
            group=ProductGroup.FOOD,
            gtin=("0" + body + check_digit("0" + body)) if with_gtin else "",
            is_demo=True,
        )
        product.search_text = product.build_search_text()
        product.save(update_fields=["search_text"])
        products.append(product)
    return products


def _current_commune(unit):
    if unit.level == Unit.Level.VILLAGE:
        unit = unit.parent
    if unit.is_current:
        return unit
    return unit.successors().filter(level=Unit.Level.COMMUNE).first() or unit


def _polygon_inside(rng, commune, hectares):
    cell = unit_geometry.from_geojson(commune.boundary)
    # About 111 km per degree of latitude; longitude shrinks by cos(16°).
    side = (hectares * 10_000) ** 0.5 / 111_000
    for _attempt in range(200):
        point = unit_geometry.random_point_in(cell, rng)
        candidate = box(point.x, point.y, point.x + side / 0.96, point.y + side)
        if cell.contains(candidate):
            return candidate
    centre = cell.representative_point()
    return box(centre.x, centre.y, centre.x + side / 1e3, centre.y + side / 1e3)


def crop_of(product_name):
    """(crop, variety, kind) a product of that name grows from, or None."""
    words = f" {fold(product_name)} "
    return next((crop for word, crop in CROPS if f" {word} " in words), None)


def _area(rng, product, crop, index, office, today):
    entity = product.entity
    commune = _current_commune(entity.unit)
    crop, variety, kind = crop
    declared_on = datetime.date(2023, 9, 1) + datetime.timedelta(days=index * 3)
    households = list(
        Household.objects.filter(village__parent=commune, is_business=True).order_by(
            "code"
        )[: rng.randint(1, 3)]
    )
    area = declare_area(
        entity=entity,
        name=f"Vùng {crop.lower()} {commune.name.removeprefix('Xã ')}",
        unit=commune,
        crop=crop,
        variety=variety,
        crop_kind=kind,
        season="Đông Xuân, Hè Thu" if kind == CropKind.ANNUAL else "Quanh năm",
        expected_yield_tonnes=Decimal(rng.randint(8, 60)),
        boundary=_polygon_inside(rng, commune, rng.uniform(2.5, 9)),
        households=households,
        on=declared_on,
        by=None,
        is_demo=True,
    )
    # The fourth area waits for its inspection, the others hold a code.
    if index == 3 or office is None:
        return area
    steps = [
        ("inspect", 20, "Kiểm tra thực địa: đủ điều kiện an toàn thực phẩm."),
        ("issue", 45, "Đủ điều kiện cấp mã số vùng trồng (dữ liệu minh họa)."),
        ("supervise", 400, "Giám sát định kỳ năm 2024: đạt."),
    ]
    for action, days, reason in steps:
        change_area_status(
            area,
            action,
            by=office,
            on=declared_on + datetime.timedelta(days=days),
            reason=reason,
            document_number=f"BB-{index + 1:02d}/{action}",
        )
    add_certificate(
        area,
        kind="vietgap",
        number=f"VG-DL-{index + 1:03d}",
        issuer="Trung tâm Kiểm nghiệm và Chứng nhận (minh họa)",
        issued_on=datetime.date(2024, 3, 1),
        valid_until=datetime.date(2027, 2, 28),
        by=office,
    )
    return area


def _seasons(rng, area, product, index, today):
    if not product.gtin and not LocalProductId.objects.filter(product=product):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        LocalProductId.objects.create(
            product=product,
            code="L" + "".join(rng.choice(alphabet) for _ in range(9)),
        )
    lots = 0
    for year in YEARS:
        for season, ((pm, pd), (hm, hd)) in enumerate(SEASONS, start=1):
            planted = datetime.date(year, pm, pd)
            harvested = datetime.date(year, hm, hd)
            if harvested > today:
                continue
            _diary(rng, area, planted, harvested)
            harvest = record_diary_entry(
                area,
                kind=DiaryEntry.Kind.HARVEST,
                on=harvested,
                quantity_kg=Decimal(rng.randint(8, 40) * 100),
                by=None,
                is_demo=True,
            )
            lot = create_lot(
                product=product,
                area=area,
                number=f"DL{index + 1}-{year}-{season}",
                quantity_kg=harvest.quantity_kg,
                produced_on=harvested,
                harvest=harvest,
                occurred_at=_at(harvested, 6),
                recorded_at=_at(harvested, 18),
                by=None,
                is_demo=True,
            )
            for days, hour, kind, details in (
                (1, 7, "dong_goi", {"packages": 40, "packaging": "Thùng 20 kg"}),
                (1, 14, "van_chuyen", {"destination": "Chợ đầu mối Hòa Cường"}),
                (2, 9, "ban_hang", {"channel": "Siêu thị Co.opmart Đà Nẵng"}),
            ):
                moment = _at(harvested + datetime.timedelta(days=days), hour)
                record_event(
                    lot,
                    kind=kind,
                    occurred_at=moment,
                    recorded_at=moment,
                    by=None,
                    **details,
                )
            lots += 1
    return lots


def _diary(rng, area, planted, harvested):
    name, dose, interval = SPRAYS[rng.randrange(len(SPRAYS))]
    fertiliser, amount = FERTILISERS[rng.randrange(len(FERTILISERS))]
    entries = [
        (planted, DiaryEntry.Kind.PLANTING, {"input_name": area.variety}),
        (
            planted + datetime.timedelta(days=15),
            DiaryEntry.Kind.FERTILISER,
            {"input_name": fertiliser, "dose": amount},
        ),
        (
            harvested - datetime.timedelta(days=interval + rng.randint(3, 10)),
            DiaryEntry.Kind.PESTICIDE,
            {"input_name": name, "dose": dose, "preharvest_days": interval},
        ),
    ]
    for week in (2, 5, 8):
        entries.append(
            (planted + datetime.timedelta(weeks=week), DiaryEntry.Kind.IRRIGATION, {})
        )
    for on, kind, fields in sorted(entries, key=lambda item: item[0]):
        record_diary_entry(area, kind=kind, on=on, by=None, is_demo=True, **fields)


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
