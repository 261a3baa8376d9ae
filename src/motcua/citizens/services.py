"""The business rules of citizens' accounts: register, verify the e-mail, keep the profile, link an
external identity. Each write runs in one transaction: bad input raises `AccountInputError` (a
Vietnamese message per field) before anything is written, and a failure leaves nothing behind.

E-mails are never sent here: an outbox event is written in the transaction and the worker's
handler (citizens.emails) sends it, with a link made at sending time.
"""

import contextlib
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.citizens import validators
from motcua.citizens.choices import ProfileKind
from motcua.citizens.models import CitizenProfile, ExternalIdentity
from motcua.citizens.validators import InvalidValueError
from motcua.core import audit
from motcua.core.outbox import emit
from motcua.units.choices import Edition, UnitLevel
from motcua.units.models import AdministrativeUnit

User = get_user_model()

PROFILE_FIELDS = ("full_name", "phone", "date_of_birth", "id_number", "address_line", "unit",
                  "organisation_name", "tax_code")
ADDRESS_LINE_MAX = 200
# At most one verification (or reset) e-mail per account in this interval, however often the button
# is pressed: the address may be someone else's, typed by mistake or on purpose.
EMAIL_INTERVAL = timedelta(minutes=5)
VERIFY_SALT = "motcua.citizens.verify-email"


class AccountInputError(Exception):
    """Bad input; `errors` maps each field to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class ExternalLoginError(Exception):
    """An external login that cannot open an account here; `message` is shown to the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------------------------- reads

def citizen_by_email(email: str):
    """The active or inactive citizen account (a user with a profile) using this address, or None."""
    email = validators.normalise_email(email)
    if not email:
        return None
    return (User.objects.filter(email__iexact=email, citizen_profile__isnull=False)
            .select_related("citizen_profile").first())


def email_in_use(email: str) -> bool:
    """Any account, citizen's or official's, with this address or login: one address, one account."""
    return User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists()


# ------------------------------------------------------------------------------------- checks

def resolve_unit(value) -> AdministrativeUnit | None:
    """The current commune for a code (or a unit); raises InvalidValueError saying what is wrong."""
    if value in (None, ""):
        return None
    if isinstance(value, AdministrativeUnit):
        unit = value
    else:
        code = str(value).strip()
        unit = (AdministrativeUnit.objects.filter(edition=Edition.CURRENT, level=UnitLevel.COMMUNE, code=code).first()
                or AdministrativeUnit.objects.filter(edition=Edition.CURRENT, code=code).first()
                or AdministrativeUnit.objects.filter(code=code).order_by("-edition").first())
        if unit is None:
            raise InvalidValueError(_("Không có xã/phường/đặc khu mã %(code)s trong danh mục đơn vị hành chính.")
                                    % {"code": code[:10]})
    if unit.edition != Edition.CURRENT:
        raise InvalidValueError(
            _("“%(name)s” thuộc danh mục đơn vị hành chính cũ (đến 30/06/2025). Hãy chọn xã/phường/đặc khu "
              "theo danh mục hiện hành.") % {"name": unit.name})
    if unit.level != UnitLevel.COMMUNE:
        raise InvalidValueError(
            _("“%(name)s” là đơn vị cấp tỉnh. Hãy chọn xã/phường/đặc khu nơi bạn ở.") % {"name": unit.name})
    return unit


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidValueError(_("Ngày sinh không đúng; nhập theo dạng ngày/tháng/năm, ví dụ 25/08/1990.")) from None


def clean_profile(values: dict, *, kind: str, profile: CitizenProfile | None = None,
                  today: date | None = None) -> dict:
    """The profile fields checked and in their stored form; raises AccountInputError listing every problem."""
    errors: dict[str, str] = {}
    cleaned: dict = {}

    def check(field: str, func, *args, required: bool = False):
        raw = values.get(field)
        if raw in (None, "") and not required:
            return "" if field not in ("date_of_birth", "unit") else None
        try:
            return func(raw if raw is not None else "", *args)
        except InvalidValueError as exc:
            errors[field] = exc.message
            return None

    if kind not in ProfileKind.values:
        errors["kind"] = _("Hãy chọn loại tài khoản: cá nhân, hoặc tổ chức, doanh nghiệp.")
    cleaned["full_name"] = check("full_name", validators.clean_full_name, required=True)
    cleaned["phone"] = check("phone", validators.clean_phone, required=True)
    cleaned["date_of_birth"] = check("date_of_birth", lambda v: validators.clean_date_of_birth(_date(v), today))
    cleaned["id_number"] = check("id_number", validators.clean_id_number, cleaned["date_of_birth"], today)
    if cleaned["id_number"]:
        others = CitizenProfile.objects.filter(id_number=cleaned["id_number"])
        if profile is not None:
            others = others.exclude(pk=profile.pk)
        if others.exists():
            errors["id_number"] = _("Số định danh cá nhân này đã dùng cho một tài khoản khác. Nếu đó là số của "
                                    "bạn, hãy dùng “Quên mật khẩu” hoặc liên hệ bộ phận hỗ trợ.")
    address_line = validators.normalise_name(values.get("address_line") or "")
    if len(address_line) > ADDRESS_LINE_MAX:
        errors["address_line"] = _("Địa chỉ (số nhà, đường, thôn) dài quá %(max)d ký tự.") % {"max": ADDRESS_LINE_MAX}
    cleaned["address_line"] = address_line
    cleaned["unit"] = check("unit", resolve_unit)
    if kind == ProfileKind.ORGANISATION:
        cleaned["organisation_name"] = check("organisation_name", validators.clean_organisation_name, required=True)
        cleaned["tax_code"] = check("tax_code", validators.clean_tax_code, required=True)
    else:
        # A person's account has no organisation: whatever the form carried is not kept.
        cleaned["organisation_name"] = cleaned["tax_code"] = ""
    if errors:
        raise AccountInputError(errors)
    return cleaned


def _check_password(password: str, user) -> str | None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


# ------------------------------------------------------------------------------------- register

def check_registration(*, email: str, password: str, kind: str, profile: dict) -> tuple[str, dict]:
    """The address and the profile in their stored form; raises AccountInputError listing every problem."""
    errors: dict[str, str] = {}
    try:
        email = validators.clean_email(email)
    except InvalidValueError as exc:
        errors["email"] = exc.message
    else:
        if email_in_use(email):
            errors["email"] = _("Địa chỉ e-mail này đã có tài khoản. Hãy đăng nhập, hoặc dùng “Quên mật khẩu”.")
    try:
        cleaned = clean_profile(profile, kind=kind)
    except AccountInputError as exc:
        errors.update(exc.errors)
        cleaned = {}
    # The similarity check compares the password with what the person typed. Not with the username:
    # it is the e-mail here, and "too similar to the username" would puzzle someone who never chose one.
    probe = User(username="", email=email, first_name=str(profile.get("full_name") or ""))
    if not password:
        errors["password"] = _("Hãy nhập mật khẩu.")
    elif problem := _check_password(password, probe):
        errors["password"] = problem
    if errors:
        raise AccountInputError(errors)
    return email, cleaned


def register(*, email: str, password: str, kind: str, profile: dict, language: str = "vi"):
    """A new citizen account, active but with its e-mail unverified, and the verification e-mail queued.

    The person can log in at once; what needs a proven address (submitting a dossier) waits for the
    link (selectors.can_submit_dossiers).
    """
    email, cleaned = check_registration(email=email, password=password, kind=kind, profile=profile)
    try:
        with transaction.atomic():
            user = User(username=email, email=email, first_name=cleaned["full_name"])
            user.set_password(password)
            user.save()
            CitizenProfile.objects.create(user=user, kind=kind, **cleaned)
            audit.append("citizen.register", object_type="citizen", object_id=user.pk, after={"kind": kind},
                         actor=user)
            _emit_verification(user, language)
    except IntegrityError:
        # Two registrations of the same address or person number at the same moment: the other won.
        if email_in_use(email):
            raise AccountInputError({"email": _("Địa chỉ e-mail này đã có tài khoản. Hãy đăng nhập.")}) from None
        raise AccountInputError({"id_number": _("Số định danh cá nhân này đã dùng cho một tài khoản khác.")}) from None
    return user


def _bucket() -> int:
    return int(timezone.now().timestamp() // EMAIL_INTERVAL.total_seconds())


def _emit_verification(user, language: str):
    return emit(
        "account.verification_requested", aggregate_type="citizen", aggregate_id=user.pk,
        payload={"user_id": user.pk, "email": user.email, "language": language},
        idempotency_key=f"account.verification_requested:{user.pk}:{user.email}:{_bucket()}",
    )


@transaction.atomic
def request_verification_email(user, language: str = "vi") -> bool:
    """Queue the verification e-mail again; False when the address is already verified (nothing to send)."""
    profile = CitizenProfile.objects.get(user=user)
    if profile.email_verified or not user.email:
        return False
    _emit_verification(user, language)
    return True


@transaction.atomic
def request_password_reset(user, language: str = "vi") -> None:
    """Queue the e-mail with a link to choose a new password (the link is made when it is sent)."""
    emit("account.password_reset_requested", aggregate_type="citizen", aggregate_id=user.pk,
         payload={"user_id": user.pk, "email": user.email, "language": language},
         idempotency_key=f"account.password_reset_requested:{user.pk}:{_bucket()}")


# ------------------------------------------------------------------------------------- verification

def verification_token(user) -> str:
    """A signed token naming the user and the address: a link for an old address verifies nothing."""
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object({"u": user.pk, "e": user.email.lower()})


class Verification(StrEnum):
    VERIFIED = "verified"
    ALREADY = "already"
    EXPIRED = "expired"
    INVALID = "invalid"
    EMAIL_CHANGED = "email_changed"


@dataclass
class VerificationResult:
    outcome: Verification
    user: object = None


@transaction.atomic
def verify_email(token: str) -> VerificationResult:
    max_age = timedelta(hours=settings.MOTCUA_EMAIL_VERIFICATION_HOURS)
    try:
        data = signing.TimestampSigner(salt=VERIFY_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        return VerificationResult(Verification.EXPIRED)
    except (signing.BadSignature, ValueError):
        return VerificationResult(Verification.INVALID)
    profile = (CitizenProfile.objects.select_for_update().select_related("user")
               .filter(user_id=data.get("u")).first()) if isinstance(data, dict) else None
    if profile is None:
        return VerificationResult(Verification.INVALID)
    if profile.user.email.lower() != data.get("e"):
        return VerificationResult(Verification.EMAIL_CHANGED, profile.user)
    if profile.email_verified:
        return VerificationResult(Verification.ALREADY, profile.user)
    mark_email_verified(profile)
    return VerificationResult(Verification.VERIFIED, profile.user)


def mark_email_verified(profile: CitizenProfile) -> None:
    """The person proved they read mail at the address (a verification or a password-reset link)."""
    if profile.email_verified:
        return
    with transaction.atomic():
        profile.email_verified_at = timezone.now()
        profile.save(update_fields=["email_verified_at", "updated_at"])
        audit.append("citizen.verify_email", object_type="citizen", object_id=profile.user_id, actor=profile.user)


# ------------------------------------------------------------------------------------- profile

@transaction.atomic
def update_profile(user, values: dict) -> CitizenProfile:
    """Save the profile's editable fields (the kind and the e-mail are not among them)."""
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    cleaned = clean_profile(values, kind=profile.kind, profile=profile)
    changed = [field for field, value in cleaned.items() if getattr(profile, field) != value]
    if not changed:
        return profile
    for field in changed:
        setattr(profile, field, cleaned[field])
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise AccountInputError({"id_number": _("Số định danh cá nhân này đã dùng cho một tài khoản khác.")}) from None
    if "full_name" in changed:
        User.objects.filter(pk=user.pk).update(first_name=profile.full_name, last_name="")
    # Which fields changed, not their values: the audit trail is append-only and must not hoard personal data.
    audit.append("citizen.update_profile", object_type="citizen", object_id=user.pk, after={"fields": changed},
                 actor=user)
    return profile


# ------------------------------------------------------------------------------------- external identity

def profile_values_from_claims(claims: dict) -> dict:
    """Profile fields from OpenID Connect claims; a claim that does not pass the checks is left out.

    Standard claims (OpenID Connect Core §5.1): name (or family_name, middle_name, given_name,
    put in the Vietnamese order), birthdate (YYYY-MM-DD), phone_number. The personal number has
    no standard claim: a provider's adapter passes it as "id_number".
    """
    values: dict = {}
    name = claims.get("name") or " ".join(
        str(claims[k]) for k in ("family_name", "middle_name", "given_name") if claims.get(k))
    attempts = {
        "full_name": lambda: validators.clean_full_name(str(name)),
        "date_of_birth": lambda: validators.clean_date_of_birth(date.fromisoformat(str(claims["birthdate"]))),
        "phone": lambda: validators.clean_phone(str(claims["phone_number"])),
    }
    for field, attempt in attempts.items():
        try:
            values[field] = attempt()
        except (InvalidValueError, KeyError, ValueError):
            continue
    if claims.get("id_number"):
        with contextlib.suppress(InvalidValueError):
            values["id_number"] = validators.clean_id_number(str(claims["id_number"]), values.get("date_of_birth"))
    return values


def _claims_email(claims: dict) -> tuple[str, bool]:
    try:
        email = validators.clean_email(str(claims.get("email") or ""))
    except InvalidValueError:
        return "", False
    # Only a provider that says it checked the address may vouch for it (the claim is a JSON boolean).
    return email, claims.get("email_verified") is True


def _fill_blanks(profile: CitizenProfile, values: dict) -> list[str]:
    """Copy claim values into empty profile fields; what the person typed themselves is kept."""
    filled = []
    for field, value in values.items():
        if getattr(profile, field) in ("", None) and value:
            if field == "id_number" and CitizenProfile.objects.filter(id_number=value).exclude(pk=profile.pk).exists():
                continue  # held by another account: left for the help desk, never moved silently
            setattr(profile, field, value)
            filled.append(field)
    return filled


def login_external(provider: str, subject: str, claims: dict):
    """The user for a login at an external identity provider, linking or creating the account.

    1. An identity already linked (provider, subject) → its user; the claims are refreshed.
    2. Else a citizen account with the same e-mail, if the provider says it verified the address
       → linked. If that account had never verified its address, its password is made unusable
       (a password someone else may have set for that address must not keep working) and the
       address counts as verified; the person can choose a password with "Quên mật khẩu".
    3. Else a new account, with the profile filled from the claims.
    Raises ExternalLoginError for an account that was disabled. Officials' accounts (users without
    a citizen profile) are never linked by e-mail.
    """
    provider, subject = (provider or "").strip(), (subject or "").strip()
    if not provider or not subject:
        raise ValueError("login_external needs a provider and a subject")
    try:
        return _login_external(provider, subject, claims)
    except IntegrityError:
        # The same first login arrived twice at once and the other request linked it: use that link.
        return _login_external(provider, subject, claims)


@transaction.atomic
def _login_external(provider: str, subject: str, claims: dict):
    now = timezone.now()
    values = profile_values_from_claims(claims)
    identity = (ExternalIdentity.objects.select_for_update().select_related("user")
                .filter(provider=provider, subject=subject).first())
    if identity is not None:
        _ensure_active(identity.user)
        identity.claims, identity.last_login_at = claims, now
        identity.save(update_fields=["claims", "last_login_at"])
        profile = CitizenProfile.objects.select_for_update().filter(user=identity.user).first()
        if profile is not None and (filled := _fill_blanks(profile, values)):
            profile.save()
            audit.append("citizen.update_profile", object_type="citizen", object_id=identity.user_id,
                         after={"fields": filled, "source": provider}, actor=identity.user)
        return identity.user

    email, email_verified = _claims_email(claims)
    user = None
    if email and email_verified:
        profile = (CitizenProfile.objects.select_for_update().select_related("user")
                   .filter(user__email__iexact=email).first())
        if profile is not None:
            user = profile.user
            _ensure_active(user)
            if ExternalIdentity.objects.filter(user=user, provider=provider).exists():
                # The provider knows one person by one subject; a second one claiming the address is not them.
                raise ExternalLoginError(_("Địa chỉ e-mail này đã liên kết với một tài khoản định danh khác. "
                                           "Hãy liên hệ bộ phận hỗ trợ của cổng dịch vụ công."))
            if not profile.email_verified:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                profile.email_verified_at = now
            _fill_blanks(profile, values)
            profile.save()
    if user is None:
        user = _create_external_user(provider, subject, email, email_verified, values, now)
    with transaction.atomic():
        ExternalIdentity.objects.create(user=user, provider=provider, subject=subject, claims=claims, last_login_at=now)
    audit.append("citizen.link_identity", object_type="citizen", object_id=user.pk, after={"provider": provider},
                 actor=user)
    return user


def _ensure_active(user) -> None:
    if not user.is_active:
        raise ExternalLoginError(_("Tài khoản này đã bị khóa. Hãy liên hệ bộ phận hỗ trợ của cổng dịch vụ công."))


def _create_external_user(provider: str, subject: str, email: str, email_verified: bool, values: dict, now):
    if email and email_in_use(email):
        email = ""  # the address belongs to another account (an official's, or one not proven): not shared
    digest = hashlib.sha256(f"{provider}\n{subject}".encode()).hexdigest()[:24]
    user = User(username=email or f"{provider[:40]}-{digest}", email=email, first_name=values.get("full_name", ""))
    user.set_unusable_password()  # logs in through the provider; a password can be added by "Quên mật khẩu"
    user.save()
    if values.get("id_number") and CitizenProfile.objects.filter(id_number=values["id_number"]).exists():
        values = {k: v for k, v in values.items() if k != "id_number"}  # see _fill_blanks
    CitizenProfile.objects.create(user=user, kind=ProfileKind.PERSON, email_verified_at=now if email and email_verified
                                  else None, **values)
    audit.append("citizen.register", object_type="citizen", object_id=user.pk,
                 after={"kind": ProfileKind.PERSON, "source": provider}, actor=user)
    return user
