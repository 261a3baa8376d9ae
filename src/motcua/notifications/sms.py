"""Sending SMS: a small provider interface, and the console provider used by default.

A real provider (a telecom's brandname SMS API) implements `send()`; motcua picks it with
MOTCUA_SMS_PROVIDER. `ascii_only` says whether the provider needs text without diacritics: most
Vietnamese brandname SMS routes do (and a text with diacritics is sent as UCS-2, 70 characters a
segment instead of 160), so the message is folded before it is stored and sent.
"""

import sys
import unicodedata
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsProvider(Protocol):
    ascii_only: bool
    max_length: int

    def send(self, phone: str, text: str) -> None:
        """Send one message; raise on failure (the outbox retries)."""


class ConsoleSmsProvider:
    """Writes each SMS to the worker's standard output: development and demos, nothing leaves the machine."""

    ascii_only = True
    max_length = 160

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone: str, text: str) -> None:
        self.stream.write(f"--- SMS to {phone} ---\n{text}\n---\n")
        self.stream.flush()


def get_sms_provider() -> SmsProvider:
    return import_string(settings.MOTCUA_SMS_PROVIDER)()


_ASCII = str.maketrans({"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-",
                        "…": "...", "\u00a0": " "})


def strip_diacritics(text: str) -> str:
    """Plain ASCII, case kept: "Hồ sơ “đã được” tiếp nhận" → 'Ho so "da duoc" tiep nhan'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    # Whatever is still not ASCII (a symbol in a name) would make the route switch to UCS-2: drop it.
    return plain.encode("ascii", "ignore").decode("ascii")


def fit(text: str, provider: SmsProvider) -> str:
    """The text as the provider can carry it: folded if it must be, on one line, within its length."""
    text = " ".join(text.split())
    if getattr(provider, "ascii_only", False):
        text = strip_diacritics(text)
    limit = getattr(provider, "max_length", 0)
    if limit and len(text) > limit:
        # Cut at a word and say so; the templates are written to fit, this only guards long names.
        text = text[: limit - 3].rsplit(" ", 1)[0] + "..."
    return text
