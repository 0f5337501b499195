from django.contrib import admin

from .models import Category, Report


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "office", "deadline_days", "is_active"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["code", "category", "commune", "status", "received_at", "due_at"]
    list_filter = ["status", "category"]
    readonly_fields = ["code", "status", "received_at", "due_at", "resolved_at"]
