"""The hub's tamper-evident message log: a hash chain over every accepted package and status, with
signed checkpoints of its head.

Each entry hashes (seq, kind, ref, SHA-256 of the content, time, previous hash). `verify` walks the
chain and, for every entry, re-reads the row it points at and recomputes its content hash: a changed
package or status, a changed or deleted entry, a gap in the sequence or a chain cut after a signed
checkpoint are each reported with the seq concerned.
"""

import base64
import contextlib
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.exchange.models import Checkpoint, HubDocument, LogEntry, LogHead, StatusEvent

GENESIS = "0" * 64


def entry_hash(seq: int, kind: str, ref: str, content_sha256: str, at: datetime, prev_hash: str) -> str:
    text = f"{seq}|{kind}|{ref}|{content_sha256}|{at.astimezone(UTC).isoformat()}|{prev_hash}"
    return hashlib.sha256(text.encode()).hexdigest()


def status_content(event: StatusEvent) -> bytes:
    """What the log hashes for a status: the signed message, or the hub's own 01 as text."""
    if event.message:
        return bytes(event.message)
    return f"{event.code}|{event.delivery_id}|{event.description}|{event.at.astimezone(UTC).isoformat()}".encode()


def append(kind: str, ref: str, content: bytes) -> LogEntry:
    """Append one entry; must run inside the transaction that stores what it records.

    Locking the head row serializes appends between hub processes on PostgreSQL; on SQLite the
    IMMEDIATE transaction already holds the write lock.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hublog.append must run inside the transaction of what it records")
    LogHead.objects.get_or_create(id=1)
    head = LogHead.objects.select_for_update().get(id=1)
    # Microseconds dropped: the same ISO text on every backend, so the hash recomputes everywhere.
    at = timezone.now().replace(microsecond=0)
    seq = head.last_seq + 1
    sha = hashlib.sha256(content).hexdigest()
    entry = LogEntry.objects.create(seq=seq, kind=kind, ref=ref, content_sha256=sha, at=at,
                                    prev_hash=head.last_hash,
                                    hash=entry_hash(seq, kind, ref, sha, at, head.last_hash))
    head.last_seq, head.last_hash = seq, entry.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


# ---- hub key and checkpoints ------------------------------------------------------------------


def hub_key_pair() -> tuple[bytes, bytes]:
    """The hub's signing key and certificate (PEM): from the settings, or made once under DATA_DIR."""
    key_path, cert_path = settings.MOTCUA_EXCHANGE_HUB_KEY, settings.MOTCUA_EXCHANGE_HUB_CERT
    if key_path and cert_path:
        return Path(key_path).read_bytes(), Path(cert_path).read_bytes()
    folder = Path(settings.DATA_DIR) / "exchange"
    combined = folder / "hub-key-and-cert.pem"
    if not combined.exists():
        # Two hub processes may start together: write aside, then link, which fails if the other won.
        folder.mkdir(parents=True, exist_ok=True)
        key_pem, cert_pem = make_self_signed("motcua hub")
        tmp = folder / f".hub-{os.getpid()}.pem"
        tmp.write_bytes(key_pem + cert_pem)
        tmp.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, combined)
        tmp.unlink()
    text = combined.read_bytes()
    split = text.index(b"-----BEGIN CERTIFICATE-----")
    return text[:split], text[split:]


def make_self_signed(common_name: str, days: int = 3650) -> tuple[bytes, bytes]:
    """An RSA-2048 key and a self-signed certificate (for the hub's log key, and for tests)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def _checkpoint_text(seq: int, head_hash: str, at: datetime) -> bytes:
    return f"{seq}|{head_hash}|{at.astimezone(UTC).isoformat()}".encode()


def checkpoint() -> Checkpoint | None:
    """Sign the current head (none when the log is empty or the head is already checkpointed)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    head = LogHead.objects.filter(id=1).first()
    if head is None or head.last_seq == 0:
        return None
    latest = Checkpoint.objects.order_by("-seq").first()
    if latest is not None and latest.seq >= head.last_seq:
        return None
    key_pem, cert_pem = hub_key_pair()
    key = serialization.load_pem_private_key(key_pem, password=None)
    at = timezone.now().replace(microsecond=0)
    signature = key.sign(_checkpoint_text(head.last_seq, head.last_hash, at), padding.PKCS1v15(), hashes.SHA256())
    return Checkpoint.objects.create(seq=head.last_seq, hash=head.last_hash, at=at,
                                     signature=base64.b64encode(signature).decode(),
                                     certificate=cert_pem.decode())


def _checkpoint_valid(cp: Checkpoint) -> bool:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    # Checked against the hub's own certificate, not the one stored beside the signature.
    _key, cert_pem = hub_key_pair()
    cert = x509.load_pem_x509_certificate(cert_pem)
    try:
        cert.public_key().verify(base64.b64decode(cp.signature), _checkpoint_text(cp.seq, cp.hash, cp.at),
                                 padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


# ---- verification -----------------------------------------------------------------------------


@dataclass
class LogProblem:
    seq: int
    message: str


def _contents(batch: list[LogEntry]) -> dict[str, bytes]:
    """The content each entry of a batch points at, read in two queries."""
    ids = {"document": [], "status": []}
    for entry in batch:
        kind, _sep, pk = entry.ref.partition(":")
        if kind in ids and pk.isdigit():
            ids[kind].append(int(pk))
    found = {f"document:{pk}": bytes(package)
             for pk, package in HubDocument.objects.filter(pk__in=ids["document"]).values_list("pk", "package")}
    found.update({f"status:{e.pk}": status_content(e) for e in StatusEvent.objects.filter(pk__in=ids["status"])})
    return found


def _check_entry(entry: LogEntry, expected_seq: int, prev_hash: str, content: bytes | None) -> list[LogProblem]:
    problems = [LogProblem(missing, "mục nhật ký bị thiếu (đã bị xóa)") for missing in range(expected_seq, entry.seq)]
    if entry.seq == expected_seq and entry.prev_hash != prev_hash:
        problems.append(LogProblem(entry.seq, "không nối với mục trước (prev_hash sai)"))
    if entry_hash(entry.seq, entry.kind, entry.ref, entry.content_sha256, entry.at, entry.prev_hash) != entry.hash:
        problems.append(LogProblem(entry.seq, "mục nhật ký đã bị sửa (hash không khớp)"))
    if content is None:
        problems.append(LogProblem(entry.seq, f"không còn nội dung {entry.ref} mà mục này ghi nhận"))
    elif hashlib.sha256(content).hexdigest() != entry.content_sha256:
        problems.append(LogProblem(entry.seq, f"nội dung {entry.ref} đã bị sửa sau khi ghi nhật ký"))
    return problems


def _check_checkpoints(checkpoints, hashes_at: dict[int, str], last_seq: int) -> list[LogProblem]:
    problems = []
    for cp in checkpoints:
        if not _checkpoint_valid(cp):
            problems.append(LogProblem(cp.seq, "chữ ký của điểm kiểm tra không hợp lệ"))
        elif cp.seq > last_seq:
            problems.append(LogProblem(cp.seq, f"nhật ký bị cắt: điểm kiểm tra đã ký ở mục {cp.seq}, "
                                               f"nhật ký chỉ còn đến mục {last_seq}"))
        elif hashes_at.get(cp.seq) != cp.hash:
            problems.append(LogProblem(cp.seq, "mục tại điểm kiểm tra khác với hash đã ký"))
    return problems


def _check_totals(last_seq: int) -> list[LogProblem]:
    problems = []
    head = LogHead.objects.filter(id=1).first()
    if head is not None and head.last_seq != last_seq:
        problems.append(LogProblem(head.last_seq, f"đầu chuỗi ghi mục {head.last_seq}, nhật ký kết thúc ở mục {last_seq}"))
    # Rows stored without a log entry (written around the hub's services) are tampering too.
    for model, kind, label in ((HubDocument, "document", "văn bản"), (StatusEvent, "status", "trạng thái")):
        stored, logged = model.objects.count(), LogEntry.objects.filter(kind=kind).count()
        if stored != logged:
            problems.append(LogProblem(0, f"{stored} {label} nhưng {logged} mục nhật ký {label}"))
    return problems


def verify(batch_size: int = 2000) -> tuple[int, list[LogProblem]]:
    """Recompute the whole chain and every content hash. Returns (entries checked, problems)."""
    problems: list[LogProblem] = []
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    checkpoints = list(Checkpoint.objects.order_by("seq"))
    wanted = {cp.seq for cp in checkpoints}
    hashes_at: dict[int, str] = {}
    while True:
        batch = list(LogEntry.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch_size])
        if not batch:
            break
        contents = _contents(batch)
        for entry in batch:
            problems += _check_entry(entry, expected_seq, prev_hash, contents.get(entry.ref))
            if entry.seq in wanted:
                hashes_at[entry.seq] = entry.hash
            prev_hash, expected_seq = entry.hash, entry.seq + 1
            checked += 1
    last_seq = expected_seq - 1
    problems += _check_checkpoints(checkpoints, hashes_at, last_seq)
    problems += _check_totals(last_seq)
    return checked, sorted(problems, key=lambda p: p.seq)
