"""Push delivery with retries, and the client side (ExchangeClient and this instance's records)
against a hub served over real HTTP."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from motcua.exchange import services
from motcua.exchange.client import (
    ExchangeClient,
    HubError,
    record_incoming,
    send_document,
    sync_inbox,
    sync_statuses,
)
from motcua.exchange.models import (
    Delivery,
    DeliveryState,
    HubOrgan,
    IncomingDocument,
    OutgoingDocument,
    ReceivedStatus,
    StatusEvent,
)
from motcua.exchange.tests import factories as f


class Receiver:
    """A callback endpoint that answers with a chosen status and remembers what it got."""

    def __init__(self):
        self.answer = 200
        self.received: list[tuple[dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.answer)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/nhan/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.mark.django_db
def test_push_delivers_and_counts_as_acknowledgement(receiver, settings):
    f.register(f.ORGAN_A)
    f.register(f.ORGAN_B, callback_url=receiver.url, callback_secret="bi-mat")
    a = HubOrgan.objects.get(organ_id=f.ORGAN_A)
    data = f.package(f.ORGAN_A, [f.ORGAN_B], document_id="PUSH,1")
    services.accept_package(a, data)
    assert services.push_due(threads=1) == (1, 0)
    headers, body = receiver.received[0]
    assert body == data and headers["Authorization"] == "Bearer bi-mat"
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.ACKNOWLEDGED and delivery.acked_at is not None
    assert StatusEvent.objects.get().code == "01"
    assert services.push_due(threads=1) == (0, 0)  # nothing pushed twice


@pytest.mark.django_db
def test_failed_push_backs_off_and_the_inbox_still_has_it(receiver, settings):
    settings.MOTCUA_EXCHANGE_RETRY_BASE_SECONDS = 60
    f.register(f.ORGAN_A)
    f.register(f.ORGAN_B, callback_url=receiver.url, callback_secret="bi-mat")
    a, b = HubOrgan.objects.get(organ_id=f.ORGAN_A), HubOrgan.objects.get(organ_id=f.ORGAN_B)
    services.accept_package(a, f.package(f.ORGAN_A, [f.ORGAN_B]))
    receiver.answer = 503
    assert services.push_due(threads=1) == (0, 1)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1 and "503" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert services.push_due(threads=1) == (0, 0)  # not due yet
    # Second failure waits twice as long.
    Delivery.objects.update(next_attempt_at=timezone.now())
    services.push_due(threads=1)
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at > timezone.now() + timedelta(seconds=110)
    assert [d.pk for d in services.inbox(b)] == [delivery.pk]
    services.acknowledge(b, [delivery.pk])
    Delivery.objects.update(next_attempt_at=None)
    assert services.push_due(threads=1) == (0, 0)


@pytest.mark.django_db
def test_record_incoming_is_once_per_document():
    data = f.package(f.ORGAN_A, [f.ORGAN_B], document_id="IN,1")
    assert record_incoming(data, trusted_cert_pems=[f.keys(f.ORGAN_A)[1]])[1] is True
    assert record_incoming(data)[1] is False
    assert IncomingDocument.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_client_round_trip_over_http(live_server, settings):
    hub_url = live_server.url + "/truc-lien-thong"
    a, b = f.register(f.ORGAN_A), f.register(f.ORGAN_B)
    ca = ExchangeClient(hub_url, a.organ_id, a.key, *f.keys(a.organ_id), retries=1)
    cb = ExchangeClient(hub_url, b.organ_id, b.key, *f.keys(b.organ_id), retries=1)
    data = f.package(a.organ_id, [b.organ_id], document_id="HTTP,1")
    outgoing, result = send_document(ca, data)
    assert result.recipients == [b.organ_id] and not result.duplicate
    assert send_document(ca, data)[1].duplicate is True
    assert sync_inbox(cb) == 1 and sync_inbox(cb) == 0
    incoming = IncomingDocument.objects.get()
    assert (incoming.sender_organ_id, incoming.document_id) == (a.organ_id, "HTTP,1")
    cb.send_status(f.status(b.organ_id, a.organ_id, "HTTP,1", "03", "Đã vào sổ văn bản đến"))
    assert sync_statuses(ca) == 2
    assert [s.code for s in outgoing.statuses.all()] == ["01", "03"]
    assert {s.organ_id for s in ReceivedStatus.objects.all()} == {b.organ_id}
    trail = ca.status("HTTP,1")["recipients"][0]
    assert [s["code"] for s in trail["statuses"]] == ["01", "03"]
    with pytest.raises(HubError) as refused:
        cb.send(f.package(a.organ_id, [b.organ_id]))
    assert refused.value.status == 403 and "không được gửi thay" in refused.value.message
    assert OutgoingDocument.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_push_to_a_client_instance_endpoint(live_server, settings):
    hub_url = live_server.url + "/truc-lien-thong"
    a = f.register(f.ORGAN_A)
    b = f.register(f.ORGAN_B, callback_url=live_server.url + "/truc-lien-thong/nhan/", callback_secret="bi-mat-b")
    settings.MOTCUA_EXCHANGE_CALLBACK_SECRET = "bi-mat-b"
    settings.MOTCUA_EXCHANGE_HUB_URL, settings.MOTCUA_EXCHANGE_ORGAN_CODE = hub_url, b.organ_id
    settings.MOTCUA_EXCHANGE_TOKEN = b.key
    services.accept_package(HubOrgan.objects.get(organ_id=a.organ_id),
                            f.package(a.organ_id, [b.organ_id], document_id="PUSH,2"))
    assert services.push_due(threads=1) == (1, 0)
    assert IncomingDocument.objects.get().document_id == "PUSH,2"
    # A push with the wrong secret is refused by the client endpoint.
    from django.test import Client

    response = Client().post("/truc-lien-thong/nhan/", data=b"<x/>", content_type="application/xml",
                             HTTP_AUTHORIZATION="Bearer sai")
    assert response.status_code == 401
