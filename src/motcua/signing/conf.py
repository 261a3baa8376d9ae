"""The signing settings, read from the environment (motcua.conf) at call time.

They are read here rather than in settings.py so the app stays self-contained; a test or a
deployment may still set them in Django settings, which win over the environment.
"""

from pathlib import Path

from django.conf import settings

from motcua.conf import env_bool, env_int, env_str

# The passphrase used when MOTCUA_SIGNING_KEY_PASSPHRASE is not set. It protects the development
# keys only from casual reading: `motcua check --deploy` warns while it is in use (signing/checks.py).
DEV_KEY_PASSPHRASE = "motcua-development-signing-key-passphrase"
KEY_TYPES = ("ec-p256", "rsa-3072")


def _setting(name: str, read):
    value = getattr(settings, name, None)
    return read() if value is None else value


def pki_dir() -> Path:
    """Where the encrypted private keys and the development CA live (MOTCUA_PKI_DIR, default <data dir>/pki)."""
    return Path(_setting("MOTCUA_PKI_DIR", lambda: env_str("MOTCUA_PKI_DIR", str(settings.DATA_DIR / "pki"))))


def key_passphrase() -> bytes:
    return _setting("MOTCUA_SIGNING_KEY_PASSPHRASE",
                    lambda: env_str("MOTCUA_SIGNING_KEY_PASSPHRASE", DEV_KEY_PASSPHRASE)).encode()


def uses_dev_passphrase() -> bool:
    return key_passphrase() == DEV_KEY_PASSPHRASE.encode()


def is_embedded() -> bool:
    """The embedded mode: SQLite and local files, the way `make demo` runs."""
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def dev_pki_enabled(*, demo: bool = False) -> bool:
    """May `motcua setup` create a development CA and agency certificates?

    MOTCUA_DEV_PKI decides when set. Unset, it is true in the embedded mode and for `setup --demo`,
    false otherwise: a production database on PostgreSQL never gets a development CA by surprise.
    """
    value = getattr(settings, "MOTCUA_DEV_PKI", None)
    if value is None:
        value = env_bool("MOTCUA_DEV_PKI", is_embedded() or demo)
    return bool(value)


def key_type() -> str:
    """The key type of new development keys: ec-p256 (default: fast, small) or rsa-3072."""
    value = _setting("MOTCUA_PKI_KEY_TYPE", lambda: env_str("MOTCUA_PKI_KEY_TYPE", "ec-p256")).strip().lower()
    if value not in KEY_TYPES:
        from motcua.conf import ImproperlyConfiguredEnvError

        raise ImproperlyConfiguredEnvError(f"MOTCUA_PKI_KEY_TYPE={value!r}: expected one of {', '.join(KEY_TYPES)}")
    return value


def verify_max_bytes() -> int:
    """The largest PDF the public verification accepts (MOTCUA_VERIFY_MAX_BYTES, default 20 MB)."""
    return int(_setting("MOTCUA_VERIFY_MAX_BYTES", lambda: env_int("MOTCUA_VERIFY_MAX_BYTES", 20 * 1024 * 1024)))
