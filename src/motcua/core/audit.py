"""The hash-chained audit trail: append inside the caller's transaction, verify the whole chain."""

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from motcua.core.models import AuditChainHead, AuditRecord

GENESIS = "0" * 64


def _digest(record: AuditRecord) -> str:
    body = {
        "seq": record.seq,
        "occurred_at": record.occurred_at.isoformat(),
        "actor": record.actor_id,
        "actor_label": record.actor_label,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "before": record.before,
        "after": record.after,
        "prev_hash": record.prev_hash,
    }
    encoded = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _json_safe(value):
    """What the JSON column will give back when read, so the hash is computed on the same values."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def append(action: str, *, object_type: str, object_id, before=None, after=None, actor=None,
           actor_label: str = "") -> AuditRecord:
    """Append one record to the chain. Must run inside the transaction that makes the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.append must run inside the transaction of the change it records")
    AuditChainHead.objects.get_or_create(id=1)
    head = AuditChainHead.objects.select_for_update().get(id=1)
    record = AuditRecord(
        seq=head.last_seq + 1,
        # Microseconds are dropped so the hashed ISO text is the same on every database backend.
        occurred_at=timezone.now().replace(microsecond=0),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or (actor.get_username() if getattr(actor, "pk", None) else ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_json_safe(before),
        after=_json_safe(after),
        prev_hash=head.last_hash,
    )
    record.hash = _digest(record)
    record.save()
    head.last_seq = record.seq
    head.last_hash = record.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return record


@dataclass
class ChainProblem:
    seq: int
    message: str


def verify(batch_size: int = 5000) -> tuple[int, list[ChainProblem]]:
    """Recompute the whole chain. Returns (records checked, problems found)."""
    problems: list[ChainProblem] = []
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    last_seen = 0
    while True:
        batch = list(AuditRecord.objects.filter(seq__gt=last_seen).order_by("seq")[:batch_size])
        if not batch:
            break
        for record in batch:
            checked += 1
            if record.seq != expected_seq:
                problems.append(ChainProblem(expected_seq, f"thiếu bản ghi {expected_seq}–{record.seq - 1} (đã bị xóa)"))
            if record.prev_hash != prev_hash:
                problems.append(ChainProblem(record.seq, "liên kết với bản ghi trước không khớp"))
            if _digest(record) != record.hash:
                problems.append(ChainProblem(record.seq, "nội dung đã bị thay đổi (hash không khớp)"))
            expected_seq, prev_hash = record.seq + 1, record.hash
        last_seen = batch[-1].seq
    head = AuditChainHead.objects.filter(id=1).first()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        problems.append(ChainProblem(head.last_seq, f"bản ghi cuối của chuỗi ({head.last_seq}) đã bị xóa hoặc sửa"))
    return checked, problems
