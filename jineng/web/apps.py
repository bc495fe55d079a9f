from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jineng.web"
    label = "web"
    verbose_name = "界面 UI shell"

    def ready(self) -> None:
        from jineng.web import settings_specs, todos  # noqa: F401  (todos registers its sources)

        settings_specs.register()
