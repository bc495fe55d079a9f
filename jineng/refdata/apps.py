from django.apps import AppConfig


class RefdataConfig(AppConfig):
    name = "jineng.refdata"
    label = "refdata"
    verbose_name = "基础数据 Reference data"
