from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "jineng.certificates"
    label = "certificates"
    verbose_name = "职业技能评价与证书 Certificates"

    def ready(self) -> None:
        from django.core import checks

        from jineng.certificates import handlers, scoping, selectors, settings_specs
        from jineng.certificates.credentials import PRIVATE_CONTEXT
        from jineng.certificates.io import importers
        from jineng.certificates.models import IssuerKey
        from jineng.common.crypto import register_encrypted_field
        from jineng.registry.api import register_archive_source, register_merge_handler

        settings_specs.register()
        scoping.register()
        importers.register()
        register_archive_source("certificates", selectors.archive_source)
        register_merge_handler("certificates", handlers.persons_merged)
        from jineng.registry.api import register_shred_handler

        register_shred_handler("certificates", handlers.persons_shredded)
        register_encrypted_field(IssuerKey, "private_enc", PRIVATE_CONTEXT)
        checks.register(_check_rate_setting)  # type: ignore[call-overload]


def _check_rate_setting(app_configs: object = None, **kwargs: object) -> list[object]:
    from django.core import checks

    from jineng.certificates.ratelimit import configured_rate

    try:
        configured_rate()
    except ValueError as exc:
        return [checks.Error(f"JINENG_VERIFY_RATE: {exc}", hint='e.g. "30/minute"', id="certificates.E001")]
    return []
