from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "jineng.synthetic"
    label = "synthetic"
    verbose_name = "合成数据 Synthetic province"
