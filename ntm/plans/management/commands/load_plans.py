from django.core.management.base import BaseCommand, CommandError

from ntm.plans.services import PlanError, load_all_plans


class Command(BaseCommand):
    help = "Nạp các kế hoạch và mục tiêu từ ntm/plans/data/*.json (sau load_criteria)."

    def handle(self, *args, **options):
        try:
            results = load_all_plans()
        except PlanError as error:
            raise CommandError(str(error)) from error
        for plan, created in results:
            state = "đã nạp" if created else "đã có, giữ nguyên"
            self.stdout.write(
                f"{plan.code}: {state} ({plan.targets.count()} mục tiêu)."
            )
