"""Reads for the hub page: volumes, delivery latency and failures per organ over a window."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from motcua.exchange import edxml
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


# ---- inter-agency steps, for the dossier page of the back office ------------------------------


def interagency_for_dossier(dossier) -> dict:
    """What the dossier page shows of the axis: per step sent to another organ, the request, its
    state and the status trail (01/03/05/06…) per recipient; for a dossier received from another
    organ, where it came from and the statuses reported back; the files that came over the axis."""
    from motcua.dossiers.interagency import SYSTEM_USERNAME_PREFIX
    from motcua.exchange.models import ReceivedRequest, ReceivedStatus, StepRequest

    # Read from the steps the page has already loaded: a dossier with no step at another agency,
    # and not received by the axis's system user, costs no query here.
    steps = list(dossier.steps.all())
    requests = []
    if any(step.is_interagency for step in steps):
        requests = list(StepRequest.objects.filter(step__dossier=dossier)
                        .select_related("step", "step__agency", "reply").order_by("step__order"))
    by_outgoing: dict[int, list] = {}
    outgoing_ids = [r.outgoing_id for r in requests if r.outgoing_id]
    for status in ReceivedStatus.objects.filter(outgoing_id__in=outgoing_ids).order_by("hub_event_id"):
        by_outgoing.setdefault(status.outgoing_id, []).append(
            {"code": status.code, "name": edxml.STATUS_CODES.get(status.code, ""), "organ": status.organ_id,
             "at": status.at, "description": status.description})
    sent = [{"request": r, "statuses": by_outgoing.get(r.outgoing_id, [])} for r in requests]
    first = steps[0] if steps else None
    received = None
    if first is not None and first.completed_by and first.completed_by.username.startswith(SYSTEM_USERNAME_PREFIX):
        received = ReceivedRequest.objects.select_related("incoming").filter(dossier=dossier).first()
    reply_ids = [r.reply.document_id for r in requests if r.reply_id]
    files = [c for c in dossier.components.all() if c.file and (
        received is not None or any(document_id in c.note for document_id in reply_ids))]
    return {"dossier": dossier, "sent": sent, "received": received, "files": files,
            "status_names": edxml.STATUS_CODES}
