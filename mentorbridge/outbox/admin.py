from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from mentorbridge.outbox.models import MessageStatus, OutboxMessage, WorkerHeartbeat
from mentorbridge.outbox.services import message_enqueue


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Send the selected failed emails again")
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        failed = list(queryset.filter(status=MessageStatus.FAILED).values_list("pk", flat=True))
        OutboxMessage.objects.filter(pk__in=failed).update(
            status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        for pk in failed:
            message_enqueue(pk)
        self.message_user(request, f"{len(failed)} email(s) queued again.")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen"]
    readonly_fields = ["worker_id", "hostname", "pid", "started_at", "last_seen"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
