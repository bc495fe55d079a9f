from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jineng.supervision"
    label = "supervision"
    verbose_name = "监管 Supervision"

    def ready(self) -> None:
        from jineng.accounts.api import ScopeSpec, register_scope
        from jineng.common.jobs.services import on_job_succeeded
        from jineng.providers.api import register_organization_panel, register_sanction_check, register_sanction_marks
        from jineng.supervision import jobs, settings_specs  # noqa: F401  (registers the job kinds)
        from jineng.supervision.api import organization_panel_html
        from jineng.supervision.models import Case, CaseStep, Sanction, Scan
        from jineng.supervision.services import incremental_after_job, sanction_check, sanction_marks

        settings_specs.register()
        register_scope(Case, ScopeSpec(region="region_id"))
        register_scope(CaseStep, ScopeSpec(region="region_id"))
        register_scope(Scan, ScopeSpec(region="region_id", owner="created_by_id"))
        register_scope(Sanction, ScopeSpec(region="region_id"))
        register_sanction_check("sanctions", sanction_check)  # ADR 0027: the lower apps' services obey sanctions
        register_sanction_marks("sanctions", sanction_marks)  # the public catalog marks a blacklisted listing
        register_organization_panel("supervision", organization_panel_html)  # 监管信息 on a provider's page
        on_job_succeeded("supervision.incremental", incremental_after_job)  # an import queues an incremental pass
