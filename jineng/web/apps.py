from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jineng.web"
    label = "web"
    verbose_name = "界面 UI shell"
