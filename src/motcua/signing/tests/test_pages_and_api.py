"""The public page /xac-thuc/ and POST /api/v1/verify, as a visitor and a client program see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.tests.factories import COMMUNE
from motcua.signing.tests.helpers import flip

PAGE = "/xac-thuc/"
API = "/api/v1/verify"


def _pdf(content: bytes, name: str = "ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_page_offers_an_accessible_upload_form(client, db):
    response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xác thực kết quả điện tử" in html
    assert '<label for="id_file">Tệp PDF cần kiểm tra</label>' in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert 'aria-describedby="tep-goi-y"' in html


def test_the_page_says_who_signed_a_valid_result(client, signed, signed_bytes):
    response = client.post(PAGE, {"file": _pdf(signed_bytes)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "✓ Hợp lệ" in html
    assert f"Hợp lệ — ký bởi UBND Xã An Thạnh huyện Bến Cầu ({COMMUNE}) lúc" in html
    assert "tệp không bị thay đổi" in html
    assert signed.dossier.code in html


def test_the_page_says_a_changed_file_is_invalid(client, signed_bytes):
    response = client.post(PAGE, {"file": _pdf(flip(signed_bytes, signed_bytes.index(b"WeasyPrint")))})
    html = response.content.decode()
    assert response.status_code == 200
    assert "✗ Không hợp lệ" in html
    assert "tệp đã bị thay đổi sau khi ký" in html


@pytest.mark.parametrize(("upload", "words"), [
    (None, "Hãy chọn tệp PDF cần kiểm tra."),
    (b"not a pdf at all", "Tệp không phải PDF"),
])
def test_the_page_names_the_problem_with_the_upload(client, db, upload, words):
    data = {} if upload is None else {"file": _pdf(upload, "anh.png")}
    response = client.post(PAGE, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert words in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html


def test_the_page_refuses_a_file_over_the_limit_without_keeping_it(client, db, settings):
    settings.MOTCUA_VERIFY_MAX_BYTES = 10_000
    response = client.post(PAGE, {"file": _pdf(b"%PDF-1.7\n" + b"0" * 50_000)})
    assert response.status_code == 422
    assert "Tệp quá lớn" in response.content.decode()


def test_the_page_is_csrf_protected(db, signed_bytes):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(PAGE, {"file": _pdf(signed_bytes)})
    assert response.status_code == 403


def test_the_api_returns_the_report(client, signed, signed_bytes):
    response = client.post(API, {"file": _pdf(signed_bytes)})
    body = response.json()
    assert response.status_code == 200
    assert body["verdict"] == "valid" and body["valid"] and body["intact"] and body["trusted"]
    assert body["signer_agency_name"] == "UBND Xã An Thạnh huyện Bến Cầu"
    assert body["organ_code"] == COMMUNE
    assert body["message"].startswith("Hợp lệ — ký bởi")
    assert body["known_result"]["dossier_code"] == signed.dossier.code
    assert body["sha256"] == signed.sha256
    assert [s["verdict"] for s in body["signatures"]] == ["valid"]
    assert body["signatures"][0]["development"] is True


def test_the_api_reports_a_changed_file(client, signed_bytes):
    response = client.post(API, {"file": _pdf(flip(signed_bytes, signed_bytes.index(b"WeasyPrint")))})
    body = response.json()
    assert response.status_code == 200
    assert body["verdict"] == "modified" and body["valid"] is False and body["intact"] is False
    assert "đã bị thay đổi" in body["message"]


@pytest.mark.parametrize(("data", "error_type", "words"), [
    ({}, "missing", "Thiếu tệp"),
    ({"file": b"GIF89a not a pdf"}, "not_pdf", "không phải PDF"),
    ({"file": b""}, "empty", "Tệp rỗng"),
    ({"file": b"%PDF-1.7\n" + b"0" * 50_000}, "too_large", "Tệp quá lớn"),
])
def test_the_api_answers_bad_input_with_422_in_vietnamese(client, db, settings, data, error_type, words):
    settings.MOTCUA_VERIFY_MAX_BYTES = 10_000
    payload = {k: _pdf(v) for k, v in data.items()}
    response = client.post(API, payload)
    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["loc"] == ["file", "file"]
    assert item["type"] == error_type
    assert words in item["msg"]


def test_the_api_documents_the_upload(client, db):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/verify"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
