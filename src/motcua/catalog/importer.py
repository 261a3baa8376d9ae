"""`motcua catalog import`: read source files, publish every record, report what was parsed."""

import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError

from motcua.catalog.parsing import read_source
from motcua.catalog.records import ProcedureRecord, RecordError
from motcua.catalog.services import Lookups, publish_record, publish_records

BUNDLED_SOURCES = [
    Path(__file__).resolve().parent / "data" / "chatbot_tthc_central_procedures.raw.jsonl.gz",
    Path(__file__).resolve().parent / "data" / "nhdandz_bqp_procedures_structured.jsonl",
]


@dataclass
class ImportReport:
    """What an import did, and how much of the flattened source became structure."""

    records: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[RecordError] = field(default_factory=list)
    parsed: Counter = field(default_factory=Counter)

    PARSED_FIELDS = (
        ("time_limits", "thời hạn giải quyết"),
        ("fees", "phí, lệ phí"),
        ("components", "thành phần hồ sơ"),
        ("legal_basis", "căn cứ pháp lý"),
        ("steps", "trình tự thực hiện"),
        ("channels", "cách thức thực hiện"),
    )

    def count(self, record: ProcedureRecord) -> None:
        self.parsed["steps"] += bool(record.steps)
        self.parsed["channels"] += bool(record.channels)
        self.parsed["time_limits"] += any(c.time_limit_unit for c in record.channels)
        self.parsed["fees"] += any(c.fees for c in record.channels)
        self.parsed["components"] += bool(record.components)
        self.parsed["legal_basis"] += bool(record.legal_basis)

    def lines(self) -> list[str]:
        ok = self.records - len(self.errors)
        out = [
            f"Bản ghi đã đọc: {self.records}; hợp lệ: {ok}; phiên bản mới: {self.created}; "
            f"không đổi: {self.unchanged}; lỗi (bỏ qua): {len(self.errors)}",
            "Số bản ghi đã phân tích được cấu trúc:",
        ]
        for key, label in self.PARSED_FIELDS:
            share = (100 * self.parsed[key] / ok) if ok else 0
            out.append(f"  {label:<22} {self.parsed[key]:>6} / {ok} ({share:.1f}%)")
        out.extend(f"  LỖI {error}" for error in self.errors)
        return out


def _progress(done: int, total: int | None) -> None:
    if not sys.stderr.isatty():
        return
    if total:
        width = 40
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    else:
        sys.stderr.write(f"\r{done}")
    sys.stderr.flush()


def import_sources(paths: Iterable[Path], progress: Callable[[int, int | None], None] = _progress,
                   batch_size: int = 200) -> ImportReport:
    """Import each file, a batch of records per transaction.

    A batch that fails is replayed record by record, each in its own transaction, so one bad
    record is reported with its code and skipped and never half-written, while the others land.
    """
    report = ImportReport()
    items = [item for path in paths for item in read_source(Path(path))]
    total = len(items)
    lookups = Lookups()
    batch: dict[str, ProcedureRecord] = {}

    def flush():
        records = list(batch.values())
        batch.clear()
        try:
            created, unchanged = publish_records(records, lookups)
            for record in records:
                report.count(record)
        except (DatabaseError, ValueError, KeyError):
            lookups.__init__()  # rows cached from the rolled-back batch are gone
            created = unchanged = 0
            for record in records:
                try:
                    _version, was_created = publish_record(record)
                except (DatabaseError, ValueError, KeyError) as exc:
                    report.errors.append(RecordError(record.code, f"không ghi được: {exc}"))
                    continue
                report.count(record)
                created += was_created
                unchanged += not was_created
        report.created += created
        report.unchanged += unchanged

    for done, item in enumerate(items, start=1):
        report.records += 1
        if isinstance(item, RecordError):
            report.errors.append(item)
        else:
            if item.code in batch:  # the same code twice in one batch: publish the first one first
                flush()
            batch[item.code] = item
            if len(batch) >= batch_size:
                flush()
        if done % 50 == 0 or done == total:
            progress(done, total)
    if batch:
        flush()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    return report
