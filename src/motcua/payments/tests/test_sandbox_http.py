"""The sandbox bank's IPN over HTTP (MOTCUA_PAYMENT_SANDBOX_IPN_URL), against a real local HTTP server.

The server plays the merchant's endpoint: it records the form it receives and answers as told.
What is checked is the bank's side: a signed form POST, and a retry when it is not acknowledged.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
from django.db import transaction

from motcua.core import outbox
from motcua.core.models import OutboxEvent, OutboxStatus
from motcua.payments import sandbox

pytestmark = pytest.mark.django_db
REQUEST = {
    "vnp_TmnCode": "MOTCUA01", "vnp_Amount": "5000000", "vnp_CurrCode": "VND", "vnp_TxnRef": "MC261126ABCDEF0123",
    "vnp_OrderInfo": "Thanh toan phi le phi ho so 000.21.31.H53-261126-0001",
    "vnp_ReturnUrl": "http://testserver/thanh-toan/ket-qua/",
}


class Merchant:
    def __init__(self, answer: dict):
        self.answer = answer
        self.received: list[dict] = []
        merchant = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                merchant.received.append(dict(parse_qsl(self.rfile.read(length).decode())))
                body = json.dumps(merchant.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/thanh-toan/ipn/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def merchant(settings):
    server = Merchant({"RspCode": "00", "Message": "Đã ghi nhận thanh toán."})
    settings.MOTCUA_PAYMENT_SANDBOX_IPN_URL = server.url
    yield server
    server.close()


def _pay() -> dict:
    with transaction.atomic():
        return sandbox.bank_complete(REQUEST, pay=True)


def test_the_bank_posts_its_signed_ipn_to_the_merchant(merchant, settings):
    sent = _pay()
    assert outbox.deliver_due() == {"delivered": 1}
    [form] = merchant.received
    assert form == sent
    assert form["vnp_ResponseCode"] == "00" and form["vnp_Amount"] == "5000000"
    assert sandbox.signature_ok(form, settings.MOTCUA_PAYMENT_SANDBOX_SECRET)


def test_an_ipn_the_merchant_does_not_acknowledge_is_sent_again_later(merchant):
    merchant.answer = {"RspCode": "99", "Message": "Lỗi hệ thống"}
    _pay()
    outbox.deliver_due()
    event = OutboxEvent.objects.get(topic=sandbox.IPN_TOPIC)
    assert (event.status, event.attempts) == (OutboxStatus.PENDING, 1)
    assert "IpnNotAcknowledgedError" in event.last_error


def test_an_unreachable_merchant_gets_the_ipn_again_later(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.MOTCUA_PAYMENT_SANDBOX_IPN_URL = f"http://127.0.0.1:{port}/thanh-toan/ipn/"  # nobody listens
    _pay()
    outbox.deliver_due()
    event = OutboxEvent.objects.get(topic=sandbox.IPN_TOPIC)
    assert (event.status, event.attempts) == (OutboxStatus.PENDING, 1)
    assert "URLError" in event.last_error or "Connection" in event.last_error


def test_a_refusal_is_final_the_same_message_would_be_refused_again(merchant):
    merchant.answer = {"RspCode": "97", "Message": "Chữ ký không hợp lệ"}
    _pay()
    outbox.deliver_due()
    assert OutboxEvent.objects.get(topic=sandbox.IPN_TOPIC).status == OutboxStatus.DELIVERED
    assert len(merchant.received) == 1
