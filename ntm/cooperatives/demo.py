"""Demo cooperatives and linkage models of Đại Lộc (synthetic, labelled demo).

About 25 cooperatives registered 2015-2024 in the old communes (they stay
linked to them after the 2025 mergers) and about 40 linkage models; the use
of digital technology spreads from year to year. Called by ``ntm.demo``
with its seeded ``random.Random``.
"""

import datetime
from decimal import Decimal

from ntm.core.audit import log_actions
from ntm.core.text import fold
from ntm.units.models import Unit

from .models import Cooperative, DigitalTechnology, LinkageModel

KINDS = [
    ("HTX Nông nghiệp", "Lúa, dịch vụ làm đất, vật tư nông nghiệp"),
    ("HTX Dịch vụ nông nghiệp", "Dịch vụ thủy lợi, giống lúa"),
    ("HTX Rau an toàn", "Rau an toàn, củ quả"),
    ("HTX Chăn nuôi", "Heo, gà thả vườn"),
    ("HTX Trồng nấm", "Nấm rơm, nấm bào ngư"),
    ("HTX Chế biến nông sản", "Mít sấy, chuối sấy, bột sắn"),
    ("HTX Dâu tằm tơ", "Kén tằm, tơ tằm"),
    ("HTX Du lịch cộng đồng", "Du lịch sinh thái, homestay"),
]
PRODUCTS = [
    "Lúa chất lượng cao",
    "Rau an toàn",
    "Nấm",
    "Kén tằm",
    "Heo thương phẩm",
    "Mít",
    "Chuối",
    "Sắn",
]
PARTNERS = [
    "Công ty TNHH Nông sản Quảng Nam",
    "Công ty CP Thực phẩm Miền Trung",
    "Công ty TNHH Giống cây trồng Đà Nẵng",
    "Siêu thị Co.opmart Đà Nẵng",
    "Công ty CP Tơ tằm Đại Lộc",
]


def build(rng, *, years=(2023, 2024, 2025)):
    """Create cooperatives and linkage models. Returns counts."""
    communes = list(
        Unit.objects.valid_on(datetime.date(2024, 12, 31))
        .communes()
        .within(Unit.objects.by_code("506", on=datetime.date(2025, 6, 30)))
        .order_by("code")
    )
    technologies = list(DigitalTechnology.objects.all())
    first, last = min(years), max(years)
    cooperatives, chosen = [], []
    # Most communes have one or two; a few (hilly ones) none.
    hosts = communes + rng.sample(communes, 8)
    rng.shuffle(hosts)
    for index, commune in enumerate(hosts[:25], start=1):
        kind, products = KINDS[index % len(KINDS)]
        founded = datetime.date(
            rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)
        )
        # About three in five apply some digital technology.
        applies = rng.random() < 0.6
        cooperative = Cooperative(
            name=f"{kind} {_short(commune.name)} {index}",
            code=f"4{commune.code}{index:03d}",
            commune=commune,
            founded_on=founded,
            members=rng.randint(7, 420),
            main_products=products,
            applies_digital_technology=applies,
            # Digital from its founding: the demo draws no further dates, so
            # the other records it generates stay as they were.
            digital_since=founded if applies else None,
            representative=f"Giám đốc HTX {index} (minh họa)",
            phone=f"09{rng.randrange(10**8):08d}",
            is_demo=True,
        )
        cooperative.search_text = fold(
            f"{cooperative.code} {cooperative.name} {products}"
        )[:400]
        cooperatives.append(cooperative)
        chosen.append(rng.sample(technologies, rng.randint(1, 3)) if applies else [])
    Cooperative.objects.bulk_create(cooperatives)
    through = Cooperative.technologies.through
    through.objects.bulk_create(
        [
            through(cooperative_id=c.pk, digitaltechnology_id=t.pk)
            for c, techs in zip(cooperatives, chosen, strict=True)
            for t in techs
        ]
    )
    models = []
    for index, cooperative in enumerate(cooperatives):
        # Most have one or two models; a few none yet (about 40 in all).
        count = (1, 2, 2, 1, 2)[index % 5] if index % 8 != 7 else 0
        for number in range(count):
            product = rng.choice(PRODUCTS)
            raw = rng.random() < 0.7
            started = max(cooperative.founded_on.year, rng.randint(first - 3, last))
            # Drawn in the order the demo always drew them.
            partner = rng.choice(PARTNERS)
            tied = rng.random() < 0.85
            area = _area(product, cooperative) if raw else ""
            size = Decimal(rng.randint(5, 120)) if raw else None
            digital = raw and rng.random() < 0.6
            models.append(
                LinkageModel(
                    cooperative=cooperative,
                    name=f"Liên kết sản xuất, tiêu thụ {product.lower()} {number + 1}",
                    key_product=product,
                    partner=partner,
                    tied_to_sales=tied,
                    has_raw_material_area=raw,
                    raw_material_area=area,
                    area_ha=size,
                    applies_digital_technology=digital,
                    digital_since_year=started if digital else None,
                    started_year=started,
                    is_demo=True,
                )
            )
    LinkageModel.objects.bulk_create(models)
    note = {"note": "Dữ liệu minh họa"}
    log_actions(
        cooperatives,
        "cooperatives.cooperative.created",
        by=None,
        data_for=lambda o: note,
    )
    log_actions(
        models, "cooperatives.linkage.created", by=None, data_for=lambda o: note
    )
    return {"cooperatives": len(cooperatives), "linkage_models": len(models)}


def _short(name):
    return name.removeprefix("Xã ").removeprefix("Thị trấn ")


def _area(product, cooperative):
    return f"Vùng {product.lower()} {_short(cooperative.commune.name)}"
