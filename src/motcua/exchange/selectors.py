"""Reads for the hub page: volumes, delivery latency and failures per organ over a window."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from motcua.exchange.models import Delivery, DeliveryState, HubDocument, HubOrgan, LogHead, RefusedMessage

WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), -(-len(sorted_values) * p // 100)))
    return sorted_values[int(rank) - 1]


@dataclass
class OrganStats:
    organ: HubOrgan
    sent: int = 0
    received: int = 0
    acknowledged: int = 0
    waiting: int = 0
    failing: int = 0
    refused: int = 0
    latencies: list[float] = field(default_factory=list)

    @property
    def p50(self):
        return percentile(self.latencies, 50)

    @property
    def p95(self):
        return percentile(self.latencies, 95)


def hub_overview(window: str = "24h") -> dict:
    since = timezone.now() - WINDOWS.get(window, WINDOWS["24h"])
    stats = {o.pk: OrganStats(o) for o in HubOrgan.objects.all()}
    for row in HubDocument.objects.filter(received_at__gte=since).values("sender").annotate(n=Count("id")):
        stats[row["sender"]].sent = row["n"]
    deliveries = (Delivery.objects.filter(document__received_at__gte=since).values("recipient")
                  .annotate(n=Count("id"), acked=Count("id", filter=Q(acked_at__isnull=False)),
                            failing=Count("id", filter=Q(state=DeliveryState.FAILED))))
    for row in deliveries:
        s = stats[row["recipient"]]
        s.received, s.acknowledged, s.failing = row["n"], row["acked"], row["failing"]
        s.waiting = row["n"] - row["acked"]
    latencies = defaultdict(list)
    for recipient, received_at, acked_at in (Delivery.objects.filter(document__received_at__gte=since,
                                                                     acked_at__isnull=False)
                                             .values_list("recipient", "document__received_at", "acked_at")):
        latencies[recipient].append(max((acked_at - received_at).total_seconds(), 0.0))
    for pk, values in latencies.items():
        stats[pk].latencies = sorted(values)
    for row in RefusedMessage.objects.filter(at__gte=since, organ__isnull=False).values("organ").annotate(n=Count("id")):
        stats[row["organ"]].refused = row["n"]
    head = LogHead.objects.filter(id=1).first()
    return {
        "window": window if window in WINDOWS else "24h",
        "organs": list(stats.values()),
        "refusals": list(RefusedMessage.objects.filter(at__gte=since).select_related("organ")[:50]),
        "failing": list(Delivery.objects.filter(state=DeliveryState.FAILED, acked_at__isnull=True)
                        .select_related("recipient", "document")[:50]),
        "log_seq": head.last_seq if head else 0,
        "unauthenticated": RefusedMessage.objects.filter(at__gte=since, organ__isnull=True).count(),
    }
