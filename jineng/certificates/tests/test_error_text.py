"""An evaluator's error is said once: a service that lists its field problems in its message too (成绩不正确：…) is
not printed with the same problems again."""

from __future__ import annotations

from jineng.certificates.web.views import error_text
from jineng.common.errors import FieldError, ValidationFailed


def test_details_already_in_the_message_are_not_repeated():
    exc = ValidationFailed(
        "成绩不正确：理论成绩须在 0–100 之间；实操成绩须在 0–100 之间",
        [FieldError("theory_score", "bad", "理论成绩须在 0–100 之间"),
         FieldError("practical_score", "bad", "实操成绩须在 0–100 之间")],
    )  # fmt: skip
    text = error_text(exc)
    assert text.count("理论成绩须在 0–100 之间") == 1 and text.count("实操成绩须在 0–100 之间") == 1


def test_details_not_in_the_message_are_added_once():
    exc = ValidationFailed(
        "请指定本场次的考评员。", [FieldError("examiner_id", "x", "成绩须由本场次登记的考评员录入。")]
    )
    assert error_text(exc) == "请指定本场次的考评员。 成绩须由本场次登记的考评员录入。"
