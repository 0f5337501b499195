"""Demo OCOP records of Đại Lộc (synthetic, labelled demo).

About twenty entities: cooperatives of the demo cooperative register,
household businesses of the demo household register (one of them the demo
producer account's), enterprises; products in the six groups, evaluated in
rounds from 2022 to 2026 through the services (a council member scores, the
Agriculture office approves and records the certificate), giving 1★ to 5★;
one certificate expired, some expiring within three months of the day the
demo is loaded; sales channels and green chains with dates, so that
targets 8 and 9 have figures for 2023–2025. Called by ``ntm.demo`` with its
seeded ``random.Random``.
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from ntm.accounts.models import User
from ntm.cooperatives.models import Cooperative, LinkageModel
from ntm.households.models import EcommercePlatform, Household
from ntm.units.models import Unit

from .gs1 import check_digit
from .models import CouncilLevel, Entity, ProductGroup, ScoringCriterion
from .ranking import add_months
from .services import (
    approve_evaluation,
    certify_evaluation,
    create_entity,
    create_green_chain,
    create_product,
    create_round,
    create_sales_channel,
    enter_product,
    load_all_scoring_sheets,
    score_evaluation,
)

G = ProductGroup
ENTERPRISES = [
    ("Công ty TNHH Nông sản Ái Nghĩa", "20500", Entity.Kind.ENTERPRISE),
    ("Công ty CP Dược liệu Đại Lộc", "20503", Entity.Kind.ENTERPRISE),
    ("Tổ hợp tác đan lát Đại Phong", "20536", Entity.Kind.COOPERATIVE_GROUP),
    ("Công ty TNHH Du lịch sinh thái Đại Hưng", "20509", Entity.Kind.ENTERPRISE),
    ("Tổ hợp tác cây cảnh Đại Minh", "20539", Entity.Kind.COOPERATIVE_GROUP),
]
PRODUCTS = {
    G.FOOD: ["Bánh tráng", "Mít sấy", "Mật ong rừng", "Nấm bào ngư", "Tương ớt"],
    G.DRINK: ["Chè xanh", "Rượu men lá", "Trà thảo mộc"],
    G.HERBAL: ["Tinh dầu tràm", "Cao dược liệu", "Trà gừng"],
    G.CRAFT: ["Đũi tơ tằm", "Nón lá", "Giỏ mây tre"],
    G.ORNAMENTAL: ["Mai vàng", "Bonsai sanh"],
    G.TOURISM: ["Du lịch sinh thái suối", "Homestay làng nghề"],
}
# (round key, council level, unit code, meeting day, certificate day)
ROUNDS = [
    ("2022", CouncilLevel.DISTRICT, "506", datetime.date(2022, 8, 10),
     datetime.date(2022, 9, 5)),
    ("2023", CouncilLevel.PROVINCE, "49", datetime.date(2023, 10, 15),
     datetime.date(2023, 11, 20)),
    ("2024", CouncilLevel.DISTRICT, "506", datetime.date(2024, 8, 22),
     datetime.date(2024, 9, 30)),
    ("2024tw", CouncilLevel.CENTRAL, "49", datetime.date(2024, 11, 28),
     datetime.date(2024, 12, 26)),
    ("2025", CouncilLevel.PROVINCE, "48", datetime.date(2025, 10, 20),
     datetime.date(2025, 11, 25)),
    ("2026", CouncilLevel.PROVINCE, "48", datetime.date(2026, 11, 5), None),
]  # fmt: skip
ROUND_NAMES = {
    "2022": "Đợt năm 2022 — Hội đồng cấp huyện Đại Lộc",
    "2023": "Đợt năm 2023 — Hội đồng cấp tỉnh Quảng Nam",
    "2024": "Đợt năm 2024 — Hội đồng cấp huyện Đại Lộc",
    "2024tw": "Đợt năm 2024 — Hội đồng cấp trung ương",
    "2025": "Đợt năm 2025 — Hội đồng cấp thành phố Đà Nẵng",
    "2026": "Đợt năm 2026 — Hội đồng cấp thành phố Đà Nẵng",
}
# Totals giving every band; (round, total, how far the workflow goes).
CERTIFY, APPROVE, SCORE, ENTER = "certify", "approve", "score", "enter"
PDF = b"%PDF-1.4\n% Minh chung minh hoa (du lieu minh hoa)\n%%EOF\n"


def build(rng):
    """Create the demo OCOP records. Returns counts."""
    load_all_scoring_sheets()
    council = User.objects.get(username="hoidong")
    office = User.objects.get(username="nnptnt")
    producer = User.objects.get(username="sanxuat")
    entities = _entities(rng, office, producer)
    products = _products(rng, entities, office)
    rounds = _rounds(office)
    evaluations = _evaluate(rng, products, rounds, council, office)
    channels = _channels(rng, entities, office)
    chains = _green_chains(rng, entities, office)
    return {
        "entities": len(entities),
        "products": len(products),
        "evaluations": evaluations,
        "sales_channels": channels,
        "green_chains": chains,
    }


def _entities(rng, office, producer):
    before = datetime.date(2024, 12, 31)
    entities = []
    cooperatives = list(
        Cooperative.objects.filter(is_demo=True)
        .select_related("commune")
        .order_by("code")
    )
    for index, cooperative in enumerate(rng.sample(cooperatives, 6), start=1):
        entities.append(
            create_entity(
                by=office,
                code=cooperative.code,
                name=cooperative.name,
                kind=Entity.Kind.COOPERATIVE,
                unit=cooperative.commune,
                cooperative=cooperative,
                address=f"Trụ sở HTX, {cooperative.commune.name}",
                representative=cooperative.representative,
                representative_phone=cooperative.phone,
                contact_phone=f"0235 38{index:02d} {rng.randrange(1000):03d}",
                contact_is_public=index % 2 == 1,
                is_demo=True,
            )
        )
    for index, (name, commune_code, kind) in enumerate(ENTERPRISES, start=1):
        commune = Unit.objects.communes().by_code(commune_code, on=before)
        entities.append(
            create_entity(
                by=office,
                code=f"40{rng.randrange(10**8):08d}",
                name=name,
                kind=kind,
                unit=commune,
                address=f"Số {index * 7}, {commune.name}",
                representative=f"Giám đốc {index} (minh họa)",
                representative_phone=f"09{rng.randrange(10**8):08d}",
                contact_phone=f"0235 37{index:02d} {rng.randrange(1000):03d}",
                contact_email=f"lienhe{index}@ocop-minhhoa.vn",
                website=f"https://ocop-minhhoa.vn/chu-the-{index}",
                contact_is_public=True,
                # GS1 Vietnam's prefix 893 and a five-digit company number.
                gs1_company_prefix=f"893{rng.randrange(10**5):05d}"
                if index <= 2
                else "",
                is_demo=True,
            )
        )
    # Household businesses: the demo producer's (in its village), then others.
    business = Household.objects.filter(is_business=True, is_demo=True)
    own = (
        business.filter(village__code="2051202").order_by("code").first()
        or business.filter(village__parent__code="20515").order_by("code").first()
    )
    others = list(
        Household.objects.filter(is_business=True, is_demo=True)
        .exclude(pk=getattr(own, "pk", None))
        .select_related("village")
        .order_by("code")[:2000]
    )
    households = ([own] if own else []) + rng.sample(others, min(8, len(others)))
    for index, household in enumerate(households, start=1):
        first = index == 1 and own is not None
        entities.append(
            create_entity(
                by=office,
                code=f"33{household.code[-8:]}",
                name=f"Hộ kinh doanh {household.village.name} số {index}",
                kind=Entity.Kind.HOUSEHOLD_BUSINESS,
                unit=household.village,
                household=household,
                accounts=[producer] if first else [],
                address=household.address,
                representative=household.head_name,
                representative_phone=household.phone,
                contact_phone=household.phone if index % 3 == 0 else "",
                contact_is_public=index % 3 == 0,
                is_demo=True,
            )
        )
    return entities


def _products(rng, entities, office):
    products = []
    groups = list(G)
    for index, entity in enumerate(entities):
        count = 1 if index % 3 else 2
        for number in range(count):
            group = groups[(index + number) % len(groups)]
            base = rng.choice(PRODUCTS[group])
            gtin = ""
            if entity.gs1_company_prefix and number == 0:
                gtin = _gtin(entity.gs1_company_prefix, index)
            products.append(
                create_product(
                    entity=entity,
                    by=office,
                    name=f"{base} {_place(entity)}",
                    group=group,
                    description=f"{base} do {entity.name} sản xuất (dữ liệu minh họa).",
                    gtin=gtin,
                    is_demo=True,
                )
            )
    return products


def _rounds(office):
    rounds = {}
    for key, level, code, held_on, _certified in ROUNDS:
        unit = Unit.objects.filter(code=code, level__lte=Unit.Level.DISTRICT).get()
        rounds[key] = create_round(
            by=office,
            name=ROUND_NAMES[key],
            year=held_on.year,
            council_level=level,
            unit=unit,
            held_on=held_on,
            note="Dữ liệu minh họa",
            is_demo=True,
        )
    return rounds


def _evaluate(rng, products, rounds, council, office):
    """Walk each product through its rounds; returns the number of results."""
    today = timezone.localdate()
    certificate_days = {key: day for key, *_rest, day in ROUNDS}
    # Certificates that run out within 90 days of the day the demo loads.
    soon = [add_months(today, -36) + datetime.timedelta(days=d) for d in (20, 70)]
    plans = []
    for index, product in enumerate(products):
        kind = index % 8
        if index == 0:  # the expired one: certified in 2022, not re-evaluated
            plans.append((product, "2022", 58.5, CERTIFY, None))
        elif kind in (0, 1):  # certified 2022, renewed in 2025
            plans.append((product, "2022", 61, CERTIFY, None))
            plans.append((product, "2025", 74.5, CERTIFY, None))
        elif kind == 2:  # expiring soon
            plans.append((product, "2023", 72, CERTIFY, soon[index % 2]))
        elif kind == 3:
            plans.append((product, "2024", 66.25, CERTIFY, None))
        elif kind == 4:  # 5★ by the central council
            plans.append((product, "2023", 86, CERTIFY, None))
            plans.append((product, "2024tw", 92.5, CERTIFY, None))
        elif kind == 5:  # not an OCOP product: 2★, then 1★ on another try
            plans.append((product, "2024", 44.75, APPROVE, None))
            plans.append((product, "2025", 29.5, APPROVE, None))
        elif kind == 6:
            plans.append((product, "2025", 53, CERTIFY, None))
            plans.append((product, "2026", 71, SCORE, None))
        else:  # expiring soon, and entered again for re-evaluation
            plans.append((product, "2023", 69.99, CERTIFY, soon[index % 2]))
            plans.append((product, "2026", 0, ENTER, None))
    count = 0
    for product, key, total, until, certificate_day in plans:
        evaluation = enter_product(
            rounds[key], product=product, by=office, is_demo=True
        )
        count += 1
        if until == ENTER:
            continue
        score_evaluation(evaluation, points=_points(rng, evaluation, total), by=council)
        if until == SCORE:
            continue
        approve_evaluation(evaluation, by=office)
        if until == APPROVE:
            continue
        day = certificate_day or certificate_days[key]
        certify_evaluation(
            evaluation,
            number=f"{rng.randint(100, 4999)}/QĐ-UBND",
            certificate_date=day,
            by=office,
        )
    return count


def _channels(rng, entities, office):
    platforms = list(EcommercePlatform.objects.order_by("name"))
    count = 0
    for index, entity in enumerate(entities):
        kind = index % 5
        if kind == 4:
            continue  # no modern channel yet
        start = datetime.date(2022 + index % 4, 1 + index % 12, 1 + index % 27)
        if kind in (0, 2):
            platform = platforms[index % len(platforms)]
            create_sales_channel(
                entity=entity,
                by=office,
                kind="san_tmdt",
                platform=platform,
                name=f"Gian hàng {entity.name}",
                url=f"https://{platform.name.lower()}/gian-hang/ocop-minh-hoa-{index}",
                listed_from=start,
                # One listing closed in 2024: 2023 keeps counting it.
                listed_to=datetime.date(2024, 6, 30) if index == 2 else None,
                is_demo=True,
            )
        else:
            create_sales_channel(
                entity=entity,
                by=office,
                kind="sieu_thi" if kind == 1 else "cua_hang_tien_loi",
                name=rng.choice(
                    [
                        "Siêu thị Co.opmart Tam Kỳ",
                        "Siêu thị Big C Đà Nẵng",
                        "Chuỗi cửa hàng OCOP Quảng Nam",
                        "Cửa hàng tiện lợi WinMart+ Ái Nghĩa",
                    ]
                ),
                listed_from=start,
                is_demo=True,
            )
        count += 1
    return count


def _green_chains(rng, entities, office):
    models = {
        m.cooperative_id: m
        for m in LinkageModel.objects.filter(
            is_demo=True, has_raw_material_area=True
        ).order_by("pk")
    }
    count = 0
    for index, entity in enumerate(entities):
        if index % 3 != 0:
            continue
        linkage = models.get(entity.cooperative_id)
        fields = {
            "kind": "ocop_xanh" if index % 2 else "tuan_hoan",
            "description": "Tận dụng phụ phẩm làm phân hữu cơ, bao bì thân thiện "
            "môi trường (dữ liệu minh họa).",
            "linkage_model": linkage,
            "raw_material_area": ""
            if linkage
            else f"Vùng nguyên liệu {_place(entity)}",
            "area_ha": None if linkage else Decimal(rng.randint(3, 40)),
            "valid_from": datetime.date(2023 + index % 3, 3, 1),
            "is_demo": True,
        }
        if index % 2:
            fields["evidence_url"] = f"https://ocop-minhhoa.vn/minh-chung/{index}"
            create_green_chain(entity=entity, by=office, **fields)
        else:
            upload = ContentFile(PDF, name=f"minh-chung-{index}.pdf")
            create_green_chain(entity=entity, by=office, evidence_file=upload, **fields)
        count += 1
    return count


def _points(rng, evaluation, total):
    """Points per criterion adding up to ``total``, spread by maximum."""
    criteria = list(
        ScoringCriterion.objects.filter(part__sheet=evaluation.sheet_id).order_by(
            "part__order", "order"
        )
    )
    share = Decimal(str(total)) / Decimal(100)
    points = {}
    for criterion in criteria:
        wobble = Decimal(rng.randint(-8, 8)) / Decimal(100)
        value = criterion.max_points * max(Decimal(0), min(Decimal(1), share + wobble))
        points[criterion.pk] = value.quantize(Decimal("0.25"), rounding=ROUND_DOWN)
    # Settle the difference on the criteria with room, largest first.
    missing = Decimal(str(total)) - sum(points.values())
    for criterion in sorted(criteria, key=lambda c: -c.max_points):
        room = criterion.max_points - points[criterion.pk]
        step = max(min(missing, room), -points[criterion.pk])
        points[criterion.pk] += step
        missing -= step
    return points


def _gtin(prefix, index):
    body = f"{prefix}{index:04d}"[:12].ljust(12, "0")
    return "0" + body + check_digit(body)


def _place(entity):
    name = entity.unit.parent.name if entity.unit.level == 4 else entity.unit.name
    return name.removeprefix("Xã ").removeprefix("Thị trấn ")
