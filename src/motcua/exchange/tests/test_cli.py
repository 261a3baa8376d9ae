"""`motcua exchange …` commands: register-organ, inspect, send/inbox/status against a live hub."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.exchange.models import HubCredential, HubOrgan, IncomingDocument, OutgoingDocument
from motcua.exchange.tests import factories as f


def run(*args) -> str:
    out = StringIO()
    call_command("exchange", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_register_organ_prints_a_key_once_and_updates(tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_bytes(f.keys(f.ORGAN_A)[1])
    out = run("register-organ", f.ORGAN_A, "--name", "UBND tỉnh A", "--cert", str(cert))
    key = out.strip().rsplit(" ", 1)[-1]
    assert key.startswith("mcx_") and HubCredential.objects.get().key_hash == HubCredential.hash_key(key)
    run("register-organ", f.ORGAN_A, "--no-key", "--callback-url", "https://a.example.gov.vn/nhan/")
    organ = HubOrgan.objects.get()
    assert organ.name == "UBND tỉnh A" and organ.callback_url and organ.certificates.count() == 1
    (tmp_path / "bad.pem").write_text("không phải PEM")
    with pytest.raises(CommandError, match="PEM"):
        run("register-organ", f.ORGAN_B, "--cert", str(tmp_path / "bad.pem"))


@pytest.mark.django_db
def test_inspect_prints_the_header_and_the_signature_result(tmp_path):
    path = tmp_path / "goi.xml"
    path.write_bytes(f.package(f.ORGAN_A, [f.ORGAN_B], document_id="I,1", subject="Về việc kiểm tra"))
    cert = tmp_path / "a.pem"
    cert.write_bytes(f.keys(f.ORGAN_A)[1])
    info = json.loads(run("inspect", str(path), "--json", "--cert", str(cert)))
    assert info["from"]["organ_id"] == f.ORGAN_A and [o["organ_id"] for o in info["to"]] == [f.ORGAN_B]
    assert (info["document_id"], info["subject"], info["business_type"]) == ("I,1", "Về việc kiểm tra", 0)
    assert info["code_number"] and info["code_notation"] == "UBND-VP"
    assert info["signature"]["valid"] is True
    # On the hub, the sender's registered certificate is used; another organ's key does not verify.
    path.write_bytes(f.package(f.ORGAN_A, [f.ORGAN_B], signer=f.ORGAN_C))
    f.register(f.ORGAN_A)
    assert json.loads(run("inspect", str(path), "--json"))["signature"]["valid"] is False
    path.write_bytes(b"<khong-phai-edxml/>")
    with pytest.raises(CommandError, match="không hợp lệ"):
        run("inspect", str(path))


@pytest.mark.django_db(transaction=True)
def test_send_inbox_and_status_against_a_live_hub(live_server, settings, tmp_path):
    a, b = f.register(f.ORGAN_A), f.register(f.ORGAN_B)
    for organ in (a, b):
        (tmp_path / f"{organ.organ_id}-key.pem").write_bytes(f.keys(organ.organ_id)[0])
        (tmp_path / f"{organ.organ_id}-cert.pem").write_bytes(f.keys(organ.organ_id)[1])

    def act_as(organ):
        settings.MOTCUA_EXCHANGE_HUB_URL = live_server.url + "/truc-lien-thong"
        settings.MOTCUA_EXCHANGE_ORGAN_CODE, settings.MOTCUA_EXCHANGE_TOKEN = organ.organ_id, organ.key
        settings.MOTCUA_EXCHANGE_KEY = str(tmp_path / f"{organ.organ_id}-key.pem")
        settings.MOTCUA_EXCHANGE_CERT = str(tmp_path / f"{organ.organ_id}-cert.pem")

    pdf = tmp_path / "cong-van.pdf"
    pdf.write_bytes(b"%PDF-1.4 cong van")
    act_as(a)
    out = run("send", str(pdf), "--to", b.organ_id, "--subject", "Về việc phối hợp", "--document-id",
              f"{a.organ_id},2026/11/26,15/UBND-VP", "--code-number", "15", "--code-notation", "UBND-VP")
    assert "Đã gửi" in out and OutgoingDocument.objects.get().subject == "Về việc phối hợp"
    assert "đã có trên trục" in run("send", str(pdf), "--to", b.organ_id, "--subject", "Về việc phối hợp",
                                    "--document-id", f"{a.organ_id},2026/11/26,15/UBND-VP",
                                    "--code-number", "15", "--code-notation", "UBND-VP")
    act_as(b)
    assert "1 văn bản đang chờ" in run("inbox")
    assert "Đã nhận 1 văn bản mới" in run("inbox", "--sync")
    assert IncomingDocument.objects.get().subject == "Về việc phối hợp"
    act_as(a)
    trail = json.loads(run("status", f"{a.organ_id},2026/11/26,15/UBND-VP", "--json"))
    assert [s["code"] for s in trail["recipients"][0]["statuses"]] == ["01"]
    with pytest.raises(CommandError, match="chưa đăng ký"):
        run("send", str(pdf), "--to", "000.00.00.G99", "--subject", "x")
