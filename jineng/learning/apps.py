from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "jineng.learning"
    label = "learning"
    verbose_name = "线上学习 Online learning (xAPI LRS)"
