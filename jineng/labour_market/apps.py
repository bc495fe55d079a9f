from django.apps import AppConfig


class LabourMarketConfig(AppConfig):
    name = "jineng.labour_market"
    label = "labour_market"
    verbose_name = "技能人才需求监测 Labour market"

    def ready(self) -> None:
        from jineng.labour_market import scoping, settings_specs
        from jineng.labour_market.api import shortage_catalog_in_force
        from jineng.labour_market.io import importers
        from jineng.subsidies.api import register_shortage_catalog

        settings_specs.register()
        scoping.register()
        importers.register()
        # Subsidies (a lower layer) floats claims by the published catalog: registered in every process (ADR 0022).
        register_shortage_catalog(shortage_catalog_in_force)
