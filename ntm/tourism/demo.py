"""Demo tourism records of Đại Lộc (synthetic, labelled "dữ liệu minh họa"):
a handful of sites and homestays in Hà Nha and Vu Gia, a route through
them, a generated 360° panorama, and assessments on the draft sheet.
Called by ``ntm.demo`` with its seeded ``random.Random``."""

import datetime
import io

from django.core.files.base import ContentFile

from ntm.units.models import Unit

from . import scoring
from .models import Site
from .services import add_photo, create_route, create_site, record_assessment

# code, kind, commune code, offset (lat, lon) from its centre, name, name_en,
# hours, price, business.
SITES = [
    (
        "hn-ben-song",
        Site.Kind.ATTRACTION,
        "20515",
        (0.002, 0.001),
        "Bến sông Vu Gia Hà Nha",
        "Hà Nha riverside on the Vu Gia",
        "6:00 – 18:00 hằng ngày",
        "Miễn phí",
        "Tổ du lịch cộng đồng Hà Nha",
    ),
    (
        "hn-dinh-lang",
        Site.Kind.HERITAGE,
        "20515",
        (-0.002, 0.002),
        "Đình làng Hà Nha",
        "Hà Nha communal house",
        "7:00 – 17:00, trừ thứ Hai",
        "Miễn phí",
        "Ban quản lý di tích xã",
    ),
    (
        "hn-homestay-vuon",
        Site.Kind.HOMESTAY,
        "20515",
        (0.001, -0.002),
        "Homestay Vườn Xanh",
        "Green Garden homestay",
        "Nhận phòng từ 14:00",
        "350.000 đồng/người/đêm, gồm bữa sáng",
        "Hợp tác xã Du lịch Hà Nha",
    ),
    (
        "hn-trai-nghiem-lua",
        Site.Kind.EXPERIENCE,
        "20515",
        (-0.001, -0.001),
        "Một ngày làm nông dân",
        "A day as a rice farmer",
        "Sáng 7:00 – 11:00",
        "150.000 đồng/người",
        "Hợp tác xã Du lịch Hà Nha",
    ),
    (
        "vg-lang-nghe",
        Site.Kind.CRAFT_VILLAGE,
        "20539",
        (0.001, 0.001),
        "Làng nghề đan lát Vu Gia",
        "Vu Gia basket weaving village",
        "8:00 – 17:00",
        "Tham quan miễn phí",
        "Hợp tác xã Đan lát Vu Gia",
    ),
]
DESCRIPTION = (
    "Dữ liệu minh họa: điểm du lịch sinh tự động cho bản trình diễn, không phải "
    "điểm có thật."
)
DESCRIPTION_EN = "Demo data: a synthetic site for the demonstration, not a real one."


def panorama_jpeg(width=512):
    """A small 2:1 equirectangular JPEG: sky to river to field (deterministic)."""
    from PIL import Image

    height = width // 2
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for y in range(height):
        t = y / (height - 1)
        if t < 0.5:
            colour = (int(120 + 100 * t), int(180 + 60 * t), 250)
        else:
            colour = (int(60 + 40 * t), int(150 - 40 * t), int(70 + 20 * t))
        for x in range(width):
            band = 10 if (x // 32) % 2 else 0
            pixels[x, y] = (colour[0], min(255, colour[1] + band), colour[2])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def build(rng):
    if Site.objects.filter(is_demo=True).exists():
        return
    communes = {
        u.code: u
        for u in Unit.objects.communes().valid_on().filter(code__in={"20515", "20539"})
    }
    sheet = scoring.current_sheet()
    sites = []
    for code, kind, commune_code, (
        dlat,
        dlon,
    ), name, name_en, hours, price, firm in SITES:
        unit = communes.get(commune_code)
        if unit is None:
            continue
        lat = round(float(unit.lat) + dlat, 6) if unit.lat is not None else None
        lon = round(float(unit.lon) + dlon, 6) if unit.lon is not None else None
        sites.append(
            create_site(
                by=None,
                code=code,
                kind=kind,
                name=name,
                name_en=name_en,
                description=DESCRIPTION,
                description_en=DESCRIPTION_EN,
                unit=unit,
                lat=lat,
                lon=lon,
                opening_hours=hours,
                opening_hours_en="",
                price=price,
                business_name=firm,
                is_demo=True,
            )
        )
    if not sites:
        return
    add_photo(
        sites[0],
        image=ContentFile(panorama_jpeg(), "toan-canh-ben-song.jpg"),
        caption="Toàn cảnh bến sông (ảnh minh họa)",
        caption_en="Riverside panorama (demo image)",
        is_panorama=True,
        by=None,
    )
    in_ha_nha = [s for s in sites if s.unit.code == "20515"]
    if len(in_ha_nha) >= 2:
        create_route(
            code="hn-mot-ngay",
            name="Một ngày ở Hà Nha",
            name_en="A day in Hà Nha",
            description=DESCRIPTION,
            description_en=DESCRIPTION_EN,
            unit=in_ha_nha[0].unit,
            sites=in_ha_nha,
            is_demo=True,
            by=None,
        )
    day = datetime.date(2026, 6, 15)
    for site in sites:
        scores = {
            item["code"]: rng.randint(item["max_points"] // 2, item["max_points"])
            for item in sheet.items
        }
        record_assessment(site, scores=scores, assessed_on=day, by=None)
