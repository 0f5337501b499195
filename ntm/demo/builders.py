"""The Đại Lộc demo: real units, synthetic villages, households and accounts.

Everything synthetic is generated from a fixed seed, so every run gives the same
records, and carries ``is_demo`` so that screens label it "dữ liệu minh họa".
Counts follow the district's published figures: 161 villages and 38,588
households (2012).
"""

import base64
import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.models import Membership, Office, Role, User
from ntm.channel import demo as channel_demo
from ntm.cooperatives import demo as cooperatives_demo
from ntm.core.audit import log_actions
from ntm.core.text import fold
from ntm.dossiers import demo as dossiers_demo
from ntm.environment import demo as environment_demo
from ntm.feedback import demo as feedback_demo
from ntm.households.models import EcommercePlatform, Facility, Household, WaterSource
from ntm.indicators.services import classify_units, load_all_criteria
from ntm.knowledge import demo as knowledge_demo
from ntm.ocop import demo as ocop_demo
from ntm.plans import demo as plans_demo
from ntm.plans.services import load_all_plans
from ntm.reports import demo as reports_demo
from ntm.surveys import demo as surveys_demo
from ntm.tourism import demo as tourism_demo
from ntm.traceability import demo as traceability_demo
from ntm.units import geometry
from ntm.units.models import Reorganisation, Unit
from ntm.units.services import create_unit, load_reference_units, reorganise_units

from . import history

SEED = 2023
VILLAGE_COUNT = 161
HOUSEHOLD_COUNT = 38_588
REORGANISED = datetime.date(2025, 7, 1)
DEMO_PASSWORD = "demo@2026"
# A fixed TOTP secret so that the demo admin can sign in: add its base32 form
# (demo_totp_secret) to any authenticator app, or run `make otp`.
DEMO_TOTP_HEX = "48656c6c6fdeadbeef48"
PLATFORMS = ["PostMart.vn", "Voso.vn", "Sendo.vn", "Shopee.vn", "Lazada.vn"]

FAMILY = (
    "Nguyễn Trần Lê Phạm Huỳnh Hoàng Phan Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đoàn Trương"
)
MIDDLE = "Văn Thị Đức Minh Ngọc Thanh Hữu Công Quang Xuân Thu Kim"
GIVEN = (
    "An Bình Cường Dũng Hà Hải Hạnh Hoa Hùng Hương Khánh Lan Long Mai Nam Nga Phúc "
    "Phương Quân Sơn Tâm Thảo Thắng Trung Tuấn Vân Việt Xuân Yến Lộc Nhung Tài Hiền"
)

ACCOUNTS = [
    # username, full name, role, office, unit codes (latest version of each)
    ("admin", "Quản trị hệ thống (minh họa)", Role.DISTRICT_ADMIN, "", ["48", "49"]),
    (
        "vhtt",
        "Phòng VH-TT (minh họa)",
        Role.OFFICE_STAFF,
        Office.CULTURE,
        ["48", "506"],
    ),
    (
        "nnptnt",
        "Phòng NN-PTNT (minh họa)",
        Role.OFFICE_STAFF,
        Office.AGRICULTURE,
        ["48", "506"],
    ),
    (
        "ktht",
        "Phòng KT-HT (minh họa)",
        Role.OFFICE_STAFF,
        Office.ECONOMY,
        ["48", "506"],
    ),
    (
        "tckh",
        "Phòng TC-KH (minh họa)",
        Role.OFFICE_STAFF,
        Office.FINANCE,
        ["48", "506"],
    ),
    ("congan", "Công an (minh họa)", Role.OFFICE_STAFF, Office.POLICE, ["48", "506"]),
    ("xa.hanha", "Cán bộ xã Hà Nha (minh họa)", Role.COMMUNE_OFFICER, "", ["20515"]),
    (
        "thon.hanha1",
        "Trưởng thôn 1, Hà Nha (minh họa)",
        Role.VILLAGE_HEAD,
        "",
        ["2051201"],
    ),
    (
        "hoidong",
        "Chủ tịch hội đồng thẩm định (minh họa)",
        Role.COUNCIL_MEMBER,
        "",
        ["48"],
    ),
    ("sanxuat", "Chủ thể sản xuất (minh họa)", Role.PRODUCER, "", ["2051202"]),
]


@transaction.atomic
def load_demo(
    *,
    households=HOUSEHOLD_COUNT,
    stdout=None,
    password=DEMO_PASSWORD,
    totp_hex=DEMO_TOTP_HEX,
):
    """Load everything the demo needs; does nothing when it is already there.

    The accounts get ``password`` and the admin's authenticator ``totp_hex``:
    the published ones on a developer's machine, fresh random ones on a demo
    server (see the load_demo command).
    """
    say = stdout.write if stdout else (lambda _text: None)
    if load_reference_units(by=None):
        say("Đã nạp đơn vị hành chính thật của Đại Lộc và sắp xếp 01/07/2025.")
    if Unit.objects.villages().exists():
        say("Dữ liệu minh họa đã có sẵn, không nạp lại.")
        return False
    rng = random.Random(SEED)
    current_villages = build_villages(rng)
    say(f"Đã tạo {len(current_villages)} thôn minh họa (trước và sau sắp xếp).")
    count = build_households(rng, current_villages, households)
    say(f"Đã tạo {count} hộ gia đình minh họa.")
    build_facilities(rng, current_villages)
    history.build_channels(rng, current_villages)
    build_accounts(password=password, totp_hex=totp_hex)
    say("Đã tạo tài khoản minh họa.")
    for criteria_set, action in load_all_criteria():
        say(f"Bộ tiêu chí {criteria_set.code}: {action or 'đã có'}.")
    classify_units(
        "region",
        "DHNTB",
        Unit.objects.communes(),
        by=None,
    )
    history.build_history(rng, current_villages)
    say("Đã tạo số liệu minh họa các năm 2024, 2025 và 2026.")
    for plan, _created in load_all_plans():
        # Each app builds its own demo records; separate seeds keep them stable
        # when another app's generator changes.
        plans_demo.build(random.Random(SEED + 1), plan)
        say(f"Đã nạp {plan.title}.")
    knowledge_demo.build(random.Random(SEED + 2))
    cooperatives_demo.build(random.Random(SEED + 3))
    surveys_demo.build(random.Random(SEED + 4))
    dossiers_demo.build(random.Random(SEED + 5))
    reports_demo.build(random.Random(SEED + 6))
    ocop_demo.build(random.Random(SEED + 7))
    traceability_demo.build(random.Random(SEED + 9))
    environment_demo.build(random.Random(SEED + 10))
    tourism_demo.build(random.Random(SEED + 12))
    feedback_demo.build(random.Random(SEED + 11))
    channel_demo.build(random.Random(SEED + 12))
    history.close_years()
    say("Đã khóa sổ các năm 2023, 2024, 2025.")
    say(
        "Đã tạo hồ sơ minh họa: hồ sơ công việc, tập huấn, hợp tác xã, "
        "nhiệm vụ, kinh phí, khảo sát, hồ sơ công nhận, báo cáo năm, OCOP, "
        "vùng trồng và lô hàng truy xuất nguồn gốc, điểm quan trắc môi trường."
    )
    return True


def _water_source(rng, piped):
    if rng.random() < piped:
        return WaterSource.PIPED
    return rng.choice(
        [
            WaterSource.DRILLED_WELL,
            WaterSource.DRILLED_WELL,
            WaterSource.DUG_WELL,
            WaterSource.RAIN,
            WaterSource.OTHER,
            "",
        ]
    )


def build_villages(rng):
    """161 villages under the 18 old communes, carried into the 5 new ones."""
    old_communes = list(
        Unit.objects.communes().filter(valid_to__lt=REORGANISED).order_by("code")
    )
    counts = _allocate(
        VILLAGE_COUNT, [float(c.area_km2) ** 0.5 for c in old_communes], rng
    )
    old_villages = {}
    for commune, count in zip(old_communes, counts, strict=True):
        cell = geometry.from_geojson(commune.boundary)
        prefix = "Khu phố" if commune.kind == Unit.Kind.TOWNSHIP else "Thôn"
        kind = (
            Unit.Kind.QUARTER
            if commune.kind == Unit.Kind.TOWNSHIP
            else Unit.Kind.VILLAGE
        )
        old_villages[commune.code] = []
        for number in range(1, count + 1):
            point = geometry.random_point_in(cell, rng)
            old_villages[commune.code].append(
                create_unit(
                    code=f"{commune.code}{number:02d}",
                    name=f"{prefix} {number}",
                    kind=kind,
                    parent=commune,
                    valid_to=commune.valid_to,
                    lat=_coord(point.y),
                    lon=_coord(point.x),
                    is_demo=True,
                    source="Dữ liệu minh họa",
                    by=None,
                )
            )
    current = []
    for commune in (
        Unit.objects.communes().filter(valid_from=REORGANISED).order_by("code")
    ):
        merged = commune.predecessors().order_by("code")
        number = 0
        for old_commune in merged:
            for old in old_villages[old_commune.code]:
                number += 1
                village = create_unit(
                    code=old.code,
                    name=f"Thôn {number}",
                    kind=Unit.Kind.VILLAGE,
                    parent=commune,
                    valid_from=REORGANISED,
                    lat=old.lat,
                    lon=old.lon,
                    is_demo=True,
                    source="Dữ liệu minh họa",
                    by=None,
                )
                reorganise_units(
                    kind=Reorganisation.Kind.TRANSFER,
                    effective_date=REORGANISED,
                    predecessors=[old],
                    successors=[village],
                    note=f"{old.name} ({old_commune.name}) chuyển về {commune.name}, "
                    f"đổi tên thành {village.name}.",
                    is_demo=True,
                    by=None,
                )
                current.append(village)
    return current


def build_households(rng, villages, total):
    platforms = [
        EcommercePlatform.objects.get_or_create(name=name)[0] for name in PLATFORMS
    ]
    families, middles, givens = FAMILY.split(), MIDDLE.split(), GIVEN.split()
    sizes = _allocate(total, [rng.uniform(0.6, 1.4) for _ in villages], rng)
    cells = {
        commune.pk: geometry.from_geojson(commune.boundary)
        for commune in Unit.objects.communes().filter(valid_from=REORGANISED)
    }
    rows, links = [], []
    # Water sources draw from their own generator: the other facts stay as
    # they were before the register recorded water.
    water = random.Random(SEED + 11)
    for village, size in zip(villages, sizes, strict=True):
        piped = water.uniform(0.3, 0.95)
        rates = {
            "address": rng.choice([1.0, 1.0, 0.97, 0.9, 0.75]),
            "fibre": rng.uniform(0.6, 0.97),
            "phone": rng.uniform(0.8, 0.99),
            "health": rng.uniform(0.5, 0.9),
            "shop": rng.uniform(0.2, 1.0),
            "trace": rng.uniform(0.2, 1.0),
        }
        cell = cells[village.parent_id]
        for seq in range(1, size + 1):
            code = f"{village.code}{seq:04d}"
            members = rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7])
            head = f"{rng.choice(families)} {rng.choice(middles)} {rng.choice(givens)}"
            address = f"Số {seq}, {village.name}, {village.parent.name}"
            point = geometry.random_point_in(
                cell, rng, near=(float(village.lon), float(village.lat)), spread=0.006
            )
            address_code = (
                f"{village.code}-{seq:04d}" if rng.random() < rates["address"] else None
            )
            business = rng.random() < 0.15
            household = Household(
                code=code,
                village=village,
                head_name=head,
                members=members,
                phone=f"09{rng.randrange(10**8):08d}",
                address=address,
                address_code=address_code,
                lat=_coord(point.y),
                lon=_coord(point.x),
                has_fibre=rng.random() < rates["fibre"],
                smartphones=rng.choice([1, 1, 2, 2, 3])
                if rng.random() < rates["phone"]
                else 0,
                health_app_members=sum(
                    rng.random() < rates["health"] for _ in range(members)
                ),
                is_business=business,
                uses_traceability=business and rng.random() < rates["trace"],
                water_source=_water_source(water, piped),
                is_demo=True,
                search_text=fold(f"{code} {head} {address} {address_code or ''}"),
            )
            household.set_province_code()
            rows.append(household)
            if business and rng.random() < rates["shop"]:
                links.append((code, rng.sample(platforms, rng.choice([1, 1, 2]))))
    Household.objects.bulk_create(rows, batch_size=2000)
    ids = dict(Household.objects.values_list("code", "pk"))
    through = Household.ecommerce_platforms.through
    through.objects.bulk_create(
        [
            through(household_id=ids[code], ecommerceplatform_id=p.pk)
            for code, chosen in links
            for p in chosen
        ],
        batch_size=2000,
    )
    saved = Household.objects.only("pk", "code", "head_name")
    log_actions(
        saved,
        "households.household.created",
        by=None,
        data_for=lambda _h: {"note": "Dữ liệu minh họa"},
    )
    return len(rows)


def build_facilities(rng, villages):
    facilities = []
    for village in villages:
        facilities.append(
            Facility(
                village=village,
                kind=Facility.Kind.CULTURAL_HOUSE,
                name=f"Nhà văn hóa {village.name}",
                has_wifi=rng.random() < 0.75,
                lat=village.lat,
                lon=village.lon,
                is_demo=True,
            )
        )
        if rng.random() < 0.3:
            facilities.append(
                Facility(
                    village=village,
                    kind=Facility.Kind.WIFI_POINT,
                    name=f"Điểm Wi-Fi chợ {village.name}",
                    has_wifi=True,
                    lat=village.lat,
                    lon=village.lon,
                    is_demo=True,
                )
            )
    Facility.objects.bulk_create(facilities)


def build_accounts(*, password, totp_hex):
    for username, full_name, role, office, codes in ACCOUNTS:
        user = User.objects.create_user(
            username=username, password=password, full_name=full_name
        )
        for code in codes:
            unit = (
                Unit.objects.filter(code=code)
                .order_by(F("valid_from").desc(nulls_last=True))
                .first()
            )
            Membership.objects.create(
                user=user,
                unit=unit,
                role=role,
                office=office,
                # The demo's one council member chairs it, to conclude.
                chairs_council=role == Role.COUNCIL_MEMBER,
            )
        if role == Role.DISTRICT_ADMIN:
            TOTPDevice.objects.create(
                user=user,
                name="Ứng dụng xác thực (minh họa)",
                key=totp_hex,
                confirmed=True,
            )


def demo_logins():
    """Rows for the start-up banner: who to sign in as, and what they can do."""
    return [(username, full_name) for username, full_name, *_rest in ACCOUNTS]


def demo_totp_secret(totp_hex=DEMO_TOTP_HEX):
    """The base32 form an authenticator app asks for."""
    return base64.b32encode(bytes.fromhex(totp_hex)).decode()


def demo_totp_code():
    """The admin's current one-time code (demo only: the secret is public)."""
    device = TOTPDevice.objects.get(user__username="admin")
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def _allocate(total, weights, rng):
    """Split ``total`` in proportion to ``weights`` (largest remainder), each ≥ 1."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [max(1, int(s)) for s in shares]
    order = sorted(
        range(len(shares)), key=lambda i: shares[i] - int(shares[i]), reverse=True
    )
    i = 0
    while sum(counts) < total:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts) > total:
        j = max(range(len(counts)), key=counts.__getitem__)
        counts[j] -= 1
    return counts


def _coord(value):
    return Decimal(f"{value:.6f}")
