"""`make prod-check`: Django's deployment checks plus what a running stack needs."""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.checks import WARNING, run_checks
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResultStatus

from ntm.core import partitions, postgis
from ntm.core.tasks import ping

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


class Problem(Exception):
    """A check that failed: the stack must not serve like this."""


class Caution(Exception):
    """A check that passed with a reservation worth reading."""


class Command(BaseCommand):
    help = "Kiểm tra cấu hình máy chủ thật (check --deploy và các dịch vụ đi kèm)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=float,
            default=15,
            help="Số giây chờ tiến trình nền trả lời (mặc định 15).",
        )

    def handle(self, *args, wait, **options):
        checks = [
            ("Kiểm tra triển khai của Django (check --deploy)", check_django_deploy),
            ("Chế độ gỡ lỗi (DEBUG)", check_debug),
            ("Khóa bí mật (SECRET_KEY)", check_secret_key),
            ("Tên miền được phép (ALLOWED_HOSTS)", check_allowed_hosts),
            ("HTTPS", check_https),
            ("Cơ sở dữ liệu", check_database),
            ("Cập nhật cấu trúc dữ liệu (migrate)", check_migrations),
            ("PostGIS (tìm xã chứa một điểm trên bản đồ)", check_postgis),
            ("Liên kết giữa các bảng phân vùng", check_relations),
            ("Redis (bộ nhớ đệm, phiên, hàng đợi)", check_redis),
            ("Tệp tĩnh (collectstatic)", check_static_files),
            ("Thư mục tệp tải lên (MEDIA_ROOT)", check_media),
            ("Tiến trình nền (worker)", lambda: check_worker(wait)),
        ]
        failed = 0
        for label, check in checks:
            try:
                detail = check()
            except Caution as caution:
                self.stdout.write(self.style.WARNING(f"! {label}: {caution}"))
            except Problem as problem:
                failed += 1
                self.stdout.write(self.style.ERROR(f"✗ {label}: {problem}"))
            else:
                self.stdout.write(self.style.SUCCESS(f"✓ {label}: {detail}"))
        if failed:
            raise CommandError(f"{failed} mục chưa đạt: máy chủ chưa sẵn sàng.")
        self.stdout.write(self.style.SUCCESS("Cấu hình sẵn sàng cho máy chủ thật."))


def check_django_deploy():
    found = [
        message
        for message in run_checks(include_deployment_checks=True)
        if message.level >= WARNING and not message.is_silenced()
    ]
    listed = "; ".join(f"{message.id}: {message.msg}" for message in found)
    if any(message.is_serious() for message in found):
        raise Problem(listed)
    if found:
        raise Caution(listed)
    return "không có lỗi hay cảnh báo"


def check_debug():
    if settings.DEBUG:
        raise Problem("đang bật; máy chủ thật phải chạy với DEBUG tắt.")
    return "tắt"


def check_secret_key():
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        raise Problem("đang là khóa phát triển; đặt SECRET_KEY riêng cho máy chủ.")
    return f"riêng, {len(settings.SECRET_KEY)} ký tự"


def check_allowed_hosts():
    hosts = [host for host in settings.ALLOWED_HOSTS if host]
    if not hosts or "*" in hosts:
        raise Problem("chưa đặt, hoặc là '*'; đặt tên miền của máy chủ.")
    if set(hosts) <= LOOPBACK_HOSTS:
        raise Caution(f"chỉ có địa chỉ của chính máy này ({', '.join(hosts)}).")
    return ", ".join(hosts)


def check_https():
    if not settings.HTTPS:
        raise Caution(
            "HTTPS=false: cookie gửi qua HTTP, không chuyển hướng, không HSTS."
        )
    proxy = " sau proxy TLS" if settings.BEHIND_PROXY else ""
    return (
        f"chuyển hướng, HSTS {settings.SECURE_HSTS_SECONDS} giây, cookie an toàn{proxy}"
    )


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any driver error means "not reachable"
        raise Problem(f"không kết nối được ({error}).") from error
    described = f"{connection.vendor} {connection.settings_dict['NAME']}"
    if connection.vendor != "postgresql":
        raise Caution(f"{described}; máy chủ thật nên dùng PostgreSQL.")
    return f"{described} trả lời"


def check_migrations():
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise Problem(f"còn {len(pending)} bước chưa chạy: manage.py migrate.")
    return "đã đủ"


def check_postgis():
    if postgis.enabled():
        return "đã bật, ranh giới các đơn vị có chỉ mục không gian"
    if postgis.available():
        raise Caution(
            "máy chủ có PostGIS nhưng chưa bật: quản trị cơ sở dữ liệu chạy"
            " CREATE EXTENSION postgis; rồi chạy lại manage.py migrate."
        )
    raise Caution(
        "chưa cài (apt-get install postgresql-15-postgis-3): điểm phản ánh được"
        " đối chiếu với ranh giới từng xã bằng Python, chậm khi có hàng nghìn xã."
    )


def check_relations():
    # The database does not check the relations into partitioned tables
    # (ntm.core.partitions): a row deleted behind Django's back shows here.
    found = partitions.orphans()
    if found:
        listed = "; ".join(f"{label}.{field}: {rows}" for label, field, rows in found)
        raise Problem(f"có bản ghi trỏ tới bản ghi đã mất ({listed}).")
    return "mọi liên kết đều trỏ tới bản ghi còn lại"


def check_redis():
    if not settings.REDIS_URL:
        raise Problem("chưa đặt REDIS_URL.")
    key = f"check-production:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 30)
        answer = cache.get(key)
        cache.delete(key)
    except Exception as error:  # the client raises its own connection errors
        raise Problem(f"không kết nối được ({error}).") from error
    if answer != "ok":
        raise Problem("ghi rồi đọc lại không được.")
    return "đọc và ghi được"


def check_static_files():
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not settings.DEBUG and not manifest.exists():
        raise Problem(f"chưa có {manifest}: manage.py collectstatic.")
    return f"đã thu thập vào {settings.STATIC_ROOT}"


def check_media():
    root = Path(settings.MEDIA_ROOT)
    probe = root / f".check-production-{uuid.uuid4().hex}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as error:
        raise Problem(f"không ghi được vào {root} ({error}).") from error
    return f"ghi được vào {root}"


def check_worker(wait):
    if isinstance(task_backends[ping.backend], ImmediateBackend):
        raise Problem("tác vụ đang chạy ngay trong yêu cầu (TASKS_BACKEND).")
    try:
        result = ping.enqueue()
    except Exception as error:  # the queue's own connection errors
        raise Problem(f"không đưa được tác vụ vào hàng đợi ({error}).") from error
    deadline = time.monotonic() + wait
    while result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
        if time.monotonic() > deadline:
            raise Problem(f"không có tiến trình nền nào trả lời sau {wait:g} giây.")
        time.sleep(0.2)
        result.refresh()
    if result.status != TaskResultStatus.SUCCESSFUL:
        raise Problem(f"tác vụ thử thất bại ({result.status}).")
    return f"trả lời lúc {result.return_value['at']}"
