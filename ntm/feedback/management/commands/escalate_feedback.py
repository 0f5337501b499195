from django.core.management.base import BaseCommand

from ntm.feedback.services import escalate_overdue


class Command(BaseCommand):
    help = "Mark overdue feedback reports, escalate them once, close expired ones."

    def handle(self, *args, **options):
        escalated, closed = escalate_overdue()
        self.stdout.write(f"escalated={escalated} closed={closed}")
