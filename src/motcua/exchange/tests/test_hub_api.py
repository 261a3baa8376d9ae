"""The hub's HTTP API: send, inbox, fetch, ack, statuses; exactly-once storage and every refusal."""

import json

import pytest
from django.test import override_settings

from motcua.exchange import hublog
from motcua.exchange.models import Delivery, HubDocument, LogEntry, RefusedMessage, StatusEvent
from motcua.exchange.tests import factories as f

pytestmark = pytest.mark.django_db

API = "/truc-lien-thong/api/v1/"


@pytest.fixture
def organs():
    return {code: f.register(code) for code in (f.ORGAN_A, f.ORGAN_B, f.ORGAN_C)}


def send(client, organ, data):
    return client.post(API + "documents", data=data, content_type="application/xml", **organ.auth)


def error(response) -> dict:
    return response.json()["detail"][0]


def nothing_stored():
    return not HubDocument.objects.exists() and not Delivery.objects.exists() and not LogEntry.objects.exists()


def test_send_routes_a_copy_to_each_recipient_and_logs_it(client, organs):
    a, b, c = organs[f.ORGAN_A], organs[f.ORGAN_B], organs[f.ORGAN_C]
    data = f.package(a.organ_id, [b.organ_id, c.organ_id], document_id="A,2026/11/26,15/UBND-VP")
    response = send(client, a, data)
    assert response.status_code == 201, response.content
    assert response.json()["recipients"] == [b.organ_id, c.organ_id]
    for organ in (b, c):
        items = client.get(API + "inbox", **organ.auth).json()["items"]
        assert [i["document_id"] for i in items] == ["A,2026/11/26,15/UBND-VP"]
        assert items[0]["sender"] == a.organ_id
        fetched = client.get(API + f"inbox/{items[0]['id']}", **organ.auth)
        assert fetched.content == data
    # The sender's own inbox is empty, and another organ cannot fetch B's copy.
    assert client.get(API + "inbox", **a.auth).json()["items"] == []
    b_item = client.get(API + "inbox", **b.auth).json()["items"][0]
    assert client.get(API + f"inbox/{b_item['id']}", **c.auth).status_code == 404
    assert LogEntry.objects.filter(kind="document").count() == 1


def test_same_document_sent_twice_is_stored_and_routed_once(client, organs):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    data = f.package(a.organ_id, [b.organ_id])
    assert send(client, a, data).status_code == 201
    again = send(client, a, data)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert HubDocument.objects.count() == 1 and Delivery.objects.count() == 1
    assert len(client.get(API + "inbox", **b.auth).json()["items"]) == 1


def test_same_document_id_with_other_content_is_a_conflict(client, organs):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    assert send(client, a, f.package(a.organ_id, [b.organ_id], document_id="X,1")).status_code == 201
    response = send(client, a, f.package(a.organ_id, [b.organ_id], document_id="X,1", subject="Khác"))
    assert response.status_code == 409
    assert error(response)["loc"] == ["body", "DocumentId"] and "nội dung khác" in error(response)["msg"]
    assert HubDocument.objects.count() == 1
    assert RefusedMessage.objects.get().reason == "conflict"


def test_ack_sets_arrived_for_the_sender_and_empties_the_inbox(client, organs):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    send(client, a, f.package(a.organ_id, [b.organ_id], document_id="D,1"))
    item = client.get(API + "inbox", **b.auth).json()["items"][0]
    for _ in range(2):  # idempotent
        response = client.post(API + f"inbox/{item['id']}/ack", **b.auth)
        assert response.status_code == 200
    assert client.get(API + "inbox", **b.auth).json()["items"] == []
    feed = client.get(API + "statuses", **a.auth).json()["items"]
    assert [(s["code"], s["recipient"], s["document_id"]) for s in feed] == [("01", b.organ_id, "D,1")]
    assert StatusEvent.objects.count() == 1
    trail = client.get(API + "documents/status", {"document_id": "D,1"}, **a.auth).json()
    assert trail["recipients"][0]["recipient"] == b.organ_id
    assert [s["code"] for s in trail["recipients"][0]["statuses"]] == ["01"]
    # Acknowledging the feed empties it.
    client.post(API + "statuses/ack", data=json.dumps({"ids": [feed[0]["id"]]}), content_type="application/json",
                **a.auth)
    assert client.get(API + "statuses", **a.auth).json()["items"] == []


def test_status_messages_flow_back_with_their_trail(client, organs):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    send(client, a, f.package(a.organ_id, [b.organ_id], document_id="S,1"))
    item = client.get(API + "inbox", **b.auth).json()["items"][0]
    client.post(API + "inbox/ack", data=json.dumps({"ids": [item["id"]]}), content_type="application/json", **b.auth)
    for code in ("03", "04", "05", "06"):
        message = f.status(b.organ_id, a.organ_id, "S,1", code, f"Bước {code}")
        response = client.post(API + "statuses", data=message, content_type="application/xml", **b.auth)
        assert response.status_code == 201, response.content
        # Resending the same signed message is one event.
        again = client.post(API + "statuses", data=message, content_type="application/xml", **b.auth)
        assert again.status_code == 200 and again.json()["duplicate"] is True
    trail = client.get(API + "documents/status", {"document_id": "S,1"}, **a.auth).json()["recipients"][0]
    assert [s["code"] for s in trail["statuses"]] == ["01", "03", "04", "05", "06"]
    assert trail["statuses"][1]["reported_by"] == b.organ_id
    # 13: the sender asks to retrieve; it goes to the recipient's feed, 15 comes back.
    ask = f.status(a.organ_id, b.organ_id, "S,1", "13", "Gửi nhầm")
    assert client.post(API + "statuses", data=ask, content_type="application/xml", **a.auth).status_code == 201
    assert [s["code"] for s in client.get(API + "statuses", **b.auth).json()["items"]] == ["13"]
    done = f.status(b.organ_id, a.organ_id, "S,1", "15", "Đã trả lại")
    assert client.post(API + "statuses", data=done, content_type="application/xml", **b.auth).status_code == 201
    assert [s["code"] for s in client.get(API + "statuses", **a.auth).json()["items"]][-1] == "15"
    checked, problems = hublog.verify()
    assert problems == [] and checked == 1 + 1 + 4 + 2


def test_status_for_an_unknown_document_is_refused(client, organs):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    send(client, a, f.package(a.organ_id, [b.organ_id], document_id="R,1"))
    response = client.post(API + "statuses", data=f.status(b.organ_id, a.organ_id, "KHONG-CO", "03", "x"),
                           content_type="application/xml", **b.auth)
    assert response.status_code == 404 and "KHONG-CO" in error(response)["msg"]
    assert StatusEvent.objects.count() == 0
    ok = client.post(API + "statuses", data=f.status(b.organ_id, a.organ_id, "R,1", "02", "Sai thẩm quyền"),
                     content_type="application/xml", **b.auth)
    assert ok.status_code == 201


def test_revoke_is_linked_to_the_document_it_concerns(client, organs):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    send(client, a, f.package(a.organ_id, [b.organ_id], document_id="G,1"))
    assert send(client, a, f.package(a.organ_id, [b.organ_id], document_id="G,2", business_type=1,
                                     business_reason="Ban hành nhầm", related_document_id="G,1")).status_code == 201
    revoke = HubDocument.objects.get(document_id="G,2")
    assert revoke.related.document_id == "G,1" and revoke.business_type == 1
    items = client.get(API + "inbox", **b.auth).json()["items"]
    assert items[-1]["business_type"] == 1 and items[-1]["related_document_id"] == "G,1"


# ---- bad input: each refused with a clear error, logged, nothing stored or routed ---------------


def _signed_text(organs) -> str:
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    return f.package(a.organ_id, [b.organ_id], document_id="BAD,1").decode()


def test_external_entity_is_refused(client, organs):
    text = _signed_text(organs)
    start = text.index("?>") + 2 if text.startswith("<?xml") else 0
    evil = (text[:start] + '<!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + text[start:]).replace(
        "Về việc thử nghiệm trục", "&xxe;")
    response = send(client, organs[f.ORGAN_A], evil.encode())
    assert response.status_code == 422
    assert "root:" not in response.content.decode()
    assert RefusedMessage.objects.filter(reason="invalid_xml").count() == 1
    assert nothing_stored()


def test_entity_expansion_bomb_is_refused(client, organs):
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "&a{i-1};&a{i-1};&a{i-1};&a{i-1};&a{i-1};&a{i-1};'
                                            f'&a{i-1};&a{i-1};&a{i-1};&a{i-1};">' for i in range(1, 10))
    text = _signed_text(organs)
    start = text.index("?>") + 2 if text.startswith("<?xml") else 0
    bomb = (text[:start] + f"<!DOCTYPE e [{entities}]>" + text[start:]).replace("Về việc thử nghiệm trục", "&a9;")
    response = send(client, organs[f.ORGAN_A], bomb.encode())
    assert response.status_code == 422
    assert RefusedMessage.objects.filter(reason="invalid_xml").exists()
    assert nothing_stored()


def test_oversized_package_is_refused(client, organs):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    data = f.package(a.organ_id, [b.organ_id], attachment=b"x" * 50_000)
    with override_settings(MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES=20_000):
        response = send(client, a, data)
    assert response.status_code == 413
    assert "vượt giới hạn" in error(response)["msg"]
    assert RefusedMessage.objects.filter(reason="too_large").count() == 1
    assert nothing_stored()


def test_changed_content_breaks_the_signature(client, organs):
    tampered = _signed_text(organs).replace("Về việc thử nghiệm trục", "Về việc khác").encode()
    response = send(client, organs[f.ORGAN_A], tampered)
    assert response.status_code == 422 and error(response)["type"] == "bad_signature"
    assert "Chữ ký số" in error(response)["msg"]
    assert RefusedMessage.objects.filter(reason="bad_signature").count() == 1
    assert nothing_stored()


def test_missing_signature_is_refused(client, organs):
    from lxml import etree

    root = etree.fromstring(_signed_text(organs).encode())
    for sig in root.iter("{http://www.w3.org/2000/09/xmldsig#}Signature"):
        sig.getparent().remove(sig)
    response = send(client, organs[f.ORGAN_A], etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    assert response.status_code == 422
    assert RefusedMessage.objects.exists() and nothing_stored()


def test_signed_by_another_organs_key_is_refused(client, organs):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    data = f.package(a.organ_id, [b.organ_id], signer=f.ORGAN_C)
    response = send(client, a, data)
    assert response.status_code == 422 and error(response)["type"] == "bad_signature"
    assert nothing_stored()


def test_signature_wrapping_is_refused(client, organs):
    """The original signed envelope is tucked away in a wrapper element and a forged header (To: C)
    stands where a reader looks, next to the original Signature: refused, nothing routed to C."""
    import copy

    from lxml import etree

    ns = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}
    a, b, c = organs[f.ORGAN_A], organs[f.ORGAN_B], organs[f.ORGAN_C]
    root = etree.fromstring(f.package(a.organ_id, [b.organ_id], document_id="W,1"))
    original = copy.deepcopy(root.find("e:edXMLEnvelope", ns))
    for sig in original.iter("{http://www.w3.org/2000/09/xmldsig#}Signature"):
        sig.getparent().remove(sig)
    root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:To/e:OrganId", ns).text = c.organ_id
    etree.SubElement(root, "{http://www.mic.gov.vn/TBT/QCVN_102_2016}Wrapper").append(original)
    response = send(client, a, etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    assert response.status_code == 422, response.content
    assert error(response)["type"] in {"bad_signature", "invalid_xml"}
    assert RefusedMessage.objects.exists() and nothing_stored()


def test_unknown_recipient_is_refused(client, organs):
    a = organs[f.ORGAN_A]
    response = send(client, a, f.package(a.organ_id, [f.ORGAN_B, "000.00.00.G99"]))
    assert response.status_code == 422
    assert error(response)["loc"] == ["body", "To/OrganId"] and "000.00.00.G99" in error(response)["msg"]
    assert RefusedMessage.objects.filter(reason="unknown_recipient").count() == 1
    assert nothing_stored()


def test_sender_posing_as_another_organ_is_refused(client, organs):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    # B's key, a package that says (and is validly signed as) From A.
    response = send(client, b, f.package(a.organ_id, [b.organ_id]))
    assert response.status_code == 403
    assert error(response)["loc"] == ["body", "From/OrganId"] and a.organ_id in error(response)["msg"]
    refusal = RefusedMessage.objects.get()
    assert refusal.reason == "sender_mismatch" and refusal.organ.organ_id == b.organ_id
    assert nothing_stored()


def test_missing_or_wrong_key_is_refused(client, organs):
    data = f.package(f.ORGAN_A, [f.ORGAN_B])
    assert client.post(API + "documents", data=data, content_type="application/xml").status_code == 401
    response = client.post(API + "documents", data=data, content_type="application/xml",
                           HTTP_AUTHORIZATION="Bearer mcx_sai")
    assert response.status_code == 401 and error(response)["loc"] == ["header", "Authorization"]
    assert nothing_stored()


def test_status_posing_as_another_organ_is_refused(client, organs):
    a, b, c = organs[f.ORGAN_A], organs[f.ORGAN_B], organs[f.ORGAN_C]
    send(client, a, f.package(a.organ_id, [b.organ_id], document_id="P,1"))
    response = client.post(API + "statuses", data=f.status(b.organ_id, a.organ_id, "P,1", "03", "x"),
                           content_type="application/xml", **c.auth)
    assert response.status_code == 403
    assert StatusEvent.objects.count() == 0


def test_hub_page_shows_volumes_per_organ(client, organs, django_user_model):
    a, b = organs[f.ORGAN_A], organs[f.ORGAN_B]
    send(client, a, f.package(a.organ_id, [b.organ_id]))
    send(client, b, f.package(a.organ_id, [b.organ_id]))  # refused: posing
    assert client.get("/truc-lien-thong/").status_code == 302  # login required
    staff = django_user_model.objects.create_user("vanhanh", password="x", is_staff=True)
    client.force_login(staff)
    page = client.get("/truc-lien-thong/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f.ORGAN_A in html and "Độ trễ p95" in html and "sender_mismatch" in html
