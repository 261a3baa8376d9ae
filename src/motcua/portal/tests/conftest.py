"""Fixtures of the portal tests: the real catalogue (root conftest) and real records to amend."""

import gzip
import json
from dataclasses import replace

import pytest

KHAI_SINH = "1.001193"  # Thủ tục đăng ký khai sinh (Bộ Tư pháp, Hộ tịch, cấp Xã)


def real_record(code: str):
    """The procedure's record as the importer parses it from the bundled dichvucong.gov.vn crawl."""
    from motcua.catalog.importer import BUNDLED_SOURCES
    from motcua.catalog.parsing import load_listing, parse_portal_record

    listing = load_listing(BUNDLED_SOURCES[0].parent / "chatbot_tthc_ministry_tthc_lists.csv")
    with gzip.open(BUNDLED_SOURCES[0], "rt", encoding="utf-8") as handle:
        for line in handle:
            if f'"ma_thu_tuc": "{code}"' in line:
                raw = json.loads(line)
                return parse_portal_record(raw, listing.get(code))
    raise LookupError(code)


@pytest.fixture
def amended_khai_sinh(db):
    """Version 2 of 1.001193 whose dossier table the parser "could not read".

    The components are moved back to the raw text of the real record, as the importer keeps a
    table it cannot parse, so the page must show that text; version 1 stays readable as history.
    """
    from datetime import date

    from motcua.catalog.services import publish_record

    record = real_record(KHAI_SINH)
    raw_components = record.raw.get("thanh_phan_ho_so") or ""
    # Without its source record the amended record is hashed on its structure (services.content_hash),
    # as a version entered by hand is: the changed structure is what makes it a new version.
    amended = replace(
        record, components=[], unparsed={**record.unparsed, "components": raw_components}, raw={},
    )
    version, created = publish_record(amended, valid_from=date(2025, 7, 1))
    assert created and version.number == 2
    return version
