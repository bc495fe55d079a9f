"""作业 in words: each job kind (``audit.verify``, ``import.roster`` …) read as Chinese (English under the English
locale). An import's kind reads as 导入 and the importer's own label; a kind this module does not know reads as
"其他作业", never as its code."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jineng.common.errors import DomainError
from jineng.imports.api import importer_for

JOB_KIND_LABELS: dict[str, Any] = {
    "audit.checkpoint": _("审计日志存证"),
    "audit.verify": _("审计日志校验"),
    "imports.sources_purge": _("清理导入源文件"),
    "indicators.close_year": _("指标年度结账"),
    "indicators.recompute": _("指标重算"),
    "inspections.publish_due": _("检查结果到期公开"),
    "list.export": _("列表导出"),
    "retention.run": _("过期数据清理"),
    "subsidies.idempotency_purge": _("清理重复提交记录"),
    "subsidies.publicity_close": _("公示期满处理"),
    "subsidies.vouchers_expire": _("培训券到期处理"),
}


def job_kind_label(kind: str) -> str:
    if kind in JOB_KIND_LABELS:
        return str(JOB_KIND_LABELS[kind])
    if kind.startswith("import."):
        try:
            label = importer_for(kind.removeprefix("import.")).label
        except DomainError:  # an importer no longer registered still has a job to show
            label = ""
        return gettext("导入：%(what)s") % {"what": gettext(label) if label else gettext("其他")}
    return gettext("其他作业")
