"""The open REST API: one NinjaAPI, mounted at /api/, with version 1 under /api/v1/.

Routers hold no business rules: they validate parameters, call the catalogue's and the units'
selectors (and `catalog.search`), and shape the answer (api/presenters.py). Errors share one body
in Vietnamese (api/errors.py); lists are cursor-paged (api/pagination.py); docs/api.md is the guide.
"""

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from motcua.api import errors
from motcua.api.docs import OfflineSwagger
from motcua.api.routers import dossiers, procedures, units

DESCRIPTION = """\
API mở của **motcua**: cơ sở dữ liệu thủ tục hành chính (mã, tên, trình tự, cách thức, thành phần hồ sơ,
căn cứ pháp lý, phí, lệ phí, cơ quan thực hiện, lịch sử phiên bản), xuất theo mô hình dịch vụ công
CPSV-AP 3.2.0 của EU, danh mục đơn vị hành chính trước và sau 01/07/2025 với bảng chuyển đổi, và cơ quan.

The open API of **motcua**: the administrative procedure catalogue (steps, channels, dossier
components, legal basis, fees, agencies, version history), each procedure as an EU CPSV-AP 3.2.0
public service in JSON-LD, administrative units before and after 1 July 2025 with the official
conversion table, and agencies.

- Lỗi / errors: `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`, thông báo bằng tiếng Việt
  (404 khi không tìm thấy, 409 khi xung đột, 422 khi tham số sai / 404 not found, 409 conflict, 422 bad parameter).
- Phân trang / paging: gửi lại giá trị `next` bằng tham số `cursor` cho đến khi `next` là null /
  send `next` back as `cursor` until it is null.
- Danh mục, đơn vị, cơ quan và xác thực chữ ký: mở, không cần đăng nhập / the catalogue, units, agencies and
  signature verification are open, no authentication.
- Hồ sơ (`/api/v1/dossiers`): cho cán bộ và hệ thống, với `Authorization: Bearer <khóa>` (`motcua token create`)
  hoặc phiên đăng nhập; 401 khi thiếu, 403/404 theo quyền / dossiers are for officials and systems, with a bearer
  token or a session; 401 without, 403/404 by rights.
- Có thể gửi lại an toàn / safe retries: header `Idempotency-Key` on POST.
"""

class Utf8JSONRenderer(JSONRenderer):
    # Vietnamese as text, not \u escapes: readable with curl and a third smaller.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="motcua API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=Utf8JSONRenderer(),
)
errors.install(api)
api.add_router("/v1/", procedures.router)
api.add_router("/v1/", units.router)
api.add_router("/v1/", dossiers.router)
api.add_router("/v1/", "motcua.signing.api.router")
api.add_router("/v1/", "motcua.indicators.api.router")


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other path under /api/: the shared error body, not Django's HTML 404 page."""
    return JsonResponse(
        errors.error_body(["path"], f"Không có địa chỉ API “{request.path}”. Xem /api/docs.", "not_found"),
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
