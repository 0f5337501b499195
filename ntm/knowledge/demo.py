"""Demo roster and trainings of Đại Lộc, 2023-2025 (synthetic, labelled demo).

About 60 managers a year across the district, its communes and a few
villages; six trainings a year, half on digital transformation, with
attendance growing so that about nine in ten are trained by 2025.
Called by ``ntm.demo`` with its seeded ``random.Random``.
"""

import datetime
from decimal import Decimal

from ntm.core.audit import log_actions
from ntm.core.text import fold
from ntm.units.models import Unit

from .models import Guide, Participation, ProgramStaff, Training

FAMILY = "Nguyễn Trần Lê Phạm Huỳnh Hoàng Phan Võ Đặng Bùi Đỗ Hồ Ngô Dương"
MIDDLE = "Văn Thị Đức Minh Ngọc Thanh Hữu Công Quang Xuân"
GIVEN = (
    "An Bình Cường Dũng Hà Hải Hạnh Hoa Hùng Hương Khánh Lan Long Mai Nam Nga "
    "Phúc Phương Quân Sơn Tâm Thảo Thắng Trung Tuấn Vân Việt Yến Lộc Nhung"
)
DISTRICT_POSITIONS = [
    "Phó Chủ tịch UBND huyện, Trưởng Ban Chỉ đạo",
    "Chánh Văn phòng Điều phối NTM",
    "Phó Chánh Văn phòng Điều phối NTM",
    "Trưởng phòng Văn hóa và Thông tin",
    "Trưởng phòng Nông nghiệp và PTNT",
    "Chuyên viên Văn phòng Điều phối NTM",
    "Chuyên viên phòng Kinh tế và Hạ tầng",
    "Chuyên viên phòng Tài chính - Kế hoạch",
]
COMMUNE_POSITIONS = [
    "Phó Chủ tịch UBND xã, Trưởng Ban quản lý",
    "Công chức Địa chính - Nông nghiệp",
    "Công chức Văn hóa - Xã hội",
]
# Share of the roster trained by the end of each year.
TRAINED_SHARE = {2023: 0.45, 2024: 0.72, 2025: 0.9}
MONTHS = (3, 4, 5, 6, 9, 10)
TRAININGS = [
    ("Tập huấn chuyển đổi số trong xây dựng nông thôn mới", "digital", 8),
    ("Bồi dưỡng kỹ năng sử dụng phần mềm quản lý Chương trình NTM", "digital", 8),
    ("Tập huấn ứng dụng bản đồ số và dữ liệu nông nghiệp", "digital", 4),
    ("Tập huấn nghiệp vụ đánh giá, thẩm định xã đạt chuẩn NTM", "other", 8),
    ("Tập huấn công tác giám sát, đánh giá Chương trình NTM", "other", 4),
    ("Hội nghị tập huấn quản lý chất lượng sản phẩm OCOP", "other", 4),
]


def build(rng, *, years=(2023, 2024, 2025)):
    """Create the roster of each year, trainings and attendance. Returns counts."""
    district = Unit.objects.by_code("506", on=datetime.date(2025, 6, 30))
    communes = list(
        Unit.objects.valid_on(datetime.date(2024, 12, 31))
        .communes()
        .within(district)
        .order_by("code")
    )
    villages = list(Unit.objects.villages().within(district).order_by("code")[:5])
    people = _people(rng, district, communes, villages)
    staff_rows, trainings, participations = [], [], []
    for year in years:
        roster = []
        for code, name, position, unit in people:
            if not _in_year(unit, year):
                continue
            roster.append(
                ProgramStaff(
                    code=code,
                    year=year,
                    full_name=name,
                    position=position,
                    unit=unit,
                    is_demo=True,
                    search_text=fold(f"{code} {name} {position}")[:300],
                )
            )
        ProgramStaff.objects.bulk_create(roster)
        staff_rows += roster
        year_trainings = []
        for index, (title, topic, hours) in enumerate(TRAININGS):
            organiser = district if index % 3 != 2 else rng.choice(communes)
            held_on = datetime.date(year, MONTHS[index], rng.randint(5, 25))
            if not organiser.is_valid_on(held_on):
                # After 01/07/2025 the district is gone: the new communes train.
                organiser = rng.choice(
                    list(
                        Unit.objects.valid_on(held_on)
                        .communes()
                        .filter(predecessor_events__predecessors__parent=district)
                        .distinct()
                        .order_by("code")
                    )
                    or [district]
                )
            year_trainings.append(
                Training(
                    title=f"{title} năm {year}",
                    topic=topic,
                    organiser=organiser,
                    held_on=held_on,
                    place=f"Hội trường {organiser.name}",
                    hours=Decimal(hours),
                    level=Training.Level.DISTRICT
                    if organiser.level == Unit.Level.DISTRICT
                    else Training.Level.COMMUNE,
                    is_demo=True,
                )
            )
        Training.objects.bulk_create(year_trainings)
        trainings += year_trainings
        digital = [t for t in year_trainings if t.topic == Training.Topic.DIGITAL]
        other = [t for t in year_trainings if t.topic != Training.Topic.DIGITAL]
        share = TRAINED_SHARE.get(year, 0.9)
        earlier = TRAINED_SHARE.get(year - 1, 0.0)
        for staff in roster:
            # A person's luck is fixed across years: once trained, stays so;
            # those between last year's share and this year's train now.
            luck = _person_luck(staff.code)
            if earlier <= luck < share or (luck < earlier and rng.random() < 0.3):
                participations.append(
                    Participation(
                        training=rng.choice(digital), staff=staff, is_demo=True
                    )
                )
            elif luck >= share and rng.random() < 0.3:
                # Invited but absent: does not count as trained.
                participations.append(
                    Participation(
                        training=rng.choice(digital),
                        staff=staff,
                        attended=False,
                        is_demo=True,
                    )
                )
            if rng.random() < 0.5:
                participations.append(
                    Participation(training=rng.choice(other), staff=staff, is_demo=True)
                )
        for training in year_trainings[:2]:
            for _n in range(rng.randint(2, 5)):
                participations.append(
                    Participation(
                        training=training,
                        name=_name(rng),
                        role="Trưởng thôn",
                        unit_name=rng.choice(communes).name,
                        is_demo=True,
                    )
                )
    Participation.objects.bulk_create(participations, ignore_conflicts=True)
    note = {"note": "Dữ liệu minh họa"}
    log_actions(staff_rows, "knowledge.staff.created", by=None, data_for=lambda o: note)
    log_actions(
        trainings, "knowledge.training.created", by=None, data_for=lambda o: note
    )
    trainings += build_resident_trainings(communes, years)
    guides = build_guides(district, communes)
    log_actions(guides, "knowledge.guide.created", by=None, data_for=lambda o: note)
    return {
        "guides": len(guides),
        "staff": len(staff_rows),
        "trainings": len(trainings),
        "participations": len(participations),
    }


def _people(rng, district, communes, villages):
    """(code, name, position, unit): 8 at the district, 3 per commune, 5 heads."""
    people = []
    for position in DISTRICT_POSITIONS:
        people.append((position, district))
    for commune in communes:
        for position in COMMUNE_POSITIONS:
            people.append((position, commune))
    for village in villages:
        people.append(("Trưởng thôn", village))
    return [
        (f"CB{index:04d}", _name(rng), position, unit)
        for index, (position, unit) in enumerate(people, start=1)
    ]


def _person_luck(code):
    # Deterministic per person, independent of the generator's state.
    return (int(code[2:]) * 7919 % 100) / 100


def _name(rng):
    family, middle, given = FAMILY.split(), MIDDLE.split(), GIVEN.split()
    return f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)}"


def _in_year(unit, year):
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_to is None or unit.valid_to >= start
    )


# (title, kind, field, subject, season, summary, body): short synthetic guides
# of the kind the agriculture office publishes; labelled demo where shown.
GUIDES = [
    (
        "Kỹ thuật trồng lúa vụ Đông Xuân",
        Guide.Kind.DOCUMENT,
        Guide.Field.CROPS,
        "Lúa",
        Guide.Season.WINTER_SPRING,
        "Chọn giống, làm đất, gieo sạ, bón phân cân đối và phòng trừ sâu bệnh "
        "theo hướng dẫn của Trạm Khuyến nông.",
        "Làm đất kỹ, san phẳng mặt ruộng để quản lý nước. Gieo sạ đúng lịch "
        "thời vụ của huyện. Bón lót phân chuồng hoai mục; bón thúc theo màu lá. "
        "Thăm đồng thường xuyên, chỉ phun thuốc khi sâu bệnh đến ngưỡng.",
    ),
    (
        "Quy trình sản xuất rau an toàn theo VietGAP",
        Guide.Kind.DOCUMENT,
        Guide.Field.CROPS,
        "Rau màu",
        Guide.Season.ANY,
        "Các bước ghi chép nhật ký, sử dụng phân bón và thuốc bảo vệ thực vật "
        "đúng thời gian cách ly trước khi thu hoạch.",
        "Đánh giá vùng trồng, nguồn nước tưới. Ghi nhật ký sản xuất mỗi lần bón "
        "phân, phun thuốc. Tuân thủ thời gian cách ly ghi trên nhãn thuốc. "
        "Thu hoạch, sơ chế, đóng gói và ghi mã lô để truy xuất nguồn gốc.",
    ),
    (
        "Nuôi bò vỗ béo bằng thức ăn ủ chua",
        Guide.Kind.MODEL,
        Guide.Field.LIVESTOCK,
        "Bò",
        Guide.Season.ANY,
        "Mô hình tận dụng rơm, thân cây ngô ủ chua làm thức ăn dự trữ cho bò "
        "trong mùa mưa lũ.",
        "Băm nhỏ thân cây ngô, rơm; trộn rỉ mật và muối; nén chặt trong túi "
        "hoặc hố ủ kín. Sau ba đến bốn tuần cho bò ăn tăng dần. Tiêm phòng đủ "
        "các loại vắc-xin theo lịch của thú y xã.",
    ),
    (
        "Phòng bệnh cho gà thả vườn mùa mưa",
        Guide.Kind.IMAGE,
        Guide.Field.LIVESTOCK,
        "Gà thả vườn",
        Guide.Season.ANY,
        "Tờ rơi về chuồng trại khô ráo, sát trùng và lịch tiêm phòng.",
        "Giữ chuồng khô, thoáng; rải vôi bột quanh chuồng; cách ly gà ốm; "
        "báo ngay cho thú y xã khi gà chết bất thường.",
    ),
    (
        "Bán nông sản trên sàn thương mại điện tử",
        Guide.Kind.DOCUMENT,
        Guide.Field.DIGITAL,
        "",
        Guide.Season.ANY,
        "Mở gian hàng, chụp ảnh sản phẩm, ghi mã truy xuất và giao hàng.",
        "Đăng ký gian hàng bằng tài khoản của hợp tác xã; mô tả sản phẩm trung "
        "thực, ghi rõ vùng trồng và mã lô; đóng gói cẩn thận khi giao.",
    ),
    (
        "Xử lý rác thải hữu cơ tại hộ gia đình",
        Guide.Kind.DOCUMENT,
        Guide.Field.ENVIRONMENT,
        "",
        Guide.Season.ANY,
        "Phân loại rác tại nguồn và ủ rác hữu cơ thành phân bón cho vườn nhà.",
        "Phân loại rác hữu cơ, rác tái chế và rác còn lại. Ủ rác hữu cơ trong "
        "thùng có nắp hoặc hố ủ, đảo trộn định kỳ; dùng phân ủ bón cây.",
    ),
    (
        "Trồng ngô trên đất bãi vụ Đông",
        Guide.Kind.DOCUMENT,
        Guide.Field.CROPS,
        "Ngô",
        Guide.Season.WINTER,
        "Chọn giống ngắn ngày, gieo đúng khung thời vụ để thu hoạch trước lũ.",
        "Gieo theo hàng, mật độ vừa phải; bón thúc khi cây có bảy đến chín lá; "
        "theo dõi sâu keo mùa thu và xử lý sớm.",
    ),
]


def build_guides(district, communes):
    """The demo know-how library: a few guides of the district and of one
    commune, published."""
    publishers = [district, communes[0]] if communes else [district]
    guides = []
    for place, (title, kind, field, subject, season, summary, body) in enumerate(
        GUIDES
    ):
        guide = Guide(
            title=title,
            kind=kind,
            field=field,
            subject=subject,
            season=season,
            summary=summary,
            body=body,
            publisher=publishers[place % len(publishers)],
            is_demo=True,
        )
        guide.fold_text()
        guides.append(guide)
    return Guide.objects.bulk_create(guides)


# Classes for residents and businesses, counted from the paper register
# (no names): fixed, so the other demo records do not move.
RESIDENT_TRAININGS = [
    ("Hướng dẫn người dân sử dụng dịch vụ công trực tuyến", "residents", 4, 38),
    ("Kỹ năng số cho nông dân: bán hàng qua mạng", "residents", 4, 52),
    ("An toàn thông tin cho hợp tác xã và hộ kinh doanh", "businesses", 4, 17),
]


def build_resident_trainings(communes, years):
    rows = []
    for year in years:
        open_communes = [
            c for c in communes if c.is_valid_on(datetime.date(year, 8, 1))
        ]
        for index, (title, audience, hours, people) in enumerate(RESIDENT_TRAININGS):
            if not open_communes:
                break
            organiser = open_communes[(index + year) % len(open_communes)]
            rows.append(
                Training(
                    title=f"{title} năm {year}",
                    topic=Training.Topic.DIGITAL,
                    audience=audience,
                    organiser=organiser,
                    held_on=datetime.date(year, 8, 10 + index),
                    place=f"Nhà văn hóa {organiser.name}",
                    hours=Decimal(hours),
                    level=Training.Level.COMMUNE,
                    unlisted_attendees=people + (year - years[0]) * 6,
                    is_demo=True,
                )
            )
    return Training.objects.bulk_create(rows)
