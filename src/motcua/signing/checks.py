"""System checks: `motcua check --deploy` warns about development signing material in production."""

from django.core.checks import Tags, Warning, register

from motcua.signing import conf


@register(Tags.security, deploy=True)
def check_signing_passphrase(app_configs, **kwargs):
    problems = []
    if conf.uses_dev_passphrase():
        problems.append(Warning(
            "MOTCUA_SIGNING_KEY_PASSPHRASE is not set: agency signing keys are encrypted with the public "
            "development passphrase.",
            hint="Set MOTCUA_SIGNING_KEY_PASSPHRASE (or MOTCUA_SIGNING_KEY_PASSPHRASE_FILE) to a long secret "
                 "before issuing or importing keys; see docs/signing.md.",
            id="signing.W001",
        ))
    if conf.dev_pki_enabled():
        problems.append(Warning(
            "MOTCUA_DEV_PKI is on: `motcua setup` creates a development CA whose signatures have no legal value.",
            hint="Set MOTCUA_DEV_PKI=false and install the agencies' certificates from a licensed CA "
                 "(`motcua pki import`); see docs/signing.md.",
            id="signing.W002",
        ))
    return problems
