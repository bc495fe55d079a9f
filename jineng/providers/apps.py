from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "jineng.providers"
    label = "providers"
    verbose_name = "培训机构与两目录 Providers"

    def ready(self) -> None:
        from jineng.common.crypto import register_encrypted_field
        from jineng.providers import scoping, settings_specs
        from jineng.providers.io import importers
        from jineng.providers.models import OrganizationProfile
        from jineng.providers.services.organizations import PHONE_CONTEXT

        settings_specs.register()
        scoping.register()
        register_encrypted_field(OrganizationProfile, "contact_phone_enc", PHONE_CONTEXT)
        importers.register()
