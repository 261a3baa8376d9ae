"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), which keeps what it receives.

It speaks SMTP over a socket like any mail server: Django's SMTP backend connects, sends, and gets
the server's answers. `stop()` closes the port, so a send fails as it would with a mail server
down; `start()` opens the same port again.
"""

import email
import email.policy
import socket
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


class _Handler:
    def __init__(self, inbox: list[Received]):
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.inbox.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailServer:
    def __init__(self):
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.inbox: list[Received] = []
        self._controller: Controller | None = None

    def start(self) -> None:
        # decode_data=False and original_content: the bytes exactly as Django sent them.
        self._controller = Controller(_Handler(self.inbox), hostname=self.host, port=self.port, decode_data=False)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
