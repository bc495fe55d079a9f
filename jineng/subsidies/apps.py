from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "jineng.subsidies"
    label = "subsidies"
    verbose_name = "补贴与资金 Subsidies"

    def ready(self) -> None:
        from jineng.common.crypto import register_encrypted_field
        from jineng.registry.api import register_archive_source, register_merge_handler
        from jineng.subsidies import archive, handlers, scoping, settings_specs, tasks
        from jineng.subsidies.io import returns
        from jineng.subsidies.models import Claim, PayeeChange, PaymentLine
        from jineng.subsidies.services import estimates, vouchers
        from jineng.subsidies.services.claims import ACCOUNT_CONTEXT
        from jineng.subsidies.services.policies import training_enrollment_groups
        from jineng.subsidies.services.projects import settlement_hook
        from jineng.training.api import (
            SubsidyPort,
            register_enrollment_groups_source,
            register_settlement_hook,
            register_subsidy_port,
        )

        scoping.register()
        settings_specs.register()
        tasks.register()
        returns.register()
        register_archive_source("subsidies", archive.claims_source)
        register_archive_source("vouchers", archive.vouchers_source)
        register_merge_handler("subsidies", handlers.persons_merged)
        register_enrollment_groups_source(training_enrollment_groups)  # who may enroll: the policies in force
        register_subsidy_port(SubsidyPort(  # the worker's join requests: the estimate, their vouchers
            estimate=estimates.training_estimate, vouchers=vouchers.usable_for_class,
            voucher_check=vouchers.voucher_check_for_class, voucher_use=vouchers.voucher_use_for_class,
        ))  # fmt: skip
        register_settlement_hook(settlement_hook)  # a 项目制 settlement is paid through claims and the ledger
        register_encrypted_field(Claim, "payee_account_enc", ACCOUNT_CONTEXT)
        register_encrypted_field(PaymentLine, "payee_account_enc", ACCOUNT_CONTEXT)
        register_encrypted_field(PayeeChange, "payee_account_enc", ACCOUNT_CONTEXT)
