"""How a citizen proves who they are, kept apart from what they may do.

Every way of logging in ends the same way: `sign_in(request, user, method)` opens a Django session
for an `auth.User` that has a `CitizenProfile`. Dossier and e-form code reads `request.user` and
the profile (citizens.selectors) and never asks how the person logged in.

Two kinds of provider:

- `LocalPasswordProvider`: e-mail and password, checked against Django's password hashes, with the
  login rate limit of citizens.throttle.
- An external OpenID Connect provider (the national VNeID platform, a bank's eKYC, ...): its
  client library runs the authorization-code flow and checks the ID token, then hands the
  provider's name, the token's `sub` and its claims to `complete_external_login()`, which links
  or creates the account through `services.login_external` and signs the person in. No OIDC
  client is bundled: docs/citizens.md lists the steps to plug one in (mozilla-django-oidc or
  Authlib) without touching the dossier code.
"""

from typing import Protocol

from django.contrib.auth import authenticate, login
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from motcua.citizens import services, throttle
from motcua.citizens.choices import AttemptOutcome
from motcua.citizens.selectors import LOGIN_METHOD_SESSION_KEY
from motcua.citizens.validators import normalise_email

PASSWORD = "password"
# The backend that loads the session's user on each request; it must stay in AUTHENTICATION_BACKENDS
# (it is Django's default). External logins use it too: it loads any active user by id.
_BACKEND = "django.contrib.auth.backends.ModelBackend"


class IdentityProvider(Protocol):
    """A way to log in. `key` is stored in the session (selectors.login_method) and on ExternalIdentity."""

    key: str
    label: str


class LocalPasswordProvider:
    """E-mail + password, for accounts registered on this portal."""

    key = PASSWORD
    label = _("E-mail và mật khẩu")

    def authenticate(self, request, email: str, password: str):
        """The citizen for these credentials, or None. Raises throttle.LoginThrottledError when limited.

        Only citizens' accounts log in here (officials use the back office's login); an unknown
        address costs the same password hashing as a known one, so timing does not tell them apart.
        """
        email = normalise_email(email)
        attempt = throttle.begin(email, throttle.client_ip(request))
        if wait := throttle.wait_time(attempt):
            throttle.finish(attempt, AttemptOutcome.BLOCKED)
            raise throttle.LoginThrottledError(wait)
        user = services.citizen_by_email(email)
        if user is None:
            make_password(password)
            throttle.finish(attempt, AttemptOutcome.FAILURE)
            return None
        authenticated = authenticate(request, username=user.get_username(), password=password)
        throttle.finish(attempt, AttemptOutcome.SUCCESS if authenticated else AttemptOutcome.FAILURE)
        return authenticated


def sign_in(request, user, method: str) -> None:
    """Open the session: Django's login() gives it a new key (no session fixation) and binds it to
    the password hash, so changing the password ends every other session of the account."""
    login(request, user, backend=getattr(user, "backend", None) or _BACKEND)
    request.session[LOGIN_METHOD_SESSION_KEY] = method


def complete_external_login(request, provider: str, subject: str, claims: dict):
    """What an OIDC callback calls after validating the ID token: link or create the account, sign in.

    Raises services.ExternalLoginError (its `message` is for the person) for a disabled account.
    """
    user = services.login_external(provider, subject, claims)
    sign_in(request, user, provider)
    return user


local_password = LocalPasswordProvider()
