from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "jineng.inspections"
    label = "inspections"
    verbose_name = "双随机抽查 Inspections"

    def ready(self) -> None:
        from jineng.accounts.api import ScopeSpec, register_scope
        from jineng.inspections import jobs, settings_specs
        from jineng.inspections.models import Draw, Finding, InspectionTask, PoolMember

        settings_specs.register()
        jobs.register()
        register_scope(PoolMember, ScopeSpec(region="region_id"))
        register_scope(Draw, ScopeSpec(region="region_id"))
        register_scope(InspectionTask, ScopeSpec(region="region_id", organization="organization_id"))
        register_scope(Finding, ScopeSpec(region="region_id", organization="organization_id"))
