from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "jineng.complaints"
    label = "complaints"
    verbose_name = "投诉举报 Complaints"

    def ready(self) -> None:
        from jineng.common.crypto import register_encrypted_field
        from jineng.complaints import scoping, settings_specs
        from jineng.complaints.models import CONTACT_CONTEXT, Complaint
        from jineng.complaints.selectors import case_complaints
        from jineng.supervision.api import register_case_complaints

        scoping.register()
        settings_specs.register()
        register_encrypted_field(Complaint, "name_enc", CONTACT_CONTEXT)
        register_encrypted_field(Complaint, "phone_enc", CONTACT_CONTEXT)
        register_case_complaints(case_complaints)  # the case page's 投诉举报 (supervision is below, ADR 0007)
