from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "jineng.indicators"
    label = "indicators"
    verbose_name = "规划指标 Indicators"

    def ready(self) -> None:
        from jineng.indicators import jobs  # noqa: F401  (registers the job kinds)
