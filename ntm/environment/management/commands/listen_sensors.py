import os
import signal

from django.core.management.base import BaseCommand

from ntm.environment.mqtt import SensorListener


class Command(BaseCommand):
    help = "Nhận kết quả đo của thiết bị qua MQTT (ntm/cam-bien/<mã thiết bị>)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("MQTT_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("MQTT_PORT", 1883))
        )
        parser.add_argument("--client-id", default="ntm-sensors")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--session-expiry",
            type=int,
            default=24 * 3600,
            help="Giây broker giữ tin chờ khi bộ nhận ngừng (mặc định 1 ngày).",
        )

    def handle(self, *args, **options):
        listener = SensorListener(
            options["host"],
            options["port"],
            client_id=options["client_id"],
            batch_size=options["batch_size"],
            session_expiry=options["session_expiry"],
        )
        signal.signal(signal.SIGTERM, lambda *_: setattr(listener, "running", False))
        listener.start()
        self.stdout.write(
            f"Đang nhận kết quả đo từ mqtt://{options['host']}:{options['port']}"
        )
        try:
            listener.serve()
        except KeyboardInterrupt:
            pass
        finally:
            listener.stop()
            counts = listener.counts
            self.stdout.write(
                f"Đã nhận {counts.messages} tin, lưu {counts.stored} kết quả, "
                f"từ chối {counts.refused}, mở {counts.alerts} cảnh báo."
            )
