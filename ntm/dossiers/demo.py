"""Demo recognition dossiers of the five communes formed on 01/07/2025.

One dossier per commune for 2025, at different steps so that every screen
has something to show: a draft, one posted and ready to submit, one
submitted, one under appraisal, one decided (recognised when the
council finds every criterion met, refused otherwise). Built through the services
(the audit trail reads as a real one) and labelled ``is_demo``. Called by
``ntm.demo`` with its seeded ``random.Random``.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from ntm.accounts.models import User
from ntm.units.models import Unit

from .models import Dossier
from .services import (
    DossierError,
    add_posting,
    appraise_criterion,
    complete_appraisal,
    create_dossier,
    decide_dossier,
    self_assess_dossier,
    submit_dossier,
)

YEAR = 2025
ON = datetime.date(2025, 7, 1)
# Code of each new commune and the step its dossier reaches.
STEPS = {
    "20542": "draft",
    "20515": "posted",
    "20539": "submitted",
    "20506": "under_appraisal",
    "20500": "recognised",
}
PLACES = [
    "Trụ sở UBND xã",
    "Nhà văn hóa thôn 1",
    "Nhà văn hóa thôn 2",
    "Nhà văn hóa thôn 3",
    "Đài truyền thanh xã",
    "Cổng thông tin điện tử xã",
]


@transaction.atomic
def build(rng):
    """Create the demo dossiers; returns how many were made."""
    hanha_officer = User.objects.filter(username="xa.hanha").first()
    council = User.objects.filter(username="hoidong").first()
    admin = User.objects.filter(username="admin").first()
    made = 0
    for code, step in STEPS.items():
        unit = Unit.objects.by_code(code, on=ON)
        # Only Hà Nha has a demo officer; the others are recorded as system.
        officer = hanha_officer if code == "20515" else None
        try:
            dossier = create_dossier(
                unit, kind=Dossier.Kind.NTM, year=YEAR, by=officer, is_demo=True
            )
        except DossierError:
            continue  # no commune set loaded, or already built
        made += 1
        if step == "draft":
            continue
        self_assess_dossier(dossier, by=officer)
        start = timezone.now() - datetime.timedelta(days=30)
        Dossier.objects.filter(pk=dossier.pk).update(assessed_at=start)
        dossier.refresh_from_db()
        today = timezone.localdate()
        days = sorted(rng.sample(range(1, 14), 5), reverse=True)
        for day, place in zip(days, rng.sample(PLACES, 5), strict=True):
            add_posting(
                dossier,
                posted_on=today - datetime.timedelta(days=day),
                place=place,
                by=officer,
            )
        if step == "posted":
            continue
        # The demo communes do not meet every criterion: submitted anyway, as
        # a commune may, with the confirmation and its mark.
        submit_dossier(dossier, by=officer, confirm_unmet=True)
        if step == "submitted" or council is None:
            continue
        # The council follows the frozen figures: a criterion without data
        # is not met.
        criteria = dossier.assessment["criteria"]
        judged = criteria if step == "recognised" else criteria[:3]
        verdicts = {
            c["number"]: Dossier.Result.MET
            if c["status"] == "met"
            else Dossier.Result.NOT_MET
            for c in judged
        }
        for number, verdict in verdicts.items():
            appraise_criterion(
                dossier,
                criterion_number=number,
                verdict=verdict,
                comment=rng.choice(["", "Hồ sơ đầy đủ, số liệu khớp."]),
                by=council,
            )
        if step == "under_appraisal" or admin is None:
            continue
        met = all(v == Dossier.Result.MET for v in verdicts.values())
        complete_appraisal(
            dossier,
            result=Dossier.Result.MET if met else Dossier.Result.NOT_MET,
            summary="Đối chiếu số liệu chốt khi trình và minh chứng từng tiêu chí.",
            by=council,
        )
        decide_dossier(
            dossier,
            recognised=met,
            number="2150/QĐ-UBND",
            date=today,
            signer="Nguyễn Văn Minh (minh họa)",
            signer_position="Phó Chủ tịch UBND thành phố",
            by=admin,
        )
    return made
