import pytest


@pytest.fixture
def loaded(transactional_db):
    """After the transactional flush: units, agencies, the calendar, procedure 1.001193 and this
    app's seeded criteria (the flush removed the data migration's rows too)."""
    import gzip
    import importlib
    import json

    from django.apps import apps

    from motcua.catalog.importer import BUNDLED_SOURCES
    from motcua.catalog.parsing import load_listing, parse_portal_record
    from motcua.catalog.services import publish_record
    from motcua.units.loading import load_agencies, load_units
    from motcua.workdays.services import load_calendar

    load_units()
    load_agencies()
    load_calendar()
    listing = load_listing(BUNDLED_SOURCES[0].parent / "chatbot_tthc_ministry_tthc_lists.csv")
    with gzip.open(BUNDLED_SOURCES[0], "rt", encoding="utf-8") as handle:
        for line in handle:
            if '"ma_thu_tuc": "1.001193"' in line:
                raw = json.loads(line)
                publish_record(parse_portal_record(raw, listing[raw["ma_thu_tuc"]]))
    importlib.import_module("motcua.satisfaction.migrations.0003_legal_data_flags").seed(apps, None)
