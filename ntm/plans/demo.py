"""Demo records of the plan for 2023–2025: tallies, services, pilots, tasks, budget.

Deterministic for a given ``rng``; every record carries ``is_demo``. The key
tasks come from the duties of section VII of the plan (the appendix with the
official task list is not in the copy we have), one task per concrete duty.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from ntm.accounts.models import Office
from ntm.core.audit import log_actions
from ntm.units.models import Unit

from .models import (
    BudgetLine,
    EssentialService,
    KeyTask,
    PilotCommune,
    TaskUpdate,
    WorkDossierTally,
)
from .queries import plan_units, successors_of

YEARS = (2023, 2024, 2025)
DISTRICT_SHARE = {2023: 0.55, 2024: 0.70, 2025: 0.85}
COMMUNE_SHARE = {2023: 0.35, 2024: 0.50, 2025: 0.65}
TASK_NOTE = "Theo mục VII của Kế hoạch; phụ lục nhiệm vụ không có trong bản đang có."
V, N, K, T, C = (
    Office.CULTURE,
    Office.AGRICULTURE,
    Office.ECONOMY,
    Office.FINANCE,
    Office.POLICE,
)
# (lead office, cooperating offices, others, title, deadline year) — VII.1–7.
TASKS = [
    (
        V,
        [],
        "UBND các xã, thị trấn",
        "Tham mưu UBND huyện chỉ đạo triển khai Kế hoạch; tổng hợp, báo cáo kết quả định kỳ hằng năm (trước 01/10)",  # noqa: E501
        2023,
    ),
    (
        V,
        [],
        "",
        "Tiếp tục triển khai nhiệm vụ tại Kế hoạch 39-KH/HU, Kế hoạch 128/KH-UBND và Quyết định 1950/QĐ-UBND về chuyển đổi số",  # noqa: E501
        2024,
    ),
    (
        V,
        [],
        "UBND các xã",
        "Hướng dẫn, kiểm tra, đôn đốc 100% xã đạt chỉ tiêu 8.4 (Tiêu chí số 8, bộ xã NTM)",  # noqa: E501
        2025,
    ),
    (
        V,
        [],
        "UBND các xã",
        "Hướng dẫn, kiểm tra, đôn đốc trên 50% xã đạt chỉ tiêu 15.2 (Tiêu chí số 15, bộ xã NTM nâng cao)",  # noqa: E501
        2025,
    ),
    (
        V,
        [N],
        "",
        "Tập huấn chuyển đổi số cho 100% cán bộ quản lý các cấp tham gia Chương trình NTM",  # noqa: E501
        2024,
    ),
    (
        V,
        [],
        "UBND các xã",
        "Hướng dẫn ít nhất 50% xã cung cấp dịch vụ thiết yếu trực tuyến và lấy ý kiến hài lòng của người dân qua ứng dụng trực tuyến",  # noqa: E501
        2025,
    ),
    (
        V,
        [C],
        "",
        "Hướng dẫn, kiểm tra huyện đạt chỉ tiêu 9.5 (bộ huyện NTM) và 9.2 (bộ huyện NTM nâng cao)",  # noqa: E501
        2025,
    ),
    (
        V,
        [N],
        "UBND xã được chọn",
        "Xây dựng và triển khai 01 mô hình thí điểm xã NTM thông minh",
        2025,
    ),
    (
        V,
        [],
        "",
        "Đào tạo, tập huấn nâng cao kỹ năng số cho cán bộ, công chức cấp huyện, xã và người dân nông thôn",  # noqa: E501
        2023,
    ),
    (
        N,
        [V],
        "Hợp tác xã, doanh nghiệp nông nghiệp",
        "Triển khai nền tảng dữ liệu số nông nghiệp, cung cấp dữ liệu mở phục vụ sản xuất, tiêu thụ nông sản",  # noqa: E501
        2024,
    ),
    (
        N,
        [],
        "",
        "Triển khai phần mềm quản lý, giám sát, đánh giá, phân hạng sản phẩm OCOP",
        2023,
    ),
    (
        N,
        [],
        "",
        "Xây dựng cơ sở dữ liệu ngành Nông nghiệp và phần mềm quản lý, điều hành Chương trình NTM",  # noqa: E501
        2024,
    ),
    (
        N,
        [],
        "UBND các xã",
        "Hướng dẫn xã ứng dụng chuyển đổi số truy xuất nguồn gốc sản phẩm chủ lực và cấp mã vùng trồng",  # noqa: E501
        2025,
    ),
    (
        T,
        [N],
        "",
        "Tổng hợp nhu cầu, tham mưu bố trí, phân bổ kinh phí thực hiện Kế hoạch",
        2023,
    ),
    (
        K,
        [],
        "",
        "Nâng cao hiệu quả hệ thống kết nối, xúc tiến tiêu thụ nông sản; ưu tiên phát triển thương mại điện tử",  # noqa: E501
        2024,
    ),
    (
        K,
        [N],
        "",
        "Hỗ trợ doanh nghiệp phát triển thương mại điện tử; triển khai mô hình thí điểm xã thương mại điện tử",  # noqa: E501
        2025,
    ),
    (
        K,
        [],
        "Tổ chức khoa học công nghệ, hiệp hội ngành nghề",
        "Huy động các tổ chức tham gia đào tạo năng lực ứng dụng công nghệ số cho cán bộ và người dân",  # noqa: E501
        2024,
    ),
    (
        C,
        [V, N],
        "UBND cấp xã",
        "Xây dựng mô hình chuyển đổi số trong bảo đảm an ninh trật tự",
        2024,
    ),
    (
        C,
        [],
        "",
        "Chia sẻ dữ liệu dân cư theo quy định để đẩy mạnh chuyển đổi số trong xây dựng NTM",  # noqa: E501
        2025,
    ),
    (
        V,
        [],
        "UBND các xã",
        "Đẩy mạnh xử lý hồ sơ công việc trên môi trường mạng: trên 80% cấp huyện, 60% cấp xã",  # noqa: E501
        2025,
    ),
]
SERVICES = [
    (
        EssentialService.Field.HEALTH,
        "Đặt lịch khám tại trạm y tế xã",
        "Zalo OA trạm y tế",
    ),
    (
        EssentialService.Field.EDUCATION,
        "Tuyển sinh đầu cấp trực tuyến",
        "tuyensinh.quangnam.gov.vn",
    ),
    (
        EssentialService.Field.MONITORING,
        "Phản ánh hiện trường của người dân",
        "Ứng dụng Quảng Nam Online",
    ),
    (EssentialService.Field.ENVIRONMENT, "Báo cáo điểm rác thải", "Zalo OA UBND xã"),
]


@transaction.atomic
def build(rng, plan):
    """Create the demo records of ``plan``; returns {kind: count}."""
    units = plan_units(plan)
    district = plan.unit
    old = [u for u in units if u.level == Unit.Level.COMMUNE and u.valid_to]
    new = [u for u in units if u.level == Unit.Level.COMMUNE and not u.valid_to]
    tallies = _tallies(rng, district, old, new)
    services = _services(rng, old, new)
    # Hà Nha pilots administration and, with the demo's homestays and sites
    # (ntm.tourism.demo), tourism: the pilot list links to them.
    ha_nha = next(u for u in new if u.code == "20515")
    pilots = [
        PilotCommune.objects.create(
            unit=ha_nha,
            field=field,
            decision_number=number,
            decision_date=datetime.date(2025, 8, 15),
            started_on=datetime.date(2025, 9, 1),
            status=PilotCommune.Status.RUNNING,
            note=f"Thí điểm xã NTM thông minh về {topic} (minh họa).",
            is_demo=True,
        )
        for field, number, topic in (
            (PilotCommune.Field.ADMINISTRATION, "125/QĐ-UBND", "cải cách hành chính"),
            (PilotCommune.Field.TOURISM, "126/QĐ-UBND", "du lịch nông thôn"),
        )
    ]
    tasks, updates = _tasks(rng, plan)
    lines = _budget(rng, tasks)
    demo = {"by": None, "data_for": lambda r: {"note": "Demo"}}
    log_actions(tallies, "plans.tally.created", **demo)
    log_actions(services, "plans.service.created", **demo)
    log_actions(pilots, "plans.pilot.created", **demo)
    log_actions(tasks, "plans.task.created", **demo)
    log_actions(lines, "plans.budget.created", **demo)
    return {
        "tallies": len(tallies),
        "services": len(services),
        "pilots": len(pilots),
        "tasks": len(tasks),
        "updates": len(updates),
        "budget_lines": len(lines),
    }


def _tallies(rng, district, old, new):
    rows = []
    lagging = {u.pk for u in rng.sample(old, 4)}
    for year in YEARS:
        for office in Office.values:
            total = rng.randint(60, 180)
            share = DISTRICT_SHARE[year] + rng.uniform(-0.04, 0.04)
            rows.append(_tally(district, year, total, share, office=office))
        # 2025: the old communes to 30/06, the new ones from 01/07.
        for unit in old:
            total = rng.randint(40, 120)
            share = COMMUNE_SHARE[year] + rng.uniform(-0.06, 0.06)
            if unit.pk in lagging:
                share -= 0.15
            if year == 2025:
                total //= 2
            rows.append(_tally(unit, year, total, share))
        if year == 2025:
            for unit in new:
                total = rng.randint(120, 260)
                share = COMMUNE_SHARE[year] + rng.uniform(-0.05, 0.08)
                rows.append(_tally(unit, year, total, share))
    return WorkDossierTally.objects.bulk_create(rows)


def _tally(unit, year, total, share, office=""):
    online = max(0, min(total, round(total * share)))
    return WorkDossierTally(
        unit=unit,
        office=office,
        year=year,
        total=total,
        online=online,
        secret=None if office else 0,
        note="",
        is_demo=True,
    )


def _services(rng, old, new):
    """About 60 % of the communes provide a service by 2025, before and after
    the merge: the xã of three of the five new communes, started 2023–2025."""
    rows = []
    chosen = rng.sample(new, 3)
    earlier = successors_of(old)
    xa = [
        u
        for u in old
        if u.kind == Unit.Kind.COMMUNE
        and any(s in chosen for s in earlier.get(u.pk, ()))
    ]
    for index, unit in enumerate(xa):
        start = datetime.date(2023 + index % 3, rng.randint(2, 6), rng.randint(1, 28))
        for field, name, url in rng.sample(SERVICES, rng.randint(1, 2)):
            rows.append(
                EssentialService(
                    unit=unit,
                    field=field,
                    name=name,
                    url=url,
                    started_on=start,
                    is_demo=True,
                )
            )
    # A new commune's own service, started after the merge.
    rows.append(
        EssentialService(
            unit=chosen[0],
            field=EssentialService.Field.CULTURE,
            name="Thư viện số của xã",
            url="Cổng thông tin điện tử xã",
            started_on=datetime.date(2025, 9, 10),
            is_demo=True,
        )
    )
    return EssentialService.objects.bulk_create(rows)


def _tasks(rng, plan):
    tasks, updates = [], []
    today = datetime.date(2025, 12, 31)
    for number, (lead, partners, others, title, year) in enumerate(TASKS, start=1):
        deadline = datetime.date(year, 12, 31)
        # Most tasks of 2023–2024 are done; some lag past their deadline.
        roll = rng.random()
        if year < 2025 and roll < 0.7:
            status, progress = KeyTask.Status.DONE, 100
        elif roll < 0.9:
            status, progress = KeyTask.Status.IN_PROGRESS, rng.choice([30, 50, 70, 80])
        else:
            status, progress = KeyTask.Status.NOT_STARTED, 0
        task = KeyTask.objects.create(
            plan=plan,
            number=str(number),
            title=title,
            lead_office=lead,
            cooperating_offices=list(partners),
            cooperating_others=others,
            deadline=deadline,
            status=status,
            progress=progress,
            note=TASK_NOTE,
            is_demo=True,
        )
        tasks.append(task)
        if status == KeyTask.Status.NOT_STARTED:
            continue
        steps = [p for p in (25, 50, 75) if p < progress] + [progress]
        day = datetime.date(2023, rng.randint(3, 6), rng.randint(1, 28))
        for step in steps:
            day = min(day + datetime.timedelta(days=rng.randint(60, 150)), today)
            done = step == 100
            updates.append(
                TaskUpdate(
                    task=task,
                    date=day,
                    progress=step,
                    status=KeyTask.Status.DONE if done else KeyTask.Status.IN_PROGRESS,
                    text="Đã hoàn thành, báo cáo kết quả."
                    if done
                    else f"Đã thực hiện khoảng {step}% nội dung (minh họa).",
                    is_demo=True,
                )
            )
    TaskUpdate.objects.bulk_create(updates)
    return tasks, updates


def _budget(rng, tasks):
    rows = []
    sources = list(BudgetLine.Source.values)
    for task in tasks:
        for year in range(2023, task.deadline.year + 1):
            for source in rng.sample(sources, rng.randint(1, 2)):
                allocated = Decimal(rng.randint(5, 60) * 10_000_000)
                share = rng.uniform(0.5, 1.0) if year < 2025 else rng.uniform(0.2, 0.8)
                if rng.random() < 0.05:
                    share = 1.08  # a revised allocation not yet recorded
                rows.append(
                    BudgetLine(
                        task=task,
                        year=year,
                        source=source,
                        allocated=allocated,
                        disbursed=(allocated * Decimal(str(round(share, 2)))).quantize(
                            Decimal(1)
                        ),
                        is_demo=True,
                    )
                )
    return BudgetLine.objects.bulk_create(rows)
