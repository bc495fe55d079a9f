from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "jineng.common"
    label = "common"
    verbose_name = "公共内核 Common"
