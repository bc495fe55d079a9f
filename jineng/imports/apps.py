from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "jineng.imports"
    label = "imports"
    verbose_name = "导入 Imports"

    def ready(self) -> None:
        from jineng.accounts.api import ScopeSpec, register_scope
        from jineng.imports import retention, services  # noqa: F401 - job kinds of importers, the retention rule
        from jineng.imports.models import ImportJob

        register_scope(ImportJob, ScopeSpec(region="region_id", owner="created_by_id"))
