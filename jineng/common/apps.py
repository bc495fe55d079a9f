from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "jineng.common"
    label = "common"
    verbose_name = "公共内核 Common"

    def ready(self) -> None:
        from jineng.common import retention  # noqa: F401 - registers the kernel's retention rules and job kind
