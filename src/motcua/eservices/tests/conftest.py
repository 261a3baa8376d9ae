"""Fixtures of the online-service tests: verified citizens of Xã Bến Cầu (2025), the commune's
officials, real files (PDF rendered by lib.pdf, images by Pillow) and a helper that files a birth
registration through the pages as a browser would."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from motcua.catalog.models import Procedure
from motcua.citizens.models import CitizenProfile
from motcua.dossiers.tests.factories import Personas
from motcua.eforms.tests.conftest import khai_sinh_answers, shipped_form
from motcua.eservices import selectors
from motcua.lib import pdf
from motcua.units.models import AdministrativeUnit

BIRTH = "1.001193"
# Xã Bến Cầu (Tây Ninh) in the 2025 list: formed from Thị trấn Bến Cầu, Tiên Thuận, Lợi Thuận and
# An Thạnh, whose People's Committee (000.21.31.H53) is where the test officials work.
BEN_CAU, TAY_NINH = "25681", "80"


def pdf_bytes(text: str = "Giấy chứng sinh") -> bytes:
    return pdf.render_pdf(f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{text}</title></head>'
                          f"<body><p>{text}</p></body></html>")


def image_bytes(fmt: str = "PNG", size=(320, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(out, fmt)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_citizen(email: str, *, phone: str = "0912345678", id_number: str = "", verified: bool = True,
                 full_name: str = "Nguyễn Văn An") -> User:
    user = User.objects.create_user(username=email, email=email, password="Hoa-sen-nở-2025", first_name=full_name)
    unit = AdministrativeUnit.objects.get(edition="2025", level="commune", code=BEN_CAU)
    CitizenProfile.objects.create(user=user, full_name=full_name, phone=phone, id_number=id_number, unit=unit,
                                  address_line="Ấp Thạnh Hiệp", email_verified_at=timezone.now() if verified else None)
    return user


def files_on_disk(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def people(db):
    return Personas()


@pytest.fixture
def birth(db):
    """(procedure, current version, e-form) of đăng ký khai sinh."""
    procedure = Procedure.objects.get(code=BIRTH)
    return procedure, procedure.current_version, shipped_form(BIRTH)


@pytest.fixture
def slot_keys(birth):
    """The upload fields of the birth registration by what they are."""
    _procedure, version, eform = birth
    slots = selectors.submission_slots(version, eform)

    def key(start: str, **kw) -> str:
        return next(s.key for s in slots if s.name.lstrip("- ").startswith(start)
                    and all(getattr(s, k) == v for k, v in kw.items()))

    return {"birth_certificate": key("Giấy chứng sinh"), "identity": key("Hộ chiếu/Thẻ căn cước"),
            "authorisation": key("Văn bản ủy quyền")}


@pytest.fixture
def owner(people):
    return make_citizen("an.nguyen@example.vn", id_number="072190001234")


@pytest.fixture
def other_citizen(people):
    return make_citizen("binh.tran@example.vn", phone="0987654321", full_name="Trần Thị Bình")


def form_token(client, code: str = BIRTH) -> str:
    page = client.get(reverse("eservices:submit", args=[code]))
    assert page.status_code == 200, page.content[:500]
    return re.search(rb'name="form_token" value="([^"]+)"', page.content).group(1).decode()


def three_files(keys: dict) -> dict:
    return {
        keys["birth_certificate"]: upload("giay-chung-sinh.pdf", pdf_bytes("Giấy chứng sinh"), "application/pdf"),
        keys["identity"]: upload("cccd.jpg", image_bytes("JPEG"), "image/jpeg"),
        keys["authorisation"]: upload("uy-quyen.png", image_bytes("PNG"), "image/png"),
    }


def submission_data(token: str, files: dict | None = None, **extra) -> dict:
    data = {f"tk-{k}": v for k, v in khai_sinh_answers().items()}
    data.update({"form_token": token, "action": "submit", "province": TAY_NINH, "unit": BEN_CAU,
                 "phone": "0912 345 678"})
    data.update(files or {})
    data.update(extra)
    return data


def submit(client, keys: dict, *, token: str | None = None, files: dict | None = None, **extra):
    token = token or form_token(client)
    return client.post(reverse("eservices:submit", args=[BIRTH]),
                       submission_data(token, three_files(keys) if files is None else files, **extra))
