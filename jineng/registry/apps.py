from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jineng.registry"
    label = "registry"
    verbose_name = "实名制人员库 Registry"

    def ready(self) -> None:
        from django.db.models import Q

        from jineng.accounts.api import ScopeSpec, register_scope
        from jineng.common.crypto import register_encrypted_field
        from jineng.registry import archive  # noqa: F401 - archive source
        from jineng.registry.identity import BANK_CONTEXT, DOC_CONTEXT, PHONE_CONTEXT
        from jineng.registry.io import importers  # noqa: F401 - the persons import kind
        from jineng.registry.models import BankAccount, CorrectionRequest, IdentityDocument, Person, PersonFact
        from jineng.registry.services import retention  # noqa: F401 - the retired persons' retention rule

        def attributed(region_codes: object) -> Q:
            return Q(pk__in=PersonFact.objects.filter(region_id__in=region_codes).values("person_id"))

        register_scope(Person, ScopeSpec(region="residence_region_id", person="id", extra_region=attributed))
        register_scope(CorrectionRequest, ScopeSpec(region="region_id", person="person_id"))
        register_encrypted_field(IdentityDocument, "number_enc", DOC_CONTEXT)
        register_encrypted_field(Person, "phone_enc", PHONE_CONTEXT)
        register_encrypted_field(BankAccount, "account_enc", BANK_CONTEXT)
