"""Fixtures of the account tests: a real SMTP server on 127.0.0.1, citizens, and page helpers."""

import email
import re
import socket
from email import policy
from html import unescape

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from motcua.core.outbox import deliver_due

PASSWORD = "Hoa-sen-nở-2025"
BLOCK_TAGS = re.compile(r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|br|section|form|label|button|legend|fieldset|option|"
                        r"select|title|head)\b[^>]*>")


class Inbox:
    """An aiosmtpd handler keeping every message it is given, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port, with Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.MOTCUA_SITE_URL = "http://cong.example.vn"
    try:
        yield inbox
    finally:
        controller.stop()


def run_worker() -> dict:
    """What `motcua worker` does with the outbox: deliver every event that is due."""
    return deliver_due()


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message) -> str:
    """The path of the first link to this site in an e-mail."""
    match = re.search(r"http://cong\.example\.vn(/\S+)", body(message))
    assert match, body(message)
    return match.group(1)


def text(response) -> str:
    """The page's visible text, tags removed and whitespace collapsed, as a reader sees it."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", "", BLOCK_TAGS.sub(" ", html))
    return re.sub(r"\s+", " ", unescape(html)).strip()


def field_error(response, field: str) -> str:
    """The error printed under a field (the element Django's aria-describedby points to)."""
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</p>', response.content.decode(), flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def registration_data(**overrides) -> dict:
    data = {
        "kind": "person", "full_name": "Nguyễn Thị Hoa", "email": "hoa.nguyen@example.vn",
        "phone": "+84 912 345 678", "password": PASSWORD, "password_confirm": PASSWORD,
        "date_of_birth": "1990-08-25", "id_number": "001190012345", "address_line": "12 phố Hàng Bài",
        "province": "01", "unit": "00004",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def make_citizen(db):
    """A registered citizen (through the service), verified unless said otherwise."""
    from motcua.citizens import services
    from motcua.citizens.models import CitizenProfile

    def make(email="an.tran@example.vn", *, verified=True, full_name="Trần Văn An", kind="person", **profile):
        values = {"full_name": full_name, "phone": "0987654321", **profile}
        user = services.register(email=email, password=PASSWORD, kind=kind, profile=values)
        if verified:
            services.mark_email_verified(CitizenProfile.objects.get(user=user))
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def login(client):
    def sign_in(user_or_email, password=PASSWORD, target=None, **extra):
        address = getattr(user_or_email, "email", user_or_email)
        return (target or client).post("/tai-khoan/dang-nhap/", {"email": address, "password": password}, **extra)

    return sign_in


def session_cookie(client) -> str:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else ""
