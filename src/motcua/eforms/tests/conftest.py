"""Fixtures of the e-form tests: the five real forms as the data migration published them."""

from pathlib import Path

import pytest

from motcua.eforms.selectors import eform_for_code
from motcua.eforms.services import load_form_file

FORMS_DIR = Path(__file__).resolve().parents[1] / "data" / "forms"

# Phường Ba Đình (Hà Nội) in the 2025 list; 00001 named Phường Phúc Xá until 30/6/2025 and no unit since.
BA_DINH = "00004"
HA_NOI = "01"
PHUC_XA_2004_ONLY = "00001"


def shipped_form(code: str):
    """The form the data migration published; loaded again from its file if a transactional test
    flushed the database before this one (pytest --reuse-db after a browser test)."""
    found = eform_for_code(code)
    if found is None:
        found = load_form_file(next(FORMS_DIR.glob(f"{code}-*.json")))
    return found


@pytest.fixture
def khai_sinh(db):
    return shipped_form("1.001193")


@pytest.fixture
def ket_hon(db):
    return shipped_form("1.000894")


@pytest.fixture
def thuong_tru(db):
    return shipped_form("1.004222")


@pytest.fixture
def ly_lich(db):
    return shipped_form("3.000333")


@pytest.fixture
def ho_kinh_doanh(db):
    return shipped_form("1.001612")


def khai_sinh_answers(**changes) -> dict:
    """A complete, valid birth registration as a browser posts it (strings, dd/mm/yyyy dates)."""
    answers = {
        "requester.full_name": "Nguyễn Văn An",
        "requester.id_number": "001090012345",
        "requester.relationship": "cha",
        "requester.residence": "Số 12 phố Đội Cấn",
        "requester.residence_unit": BA_DINH,
        "requester.phone": "0912 345 678",
        "requester.email": "an.nguyen@example.vn",
        "child.full_name": "Nguyễn Minh Khang",
        "child.date_of_birth": "05/03/2025",
        "child.sex": "Nam",
        "child.ethnicity": "Kinh",
        "child.nationality": "Việt Nam",
        "child.birth_place": "Bệnh viện Phụ sản Hà Nội",
        "child.birth_unit": BA_DINH,
        "mother.full_name": "Trần Thị Bình",
        "mother.birth_year": "1994",
        "mother.ethnicity": "Kinh",
        "mother.nationality": "Việt Nam",
        "copies": "2",
        "declaration": "on",
    }
    answers.update(changes)
    return {key: value for key, value in answers.items() if value is not None}
