from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "jineng.learning"
    label = "learning"
    verbose_name = "线上学习 Online learning (xAPI LRS)"

    def ready(self) -> None:
        from jineng.learning import handlers, scoping
        from jineng.registry import api as registry

        scoping.register()
        registry.register_archive_source("learning", handlers.archive_source)
        registry.register_merge_handler("learning", handlers.persons_merged)
        registry.register_shred_handler("learning", handlers.persons_shredded)
