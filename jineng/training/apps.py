from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "jineng.training"
    label = "training"
    verbose_name = "培训过程 Training"

    def ready(self) -> None:
        from jineng.registry import api as registry
        from jineng.training import archive, handlers, scoping
        from jineng.training.io import importers

        scoping.register()
        importers.register()
        registry.register_archive_source("training", archive.archive_source)
        registry.register_merge_handler("training", handlers.persons_merged)
        registry.register_shred_handler("training", handlers.persons_shredded)
