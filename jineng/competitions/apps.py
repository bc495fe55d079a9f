from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "jineng.competitions"
    label = "competitions"
    verbose_name = "职业技能竞赛 Competitions"

    def ready(self) -> None:
        from jineng.competitions import handlers, scoping
        from jineng.competitions.io import importers

        scoping.register()
        handlers.register()
        importers.register()
