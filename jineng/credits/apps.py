from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "jineng.credits"
    label = "credits"
    verbose_name = "技能学分 Skill credits"

    def ready(self) -> None:
        from jineng.credits import handlers, scoping

        scoping.register()
        handlers.register()
