"""What other apps (the site shell) may use of complaints: the complaints a handler sees with their overdue flags
(the workbench's to-dos) and the open statuses."""

from __future__ import annotations

from jineng.complaints.models import OPEN_STATUSES, Complaint, Status
from jineng.complaints.selectors import HANDLE, complaints_visible, flags

__all__ = ["HANDLE", "OPEN_STATUSES", "Complaint", "Status", "complaints_visible", "flags"]
