"""Coded errors of the subsidies app (mapped to HTTP and pages in one place, config/api.py and the web middleware)."""

from __future__ import annotations

from typing import Any

from jineng.common.errors import Conflict, DomainError, FieldError


class ClaimRefused(DomainError):
    """The automatic checks refuse the claim: nothing is written; every failing check is a field error and all the
    explained lines are in ``extra["lines"]``."""

    def __init__(self, lines: list[dict[str, Any]]):
        failing = [line for line in lines if line["outcome"] == "fail"]
        message = "不符合补贴条件：" + "；".join(line["message"] for line in failing)
        super().__init__(
            code="claim_refused",
            message=message,
            fields=[FieldError(line["code"], line["code"], line["message"]) for line in failing],
            status=422,
            extra={"lines": lines},
        )


class NoPolicy(DomainError):
    def __init__(self, subsidy_label: str, region_code: str, on: Any):
        super().__init__(
            code="no_policy",
            message=f"{region_code} 地区在 {on} 没有有效的{subsidy_label}政策版本。",
            status=422,
        )


class ClaimInLiveBatch(Conflict):
    def __init__(self, numbers: list[str]):
        super().__init__(
            f"以下申请已在待支付或已支付的批次中，不能重复拨付：{'、'.join(numbers)}",
            code="claim_in_live_batch",
            extra={"claims": numbers},
        )


class SameReviewer(DomainError):
    def __init__(self, step: str):
        super().__init__(
            code="same_reviewer",
            message=f"上一环节的经办人不能办理{step}（前后环节须由不同人员办理）。",
            status=403,
        )


class SamePersonForbidden(DomainError):
    """Four eyes (双人复核): a money step the same person may not do twice (``subsidy.four_eyes.*``)."""

    def __init__(self, message: str, *, pair: str, claims: list[str] | None = None):
        super().__init__(
            code="same_person_forbidden",
            message=message,
            status=403,
            extra={"pair": pair, **({"claims": claims} if claims else {})},
        )
