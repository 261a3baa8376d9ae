"""Login rate limiting: too many failures for one account, or from one address, refuse more attempts.

Rules (docs/citizens.md), with the numbers from settings:
  - per account (the e-mail typed): at most MOTCUA_LOGIN_MAX_FAILURES failures within
    MOTCUA_LOGIN_WINDOW_MINUTES, counted since the account's last successful login;
  - per client address: at most MOTCUA_LOGIN_MAX_FAILURES_PER_IP failures in the same window,
    not reset by a success (an attacker could otherwise reset it by logging into their own account).
    It is higher than the per-account limit because many people share one address: mobile networks
    put subscribers behind carrier NAT, and a one-stop-shop counter has one public address.

An attempt is written as a failure *before* the password is checked and only then counted, so
requests sent in parallel see each other: at most the limit of them get their password checked,
however many arrive at once. A refused attempt is marked "blocked" and does not count, so a
person who keeps trying does not push their own wait further.
"""

import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import ngettext

from motcua.citizens.choices import AttemptOutcome
from motcua.citizens.models import LoginAttempt

# Long enough to look into an incident afterwards, short enough not to hoard addresses.
RETENTION = timedelta(days=30)


class LoginThrottledError(Exception):
    """Too many recent failures; `wait` is how long until an attempt is allowed again."""

    def __init__(self, wait: timedelta):
        self.wait = wait
        self.minutes = max(1, math.ceil(wait.total_seconds() / 60))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return ngettext(
            "Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau %(minutes)d phút, hoặc dùng “Quên mật khẩu”.",
            "Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau %(minutes)d phút, hoặc dùng “Quên mật khẩu”.",
            self.minutes,
        ) % {"minutes": self.minutes}


def window() -> timedelta:
    return timedelta(minutes=settings.MOTCUA_LOGIN_WINDOW_MINUTES)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For behind MOTCUA_TRUSTED_PROXY_COUNT proxies.

    Each proxy appends the address it got the request from, so with N trusted proxies the client is
    the N-th entry from the right; entries further left were written by the client and are not
    believed (anyone can send a made-up X-Forwarded-For).
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    hops = settings.MOTCUA_TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if forwarded:
            candidate = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def begin(email: str, ip: str | None) -> LoginAttempt:
    """Write the attempt as a failure, before anything is checked (see the module's docstring)."""
    return LoginAttempt.objects.create(email=email, ip=ip, outcome=AttemptOutcome.FAILURE)


def wait_time(attempt: LoginAttempt) -> timedelta | None:
    """How long the attempt must wait, counting itself; None when it may go on."""
    now = timezone.now()
    since = now - window()
    waits = []
    if attempt.email:
        last_success = (LoginAttempt.objects.filter(email=attempt.email, outcome=AttemptOutcome.SUCCESS, at__gte=since)
                        .aggregate(last=Max("at"))["last"])
        failures = LoginAttempt.objects.filter(email=attempt.email, outcome=AttemptOutcome.FAILURE, at__gte=since)
        if last_success:
            failures = failures.filter(at__gt=last_success)
        waits.append(_wait(failures, attempt, settings.MOTCUA_LOGIN_MAX_FAILURES, now))
    if attempt.ip:
        failures = LoginAttempt.objects.filter(ip=attempt.ip, outcome=AttemptOutcome.FAILURE, at__gte=since)
        waits.append(_wait(failures, attempt, settings.MOTCUA_LOGIN_MAX_FAILURES_PER_IP, now))
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def _wait(failures, attempt: LoginAttempt, limit: int, now) -> timedelta | None:
    if failures.count() <= limit:
        return None
    # Allowed again once the limit-th newest earlier failure leaves the window.
    earlier = list(failures.exclude(pk=attempt.pk).order_by("-at").values_list("at", flat=True)[:limit])
    if len(earlier) < limit:  # the others are parallel attempts still in flight: wait a moment
        return timedelta(minutes=1)
    return max(earlier[-1] + window() - now, timedelta(seconds=1))


def finish(attempt: LoginAttempt, outcome: str) -> None:
    """Settle an attempt begun as a failure: succeeded, refused, or (unchanged) failed."""
    if outcome != AttemptOutcome.FAILURE:
        LoginAttempt.objects.filter(pk=attempt.pk).update(outcome=outcome)
    else:
        prune()


def record_success(email: str, ip: str | None = None) -> None:
    """A proof of the account's ownership other than the password (a completed password reset)."""
    LoginAttempt.objects.create(email=email, ip=ip, outcome=AttemptOutcome.SUCCESS)


def prune() -> int:
    """Forget attempts older than RETENTION (cheap: an indexed range delete)."""
    deleted, _by_model = LoginAttempt.objects.filter(at__lt=timezone.now() - RETENTION).delete()
    return deleted
