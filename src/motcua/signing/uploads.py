"""Reading an uploaded PDF without storing more than the verification limit.

Django buffers an uploaded file in memory up to 2.5 MB and then in a temporary file, whatever its
size. For a public endpoint that takes files from anyone, a handler placed first drops the file as
soon as it passes MOTCUA_VERIFY_MAX_BYTES, so an oversized upload costs neither memory nor disk; the
view then answers "too large" from what was counted.

Upload handlers can only be changed before the request body is parsed, which the CSRF check does:
the page's view is therefore csrf_exempt on the outside and csrf_protect inside (Django docs,
"Modifying upload handlers on the fly").
"""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from motcua.signing import conf
from motcua.signing.verification import VerificationReport, check_upload, too_large

FIELD = "file"


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of each uploaded file and skips the file once it is over the limit."""

    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded_size = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded_size = self.received
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def install(request: HttpRequest) -> LimitedUploadHandler:
    handler = LimitedUploadHandler(conf.verify_max_bytes(), request)
    request.upload_handlers.insert(0, handler)
    return handler


def read_pdf(request: HttpRequest, handler: LimitedUploadHandler) -> tuple[bytes | None, VerificationReport | None]:
    """(bytes, None) for an upload to verify; (None, report) when it is too large or unusable; (None, None) if absent."""
    upload = request.FILES.get(FIELD)
    if handler.exceeded_size:
        return None, too_large(handler.exceeded_size)
    if upload is None:
        return None, None
    data = upload.read(handler.limit + 1)
    problem = check_upload(data)
    return (None, problem) if problem else (data, None)
