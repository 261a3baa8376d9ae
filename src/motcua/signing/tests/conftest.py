"""Fixtures of the signing tests: a PKI folder and media folder per test, the commune's officials,
a received dossier with a result summary, and the development PKI."""

import pytest

from motcua.dossiers.tests.factories import Personas, receive

RESULT_SUMMARY = ("Đăng ký khai sinh cho trẻ Nguyễn Minh Khôi, sinh ngày 02/11/2026 tại Tây Ninh.\n"
                  "Cấp bản chính Giấy khai sinh và 01 bản sao trích lục.")


@pytest.fixture
def pki_dir(tmp_path, settings):
    settings.MOTCUA_PKI_DIR = str(tmp_path / "pki")
    return tmp_path / "pki"


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def people(db):
    return Personas()


@pytest.fixture
def dev_pki(pki_dir, people):
    from motcua.signing.pki import ensure_dev_pki

    return ensure_dev_pki()


@pytest.fixture
def dossier(people):
    dossier = receive(people)
    dossier.result_summary = RESULT_SUMMARY
    dossier.save(update_fields=["result_summary"])
    return dossier


@pytest.fixture
def signed(dossier, people, dev_pki, media):
    from motcua.signing.services import issue_signed_result

    return issue_signed_result(dossier, signer_user=people.approver)


@pytest.fixture
def signed_bytes(signed):
    with signed.file.open("rb") as handle:
        return handle.read()
