"""Parsers that turn the real sources' records into `ProcedureRecord`s.

Two sources (catalog/data/SOURCES.md):
- the dichvucong.gov.vn crawl (`*.raw.jsonl.gz`), whose table fields are HTML tables flattened to
  text with the cells run together; joined with the ministries' official lists (CSV) for the
  issuing agency;
- the Ministry of Defence export (`*bqp*.jsonl`), already split into tables.
Whatever cannot be parsed is kept verbatim in `ProcedureRecord.unparsed`.
"""

import csv
import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

from motcua.catalog.records import (
    ProcedureRecord,
    RecordError,
    StepRecord,
)

EMPTY_VALUES = {"", "không có thông tin", "không", "không có"}

LEVEL_WORDS = {
    "bộ": "ministry",
    "trung ương": "ministry",
    "tỉnh": "province",
    "huyện": "district",
    "xã": "commune",
}


def clean(text: str | None) -> str:
    """Trim, drop zero-width spaces, and map the sources' 'no information' markers to ''."""
    if not text:
        return ""
    value = text.replace("\u200b", "").replace("\xa0", " ").strip()
    return "" if value.lower() in EMPTY_VALUES else value


def parse_levels(text: str) -> list[str]:
    """'Cấp bộ, Cấp xã' → ['ministry', 'commune']; unknown parts become 'other'."""
    levels: list[str] = []
    for part in re.split(r"[,;\n]", clean(text)):
        word = part.strip().lower().removeprefix("cấp").strip()
        if not word:
            continue
        level = LEVEL_WORDS.get(word, "other")
        if level not in levels:
            levels.append(level)
    return levels


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;\n]", clean(text)) if p.strip()]


def split_agencies(text: str) -> list[str]:
    return [p.strip(" .;") for p in re.split(r"[;\n]", clean(text)) if p.strip(" .;")]


def parse_steps(text: str) -> list[StepRecord]:
    """Split 'Bước 1: ... Bước 2: ...' into steps; one step holding the text when there are no markers."""
    text = clean(text)
    if not text:
        return []
    parts = re.split(r"(?=\bBước\s+\d+\s*[:.\-–])", text)
    steps = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        match = re.match(r"(Bước\s+\d+)\s*[:.\-–]\s*(.*)", part, re.S)
        if match:
            head, _, rest = match.group(2).partition("\n")
            steps.append(StepRecord(title=f"{match.group(1)}: {head.strip()}", description=rest.strip()))
        else:
            steps.append(StepRecord(title="", description=part))
    return steps


def load_listing(path: Path) -> dict[str, dict]:
    """The ministries' official lists, by procedure code."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["ma_so"].strip(): row for row in csv.DictReader(handle)}


def parse_portal_record(raw: dict, listing: dict | None = None) -> ProcedureRecord:
    """One record of the dichvucong.gov.vn crawl."""
    code = clean(raw.get("ma_thu_tuc"))
    name = clean(raw.get("ten_thu_tuc"))
    if not code:
        raise RecordError("", "bản ghi không có mã thủ tục")
    if not name:
        raise RecordError(code, "bản ghi không có tên thủ tục")
    record = ProcedureRecord(
        code=code,
        name=name,
        source="dichvucong.gov.vn",
        decision_number=clean(raw.get("so_quyet_dinh")),
        levels=parse_levels(raw.get("cap_thuc_hien", "")),
        domain=clean(raw.get("linh_vuc")),
        procedure_type=clean(raw.get("loai_thu_tuc")),
        target_groups=split_list(raw.get("doi_tuong_thuc_hien", "")),
        agencies={
            "competent": split_agencies(raw.get("co_quan_co_tham_quyen", "")),
            "implementing": split_agencies(raw.get("co_quan_thuc_hien", "")),
            "coordinating": split_agencies(raw.get("co_quan_phoi_hop", "")),
            "authorized": split_agencies(raw.get("co_quan_duoc_uy_quyen", "")),
        },
        issuing_agency=clean((listing or {}).get("co_quan_ban_hanh")),
        steps_text=clean(raw.get("trinh_tu_thuc_hien")),
        steps=parse_steps(raw.get("trinh_tu_thuc_hien", "")),
        requirements=clean(raw.get("yeu_cau_dieu_kien")),
        reception_address=clean(raw.get("dia_chi_tiep_nhan")),
        related_procedures=clean(raw.get("thu_tuc_lien_quan")),
        raw=raw,
    )
    for source_field, target in (
        ("cach_thuc_thuc_hien", "channels"),
        ("thanh_phan_ho_so", "components"),
        ("can_cu_phap_ly", "legal_basis"),
        ("ket_qua_xu_ly", "results"),
    ):
        value = clean(raw.get(source_field))
        if value:
            record.unparsed[target] = value
    return record


def parse_bqp_record(raw: dict) -> ProcedureRecord:
    """One record of the Ministry of Defence export."""
    meta = raw.get("metadata") or {}
    content = raw.get("content") or {}
    code = clean(meta.get("mã_thủ_tục") or raw.get("thu_tuc_id"))
    name = clean(meta.get("tên_thủ_tục"))
    if not code:
        raise RecordError("", "bản ghi không có mã thủ tục")
    if not name:
        raise RecordError(code, "bản ghi không có tên thủ tục")
    decision = re.sub(r"^Quyết định số\s*", "", clean(meta.get("số_quyết_định")))
    return ProcedureRecord(
        code=code,
        name=name,
        source="Bộ Quốc phòng (ChiTietTTHC)",
        decision_number=re.sub(r"\s+/", "/", decision),
        levels=parse_levels(meta.get("cấp_thực_hiện", "")),
        domain=clean(meta.get("lĩnh_vực")),
        procedure_type=clean(meta.get("loại_thủ_tục")),
        target_groups=split_list(content.get("đối_tượng_thực_hiện", "")),
        agencies={
            "competent": split_agencies(content.get("cơ_quan_có_thẩm_quyền", "")),
            "implementing": split_agencies(content.get("cơ_quan_thực_hiện", "")),
            "coordinating": split_agencies(content.get("cơ_quan_phối_hợp", "")),
            "authorized": split_agencies(content.get("cơ_quan_được_ủy_quyền", "")),
        },
        issuing_agency="Bộ Quốc phòng",
        steps_text=clean(content.get("trình_tự_thực_hiện")),
        steps=parse_steps(content.get("trình_tự_thực_hiện", "")),
        requirements=clean(content.get("yêu_cầu_điều_kiện_thực_hiện")),
        reception_address=clean(content.get("địa_chỉ_tiếp_nhận_hs")),
        raw=raw,
    )


def read_source(path: Path) -> Iterator[ProcedureRecord | RecordError]:
    """Every record of one source file, parsed; a malformed one is yielded as a RecordError."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    listing: dict[str, dict] = {}
    sibling = path.parent / "chatbot_tthc_ministry_tthc_lists.csv"
    if "bqp" not in path.name and sibling.exists():
        listing = load_listing(sibling)
    with opener(path, "rt", encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RecordError(f"{path.name}:{line_no}", f"JSON không hợp lệ: {exc.msg}")
                continue
            if not isinstance(raw, dict):
                yield RecordError(f"{path.name}:{line_no}", "bản ghi không phải đối tượng JSON")
                continue
            try:
                if "metadata" in raw:
                    yield parse_bqp_record(raw)
                else:
                    yield parse_portal_record(raw, listing.get(clean(raw.get("ma_thu_tuc"))))
            except RecordError as exc:
                yield exc
