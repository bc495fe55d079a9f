"""Structured-log helpers: request id on every line, personal data scrubbed from everything that is written."""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter

from jineng.common.masking import scrub_text
from jineng.common.request_context import current_request_id


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and masks ID numbers and phones in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs a 4xx/5xx after the middleware has left; the request itself still carries its id.
        record.request_id = current_request_id() or getattr(getattr(record, "request", None), "request_id", None) or "-"
        if isinstance(record.msg, str):
            record.msg = scrub_text(record.msg)
        if record.args:
            if isinstance(record.args, dict):
                record.args = {k: scrub_text(v) if isinstance(v, str) else v for k, v in record.args.items()}
            else:
                record.args = tuple(scrub_text(a) if isinstance(a, str) else a for a in record.args)
        return True


class ScrubbingJsonFormatter(JsonFormatter):
    """One JSON object per line; the finished line is scrubbed too, so extras (a request's query string, a
    traceback's locals) cannot carry an ID number or a phone into the log."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub_text(super().format(record))
