"""What other apps (the site shell) may use of complaints: the complaints a handler sees with their overdue flags
(the workbench's to-dos) and the open statuses; ``case_complaints(user, case_number)`` — what a supervision case
page lists under 投诉举报, registered into ``supervision.api.register_case_complaints`` from this app's AppConfig."""

from __future__ import annotations

from jineng.complaints.models import OPEN_STATUSES, Complaint, Status
from jineng.complaints.selectors import HANDLE, case_complaints, complaints_visible, flags

__all__ = ["HANDLE", "OPEN_STATUSES", "Complaint", "Status", "case_complaints", "complaints_visible", "flags"]
