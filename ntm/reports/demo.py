"""Demo yearly reports: the 2025 form of Huyện Đại Lộc assigned to the five
offices and the five communes formed on 01/07/2025, most submitted (some
after the due date), one returned and two accepted. Built through the
services and labelled ``is_demo``; ``ntm.demo`` passes its seeded
``random.Random``."""

import datetime

from django.db import transaction
from django.utils import timezone

from ntm.plans.models import Plan
from ntm.units.models import Unit

from .services import (
    DEFAULT_SECTIONS,
    accept_submission,
    assign_year,
    create_form,
    return_submission,
    save_narratives,
    submit_submission,
)

YEAR = 2025
SECTIONS = DEFAULT_SECTIONS
TEXTS = [
    "Đã triển khai tập huấn kỹ năng số cho cán bộ và người dân.",
    "Đã đưa sản phẩm OCOP lên sàn thương mại điện tử.",
    "Đã phủ sóng wifi miễn phí tại nhà văn hóa các thôn.",
    "Đã vận động người dân cài đặt và sử dụng VNeID.",
]
ISSUES = [
    "Hạ tầng mạng ở vùng núi còn yếu.",
    "Kinh phí cho chuyển đổi số còn hạn chế.",
    "Sau sắp xếp đơn vị hành chính, nhân sự phụ trách còn thay đổi.",
]


@transaction.atomic
def build(rng):
    district = Unit.objects.by_code("506", on=datetime.date(YEAR, 6, 30))
    form = create_form(
        year=YEAR,
        title="Báo cáo kết quả thực hiện Kế hoạch chuyển đổi số trong xây dựng "
        "nông thôn mới năm 2025",
        unit=district,
        plan=Plan.objects.filter(unit=district).first(),
        sections=SECTIONS,
        by=None,
        is_demo=True,
    )
    assignments = assign_year(form, by=None)
    rng.shuffle(assignments)
    tz = timezone.get_current_timezone()
    for index, assignment in enumerate(assignments):
        if index >= len(assignments) - 2:
            continue  # two units have not reported yet
        submission = assignment.submission
        narratives = {
            s.key: rng.choice(TEXTS if s.order == 3 else ISSUES)
            for s in form.sections.all()
            if s.is_narrative
        }
        save_narratives(submission, narratives=narratives, by=None)
        late = index % 4 == 3
        day = assignment.due_date + datetime.timedelta(
            days=rng.randint(1, 10) if late else -rng.randint(1, 20)
        )
        at = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=tz)
        submit_submission(submission, by=None, at=at)
        if index == 0:
            return_submission(submission, reason="Bổ sung số liệu quý III.", by=None)
        elif index in (1, 2):
            accept_submission(submission, by=None, at=at)
    return form
