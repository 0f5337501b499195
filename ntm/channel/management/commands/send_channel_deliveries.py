from django.core.management.base import BaseCommand

from ntm.channel.services import send_due_deliveries


class Command(BaseCommand):
    help = "Gửi các lượt gửi tin của thôn đã đến hạn (gồm các lần gửi lại)."

    def handle(self, *args, **options):
        next_due = send_due_deliveries()
        if next_due:
            self.stdout.write(
                f"Còn lượt chờ gửi lại, sớm nhất lúc {next_due:%d/%m/%Y %H:%M}."
            )
