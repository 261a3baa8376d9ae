"""One error body for the whole API, with messages in Vietnamese.

Every error the API returns, whatever its status, has the shape ninja uses for validation errors:

    {"detail": [{"loc": ["query", "limit"], "msg": "Tham số “limit” ...", "type": "less_than_equal"}]}

`loc` says where the problem is (the source, `query` or `path`, then the parameter name, then the
position in a repeated parameter), `msg` is for people (Vietnamese, naming the parameter) and
`type` is for programs (pydantic's error type, or `not_found`, `invalid`). Keeping one shape lets
a client handle a 404 and a 422 with the same code.
"""

import functools

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from motcua.api.schemas import ErrorItem


class ApiError(Exception):
    """An error the API reports to the client in the shared error body."""

    status_code = 400
    error_type = "invalid"

    def __init__(self, loc: list, msg: str, error_type: str | None = None):
        self.loc = list(loc)
        self.msg = msg
        if error_type:
            self.error_type = error_type
        super().__init__(msg)

    def body(self) -> dict:
        return {"detail": [{"loc": self.loc, "msg": self.msg, "type": self.error_type}]}

    def headers(self) -> dict[str, str]:
        return {}


class NotFoundError(ApiError):
    status_code = 404
    error_type = "not_found"


class BadParameterError(ApiError):
    """A parameter that has the right type but a value we cannot use (unknown agency, bad cursor)."""

    status_code = 422
    error_type = "value_error"

    def __init__(self, name: str, msg: str, source: str = "query", error_type: str | None = None):
        super().__init__([source, name], msg, error_type)


def error_body(loc: list, msg: str, error_type: str) -> dict:
    return {"detail": [ErrorItem(loc=loc, msg=msg, type=error_type).model_dump()]}


def _parameter_name(loc) -> str:
    """The parameter a pydantic location points at: ("query", "level", 1) → "level"."""
    names = [str(part) for part in loc[1:] if isinstance(part, str)] if len(loc) > 1 else []
    return names[0] if names else (str(loc[-1]) if loc else "")


def _expected(ctx: dict) -> str:
    # pydantic formats the allowed values as "'a', 'b' or 'c'"; keep the values, translate the "or".
    return str(ctx.get("expected", "")).replace(" or ", " hoặc ")


# Vietnamese text for each pydantic error type a query or path parameter can raise. The format
# fields are the parameter name and pydantic's error context.
_MESSAGES = {
    "missing": "Thiếu tham số bắt buộc “{name}”.",
    "int_parsing": "Tham số “{name}” phải là số nguyên.",
    "int_type": "Tham số “{name}” phải là số nguyên.",
    "int_from_float": "Tham số “{name}” phải là số nguyên.",
    "float_parsing": "Tham số “{name}” phải là số.",
    "greater_than_equal": "Tham số “{name}” phải lớn hơn hoặc bằng {ge}.",
    "greater_than": "Tham số “{name}” phải lớn hơn {gt}.",
    "less_than_equal": "Tham số “{name}” phải nhỏ hơn hoặc bằng {le}.",
    "less_than": "Tham số “{name}” phải nhỏ hơn {lt}.",
    "literal_error": "Tham số “{name}” phải là một trong các giá trị: {expected}.",
    "enum": "Tham số “{name}” phải là một trong các giá trị: {expected}.",
    "bool_parsing": "Tham số “{name}” phải là true hoặc false.",
    "bool_type": "Tham số “{name}” phải là true hoặc false.",
    "date_parsing": "Tham số “{name}” phải là ngày theo định dạng YYYY-MM-DD (ví dụ 2025-07-01).",
    "date_from_datetime_parsing": "Tham số “{name}” phải là ngày theo định dạng YYYY-MM-DD (ví dụ 2025-07-01).",
    "date_from_datetime_inexact": "Tham số “{name}” phải là ngày theo định dạng YYYY-MM-DD (ví dụ 2025-07-01).",
    "date_type": "Tham số “{name}” phải là ngày theo định dạng YYYY-MM-DD (ví dụ 2025-07-01).",
    "string_too_long": "Tham số “{name}” dài quá {max_length} ký tự.",
    "string_too_short": "Tham số “{name}” phải có ít nhất {min_length} ký tự.",
    "string_pattern_mismatch": "Tham số “{name}” không đúng định dạng.",
}


def translate(error: dict) -> dict:
    """A pydantic/ninja error as an item of the shared error body, with a Vietnamese message."""
    loc = list(error.get("loc", ()))
    name = _parameter_name(loc)
    ctx = dict(error.get("ctx") or {})
    error_type = error.get("type", "value_error")
    template = _MESSAGES.get(error_type)
    if template is not None:
        try:
            msg = template.format(name=name, expected=_expected(ctx), **{k: v for k, v in ctx.items() if k != "expected"})
        except (KeyError, IndexError):
            msg = f"Giá trị của tham số “{name}” không hợp lệ."
    else:
        msg = f"Giá trị của tham số “{name}” không hợp lệ."
    return {"loc": loc, "msg": msg, "type": error_type}


def reject_nul(view):
    """Refuse a NUL character in any parameter: PostgreSQL cannot store or compare text with one,
    so it would surface as a server error instead of a 422 naming the parameter."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        path_params = request.resolver_match.kwargs if request.resolver_match else {}
        for source, params in (("query", request.GET.lists()), ("path", ((k, [v]) for k, v in path_params.items()))):
            for name, values in params:
                if any(isinstance(v, str) and "\x00" in v for v in values):
                    raise BadParameterError(name, f"Tham số “{name}” chứa ký tự không hợp lệ.", source=source)
        return view(request, *args, **kwargs)

    return wrapper


def install(api: NinjaAPI) -> None:
    """Replace ninja's error handlers by ones that answer in the shared body, in Vietnamese."""

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": [translate(e) for e in exc.errors]}, status=422)

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = api.create_response(request, exc.body(), status=exc.status_code)
        for name, value in exc.headers().items():
            response[name] = value
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(
            request, error_body([], str(exc), "http_error"), status=exc.status_code
        )

    def on_http404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, error_body([], "Không tìm thấy tài nguyên yêu cầu.", "not_found"), status=404
        )

    api.add_decorator(reject_nul)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(Http404, on_http404)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(HttpError, on_http_error)
