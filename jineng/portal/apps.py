from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jineng.portal"
    label = "portal"
    verbose_name = "信息公开门户 Public portal"

    def ready(self) -> None:
        from jineng.portal.publishing import connect_signals

        connect_signals()
