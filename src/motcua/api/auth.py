"""Who is calling the officials' endpoints: an API key (systems, scripts) or a back-office session.

`AUTH` is the list given to ninja. ninja tries each in turn; the first that returns a user wins.

- `TokenAuth`: `Authorization: Bearer <key>` (accounts.ApiToken; `motcua token create USER`).
  A header that is present but wrong is refused at once, never retried as a session: a client
  that sends a key means that key.
- `SessionAuth`: the Django session of a signed-in official (the back office calls the API from
  htmx). A session is sent by the browser on its own, so unsafe methods need the CSRF token
  (`X-CSRFToken` header), as Django's forms do. It comes last and answers 401 when nobody is
  signed in, so every failure has the API's error body in Vietnamese instead of ninja's
  English "Unauthorized".
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from motcua.accounts.models import ApiToken
from motcua.api.errors import ApiError

HEADER_LOC = ["header", "Authorization"]


class NotAuthenticatedError(ApiError):
    status_code = 401
    error_type = "not_authenticated"

    def headers(self) -> dict[str, str]:
        # RFC 6750 §3: a 401 names the scheme, and says when the key itself was wrong.
        if self.error_type in ("invalid_token", "invalid_header"):
            return {"WWW-Authenticate": 'Bearer realm="motcua", error="invalid_token"'}
        return {"WWW-Authenticate": 'Bearer realm="motcua"'}


class CsrfError(ApiError):
    status_code = 403
    error_type = "csrf"


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _space, key = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise NotAuthenticatedError(
                HEADER_LOC, "Tiêu đề “Authorization” phải có dạng “Bearer <khóa API>”.", "invalid_header"
            )
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.authenticate(token)
        if user is None:
            raise NotAuthenticatedError(
                HEADER_LOC, "Khóa API không đúng, đã bị thu hồi hoặc tài khoản đã bị khóa.", "invalid_token"
            )
        # Code below the API (permissions, services) reads request.user as for a session.
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            raise NotAuthenticatedError(
                [], "Cần đăng nhập: gửi khóa API trong tiêu đề “Authorization: Bearer <khóa>” hoặc đăng nhập "
                    "trang một cửa.",
            )
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfError(
                ["header", "X-CSRFToken"],
                "Thiếu hoặc sai mã CSRF: gửi tiêu đề “X-CSRFToken” lấy từ cookie “csrftoken” của trang.",
            )
        return user

    def authenticate(self, request: HttpRequest, key):  # pragma: no cover - __call__ does the work
        return None


AUTH = [TokenAuth(), SessionAuth()]
