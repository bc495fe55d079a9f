"""Structured-log helpers: request id and user on every line, personal data scrubbed from messages."""

from __future__ import annotations

import logging

from jineng.common.masking import scrub_text
from jineng.common.request_context import current_request_id


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        if isinstance(record.msg, str):
            record.msg = scrub_text(record.msg)
        if record.args:
            record.args = tuple(scrub_text(a) if isinstance(a, str) else a for a in record.args)
        return True
