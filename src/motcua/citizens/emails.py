"""The e-mails of accounts, sent by the worker from outbox events (never inside a web request).

    account.verification_requested   the link that proves the address   payload: user_id, email, language
    account.password_reset_requested the link to choose a new password  payload: user_id, email, language

Links are made here, when the e-mail is sent, not when the event is written: the outbox table is
readable by operators, and a token stored there would be a working key to the account. A
handler that raises leaves the event for the outbox to retry with backoff; an event that no
longer applies (account gone, address changed, already verified) is done without sending.

Templates (plain text, Vietnamese, replaceable by a deployment's own templates directory):
citizens/email/<name>_subject.txt and citizens/email/<name>.txt.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from motcua.citizens import services
from motcua.citizens.models import CitizenProfile
from motcua.core.models import OutboxEvent
from motcua.core.outbox import handles

logger = logging.getLogger(__name__)
User = get_user_model()


@handles("account.")
def send_account_email(event: OutboxEvent) -> None:
    sender = SENDERS.get(event.topic)
    if sender is None:
        return  # another app's account.* event: not ours to send
    user = User.objects.filter(pk=event.payload.get("user_id")).first()
    if user is None or not user.is_active:
        return
    if (user.email or "").lower() != (event.payload.get("email") or "").lower():
        return  # the address changed since: the new one gets its own event
    profile = CitizenProfile.objects.filter(user=user).first()
    if profile is None:
        return
    language = event.payload.get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        sender(user, profile)


def _send(template: str, user, context: dict) -> None:
    context = {"site_url": settings.MOTCUA_SITE_URL, "user": user, **context}
    subject = " ".join(render_to_string(f"citizens/email/{template}_subject.txt", context).split())
    body = render_to_string(f"citizens/email/{template}.txt", context).strip() + "\n"
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()


def _send_verification(user, profile: CitizenProfile) -> None:
    if profile.email_verified:
        return
    path = reverse("citizens:verify_email", args=[services.verification_token(user)])
    _send("verify_email", user, {
        "name": profile.full_name, "link": settings.MOTCUA_SITE_URL + path,
        "hours": settings.MOTCUA_EMAIL_VERIFICATION_HOURS,
    })


def _send_password_reset(user, profile: CitizenProfile) -> None:
    # The token hashes the password, last login and address: it stops working once used.
    path = reverse("citizens:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })
    _send("password_reset", user, {
        "name": profile.full_name, "link": settings.MOTCUA_SITE_URL + path,
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    })


SENDERS = {
    "account.verification_requested": _send_verification,
    "account.password_reset_requested": _send_password_reset,
}
