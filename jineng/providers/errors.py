"""Coded errors of the providers app (stable codes; Chinese messages)."""

from __future__ import annotations

from jineng.common.errors import InvalidState


class TransitionRefused(InvalidState):
    """A workflow step out of order (审核 before 提交, 审批 before 审核 …): 409 with a stable code."""

    def __init__(self, message: str, code: str = "transition_refused"):
        super().__init__(message, code=code)


class ProviderNotListed(InvalidState):
    """The provider is not listed (never, expired, exited) for what was asked: 409 ``provider_not_listed``."""

    def __init__(self, message: str = "该培训机构不在培训机构目录内。", code: str = "provider_not_listed"):
        super().__init__(message, code=code)


class ProviderSuspended(InvalidState):
    """The provider's listing is suspended (停业整顿): it may not open classes. 409 ``provider_suspended``."""

    def __init__(self, message: str = "该培训机构已被暂停（停业整顿），不能开展补贴性培训。"):
        super().__init__(message, code="provider_suspended")


class ProgramNotListed(InvalidState):
    def __init__(self, message: str = "该培训项目不在本地区培训项目目录内。"):
        super().__init__(message, code="program_not_listed")


class TeacherNotAvailable(InvalidState):
    def __init__(self, message: str, code: str = "teacher_not_available"):
        super().__init__(message, code=code)
