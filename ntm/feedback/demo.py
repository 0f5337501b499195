"""Demo feedback of Đại Lộc (synthetic, labelled demo): a few dozen reports
in the villages of the new communes, at points inside each commune, some
resolved on time, some late, some still open and overdue. Called by
``ntm.demo`` with its seeded ``random.Random``."""

import datetime

from django.utils import timezone

from ntm.units import geometry
from ntm.units.models import Unit

from .models import Category
from .services import change_status, escalate_overdue, submit_report

COUNT = 36
TEXTS = {
    "duong-sa": "Mặt đường bê tông bị sụt lún, xe máy đi lại nguy hiểm (minh họa).",
    "den-duong": "Cụm đèn đường không sáng mấy đêm nay (minh họa).",
    "rac-thai": "Rác thải tập kết ven đường chưa được thu gom (minh họa).",
    "nuoc-sach": "Nước sinh hoạt yếu, có màu đục vào buổi sáng (minh họa).",
    "thuy-loi": "Kênh mương nội đồng bị bồi lấp, nước không vào ruộng (minh họa).",
    "an-ninh": "Tụ tập gây ồn ào vào ban đêm (minh họa).",
    "van-hoa": "Loa truyền thanh của thôn bị hỏng (minh họa).",
}


def build(rng):
    categories = list(Category.objects.order_by("code"))
    communes = list(
        Unit.objects.valid_on()
        .communes()
        .filter(boundary__isnull=False)
        .order_by("code")
    )
    if not categories or not communes:
        return {"reports": 0}
    base = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
    made = []
    for number in range(COUNT):
        commune = communes[number % len(communes)]
        # Five communes and seven categories: every pair occurs in 35 reports.
        category = categories[number % len(categories)]
        cell = geometry.from_geojson(commune.boundary)
        point = geometry.random_point_in(cell, rng)
        received = base - datetime.timedelta(
            days=rng.randint(1, 40), hours=rng.randint(0, 9)
        )
        report = submit_report(
            category=category,
            text=TEXTS.get(category.code, "Phản ánh minh họa."),
            lat=round(point.y, 6),
            lon=round(point.x, 6),
            reporter_name="Người dân (minh họa)",
            now=received,
            is_demo=True,
        )
        fate = rng.random()
        if fate < 0.5:
            days = rng.uniform(0.5, category.deadline_days * 1.5)
            done = received + datetime.timedelta(days=days)
            if done < base:
                change_status(
                    report, "start", by=None, now=received + datetime.timedelta(hours=4)
                )
                change_status(
                    report,
                    "resolve",
                    by=None,
                    note="Đã khắc phục (minh họa).",
                    now=done,
                )
        elif fate < 0.75:
            change_status(
                report, "assign", by=None, now=received + datetime.timedelta(hours=2)
            )
        made.append(report)
    escalate_overdue(now=base)
    return {"reports": len(made)}
