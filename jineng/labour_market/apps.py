from django.apps import AppConfig


class LabourMarketConfig(AppConfig):
    name = "jineng.labour_market"
    label = "labour_market"
    verbose_name = "技能人才需求监测 Labour market"

    def ready(self) -> None:
        from jineng.labour_market import scoping, settings_specs
        from jineng.labour_market.io import importers

        settings_specs.register()
        scoping.register()
        importers.register()
