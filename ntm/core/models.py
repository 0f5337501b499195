from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class ProvincePartitioned(models.Model):
    """A row of a table partitioned by province code on PostgreSQL
    (ntm.core.partitions), which takes its province from the related row
    named by ``PROVINCE_FROM`` (a unit, or a row that has a province code).

    ``save()`` sets the code; bulk writers call ``set_province_code()``.
    """

    PROVINCE_FROM = ""

    province_code = models.CharField(max_length=3, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.set_province_code()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.PROVINCE_FROM in update_fields:
            kwargs["update_fields"] = {*update_fields, "province_code"}
        super().save(*args, **kwargs)

    def set_province_code(self):
        self.province_code = getattr(self, self.PROVINCE_FROM).province_code


class ActionLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(
                obj, for_concrete_model=False
            ),
            object_id=str(obj.pk),
        )


class ActionLog(models.Model):
    """One change to an official record: who, when, what, and the fields changed."""

    created_at = models.DateTimeField(_("Thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người thực hiện"),
    )
    action = models.CharField(_("Thao tác"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("Đối tượng"), max_length=255)
    data = models.JSONField(_("Dữ liệu"), default=dict, blank=True)

    objects = ActionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")

    def __str__(self):
        return f"{self.action} {self.object_repr}"

    @property
    def changes(self):
        """The changed fields as (label, old, new) rows, for history tables."""
        return [
            (
                change.get("label", field),
                _shown(change.get("old")),
                _shown(change.get("new")),
            )
            for field, change in self.data.get("changes", {}).items()
        ]


def _shown(value):
    """Stored values as people read them: Có/Không, not True/False."""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return value


def export_storage():
    """Where export files are kept: outside MEDIA_ROOT's uploads, never served
    by URL (a download goes through a view that checks who asks)."""
    return storages["exports"]


class ExportJobQuerySet(models.QuerySet):
    def requested_by(self, user):
        return self.filter(requested_by=user)

    def unfinished(self):
        return self.filter(state__in=ExportJob.UNFINISHED)

    def past_expiry(self, now):
        return self.filter(state=ExportJob.State.DONE, expires_at__lte=now)

    def stalled(self, before):
        """Jobs no worker has touched since ``before``: their worker died and
        no retry is left (the queue's retries come back far sooner)."""
        return self.unfinished().filter(updated_at__lt=before)


class ExportJob(TimeStampedModel):
    """One export a user asked for: run by the task worker, kept for a while.

    The file is written once: a retried or duplicated run finds the job
    finished and stops, and the job becomes DONE in the same transaction
    that records its file (ntm/core/exports.py).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ tạo tệp")
        RUNNING = "running", _("Đang tạo tệp")
        DONE = "done", _("Sẵn sàng tải về")
        FAILED = "failed", _("Không tạo được tệp")
        EXPIRED = "expired", _("Đã hết hạn, tệp đã xóa")

    UNFINISHED = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("Loại tệp"), max_length=80)
    title = models.CharField(_("Tệp"), max_length=200)
    params = models.JSONField(_("Bộ lọc"), default=dict, blank=True)
    purpose = models.CharField(_("Mục đích sử dụng"), max_length=200, blank=True)
    personal = models.BooleanField(_("Có dữ liệu cá nhân"), default=False)
    back_url = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("Người yêu cầu"),
    )
    state = models.CharField(
        _("Trạng thái"), max_length=10, choices=State, default=State.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("Tổng số dòng"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("Số dòng đã ghi"), default=0)
    attempts = models.PositiveSmallIntegerField(_("Số lần chạy"), default=0)
    # Written by the platform, never uploaded: not editable, so no form offers
    # it and the upload checker's inventory (tests/core/test_uploads.py)
    # leaves it out.
    file = models.FileField(
        storage=export_storage, max_length=200, blank=True, editable=False
    )
    filename = models.CharField(_("Tên tệp"), max_length=120, blank=True)
    size = models.PositiveIntegerField(_("Dung lượng (byte)"), null=True, blank=True)
    error = models.CharField(_("Lỗi"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("Bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Xong lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("Hết hạn lúc"), null=True, blank=True)
    downloads = models.PositiveIntegerField(_("Số lần tải"), default=0)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "expires_at"])]
        verbose_name = _("tệp xuất")
        verbose_name_plural = _("tệp xuất")

    def __str__(self):
        return f"{self.title} #{self.pk}"

    def get_absolute_url(self):
        return reverse("core:export-detail", args=[self.pk])

    @property
    def is_finished(self):
        return self.state not in self.UNFINISHED

    @property
    def is_running(self):
        return self.state == self.State.RUNNING

    @property
    def is_failed(self):
        return self.state == self.State.FAILED

    @property
    def is_ready(self):
        return self.state == self.State.DONE

    @property
    def percent(self):
        """How far the file is, 0–100 (None while the size is unknown)."""
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return None
        return min(99, self.rows_done * 100 // self.rows_total)
