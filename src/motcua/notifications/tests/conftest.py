import pytest

from .mailserver import MailServer


@pytest.fixture
def mail(settings):
    """A real SMTP server started for the test, and Django's SMTP backend pointed at it."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Một cửa Tây Ninh <khong-tra-loi@motcua.example.vn>"
    settings.MOTCUA_SITE_URL = "https://dichvucong.example.vn"
    yield server
    server.stop()
