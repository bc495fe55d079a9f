"""The rules of a complaint: what is refused (and which field says why), where it goes, its deadlines in working
days, the tracking code (shows nothing but the status, reopens once), the handler's steps in scope, the reveal."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from jineng.complaints import selectors, services
from jineng.complaints.models import Complaint, ComplaintStep, Status

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"0" * 100


# ---- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"content": ""}, "content", "content_required"),
        ({"content": "   \n "}, "content", "content_required"),
        ({"content": "字" * 2001}, "content", "content_too_long"),
        ({"object_name": " "}, "object_name", "object_required"),
        ({"object_name": "不在目录里的工作室"}, "region", "region_required"),
        ({"object_name": "不在目录里的工作室", "region": "999999"}, "region", "unknown_region"),
        ({"category": "gossip"}, "category", "bad_choice"),
        ({"object_kind": "person"}, "object_kind", "bad_choice"),
        ({"phone": "12345"}, "phone", "bad_phone"),
        ({"name": "", "phone": ""}, "phone", "contact_required"),
    ],
)
def test_bad_input_is_refused_naming_the_field(file_one: Any, changes: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        file_one(**changes)
    assert refused.value.code == code and refused.value.fields[0].field == field
    assert not Complaint.objects.exists()


def test_an_oversized_attachment_is_refused_and_nothing_is_kept(file_one: Any) -> None:
    big = services.Upload("大.pdf", "application/pdf", io.BytesIO(b"%PDF-" + b"0" * (5 * 1024 * 1024)))
    with pytest.raises(ValidationFailed) as refused:
        file_one(files=[big])
    assert refused.value.code == "too_large" and refused.value.fields[0].field == "file"
    assert not Complaint.objects.exists()


def test_an_attachment_of_another_type_or_too_many_are_refused(file_one: Any) -> None:
    exe = services.Upload("a.exe", "application/octet-stream", io.BytesIO(b"MZ\x90\x00"))
    with pytest.raises(ValidationFailed) as refused:
        file_one(files=[exe])
    assert refused.value.code == "type_not_allowed"
    four = [services.Upload(f"{i}.pdf", "application/pdf", io.BytesIO(PDF)) for i in range(4)]
    with pytest.raises(ValidationFailed) as refused:
        file_one(files=four)
    assert refused.value.code == "too_many_files"


# ---- routing, deadlines, contact ---------------------------------------------------------------------------------


def test_a_listed_provider_routes_the_complaint_to_its_region_with_the_regions_deadlines(
    world: Any, file_one: Any
) -> None:
    from jineng.refdata.api import add_workdays

    complaint, code = file_one(region="440104", files=[services.Upload("证据.pdf", "application/pdf",
                                                                      io.BytesIO(PDF))])  # fmt: skip
    assert complaint.region_id == "440106" and complaint.organization_id == world.school.pk  # the school's, not 越秀
    assert complaint.ack_due == add_workdays(complaint.received_on, 5, "440106")
    assert complaint.answer_due == add_workdays(complaint.received_on, 20, "440106")
    assert complaint.status == Status.RECEIVED and len(services.complaint_attachments(complaint)) == 1
    assert len(code) == 14 and code[4] == code[9] == "-"


def test_a_region_sets_its_own_deadlines(world: Any, file_one: Any) -> None:
    from jineng.refdata.api import add_workdays, setting_set

    setting_set(actor=None, key="complaints.answer_workdays", region_code="440100", value=10,
                valid_from=dt.date(2020, 1, 1), reason="广州的答复时限")  # fmt: skip
    complaint, _code = file_one()
    assert complaint.answer_due == add_workdays(complaint.received_on, 10, "440106")  # inherited from 广州


def test_free_text_objects_go_to_the_region_named(file_one: Any) -> None:
    complaint, _code = file_one(object_name="某培训咨询工作室", region="440104")
    assert complaint.region_id == "440104" and complaint.organization_id is None


def test_the_contact_is_stored_encrypted_and_masked_and_anonymous_keeps_none(file_one: Any) -> None:
    complaint, _code = file_one()
    assert complaint.phone_masked == "137****1234" and complaint.name_masked == "周*华"
    assert "13760001234" not in complaint.phone_enc and "周建华" not in complaint.name_enc
    anonymous, _code = file_one(anonymous=True)
    assert anonymous.phone_enc == anonymous.name_enc == anonymous.phone_masked == ""


# ---- the tracking code -----------------------------------------------------------------------------------------


@given(st.text(alphabet=services.ALPHABET, min_size=12, max_size=12))
def test_a_code_reads_back_however_it_is_typed(raw: str) -> None:
    typed = f" {raw[:4].lower()} -{raw[4:8]}- {raw[8:]} "
    assert services.code_normalize(typed) == raw


@pytest.mark.parametrize("bad", ["", "ABCD", "ABCD-EFGH-JKMN-PQRS", "ABCD-EFGH-JKM!", "ABCD-EFGH-JKMU"])
def test_a_malformed_or_unknown_code_finds_nothing(file_one: Any, bad: str) -> None:
    file_one()
    with pytest.raises(NotFound) as refused:
        services.complaint_by_code(bad)
    assert refused.value.code == "bad_code"
    with pytest.raises(NotFound):
        services.complaint_by_code("ABCD-EFGH-JKMN")  # well formed, nobody's


def test_the_code_shows_the_status_and_nothing_personal(world: Any, file_one: Any) -> None:
    complaint, code = file_one()
    services.complaint_reply(actor=world.handler, complaint=complaint, text="已责令整改。")
    shown = selectors.public_status(services.complaint_by_code(code.lower()))
    assert shown["status"] == "answered" and shown["reply"] == "已责令整改。" and shown["can_reopen"]
    text = repr(shown)
    for secret in ("周", "1376", "1234", world.school.name, "800", complaint.number):
        assert secret not in text


def test_reopen_once_after_the_answer(world: Any, file_one: Any) -> None:
    complaint, code = file_one()
    with pytest.raises(InvalidState) as early:
        services.complaint_reopen(code=code, reason="还没有答复")
    assert early.value.code == "not_answered"
    services.complaint_reply(actor=world.handler, complaint=complaint, text="已核查。")
    with pytest.raises(ValidationFailed) as empty:
        services.complaint_reopen(code=code, reason=" ")
    assert empty.value.code == "reason_required"
    reopened = services.complaint_reopen(code=code, reason="钱还没退。")
    assert reopened.status == Status.ACKNOWLEDGED and reopened.reopened_at is not None
    services.complaint_reply(actor=world.handler, complaint=reopened, text="已退款。")
    with pytest.raises(InvalidState) as again:
        services.complaint_reopen(code=code, reason="再来一次")
    assert again.value.code == "reopen_used"
    assert selectors.public_status(services.complaint_by_code(code))["can_reopen"] is False


# ---- the handler -------------------------------------------------------------------------------------------------


def test_the_handlers_steps_in_order_and_out_of_region_refused(world: Any, file_one: Any) -> None:
    complaint, _code = file_one()
    with pytest.raises(PermissionDenied):
        services.complaint_acknowledge(actor=world.other, complaint=complaint)
    complaint = services.complaint_acknowledge(actor=world.handler, complaint=complaint)
    assert complaint.handler == world.handler
    with pytest.raises(ValidationFailed):
        services.complaint_note(actor=world.handler, complaint=complaint, text="")
    services.complaint_note(actor=world.handler, complaint=complaint, text="已电话联系。")
    with pytest.raises(InvalidState):
        services.complaint_close(actor=world.handler, complaint=complaint)  # not answered yet
    with pytest.raises(ValidationFailed):
        services.complaint_reply(actor=world.handler, complaint=complaint, text="")
    complaint = services.complaint_reply(actor=world.city, complaint=complaint, text="已责令整改。")
    complaint = services.complaint_close(actor=world.handler, complaint=complaint)
    assert complaint.status == Status.CLOSED
    kinds = list(ComplaintStep.objects.filter(complaint=complaint).values_list("kind", flat=True))
    assert kinds == ["receive", "acknowledge", "note", "reply", "close"]


def test_overdue_flags_follow_the_deadlines(world: Any, file_one: Any) -> None:
    complaint, _code = file_one()
    later = complaint.answer_due + dt.timedelta(days=1)
    assert selectors.flags(complaint, later) == {"ack_overdue": True, "answer_overdue": True}
    assert selectors.flags(complaint, complaint.received_on) == {"ack_overdue": False, "answer_overdue": False}
    answered = services.complaint_reply(actor=world.handler, complaint=complaint, text="已答复。")
    assert selectors.flags(answered, later) == {"ack_overdue": False, "answer_overdue": False}


def test_reveal_needs_a_reason_and_the_region_and_is_audited(world: Any, file_one: Any) -> None:
    from jineng.common.audit.models import AuditEntry

    complaint, _code = file_one()
    with pytest.raises(ValidationFailed):
        services.complaint_reveal(actor=world.handler, complaint=complaint, field="phone", reason="")
    with pytest.raises(PermissionDenied):
        services.complaint_reveal(actor=world.other, complaint=complaint, field="phone", reason="回访")
    assert services.complaint_reveal(actor=world.handler, complaint=complaint, field="phone",
                                     reason="电话回访") == "13760001234"  # fmt: skip
    entry = AuditEntry.objects.get(action="complaint.reveal")
    assert entry.reason == "电话回访" and "13760001234" not in repr(entry.after)


def test_a_complaint_links_to_a_supervision_case_of_its_region_only(world: Any, file_one: Any) -> None:
    from jineng.supervision.models import Case

    def case(number: str, region: str) -> Case:
        return Case.objects.create(number=number, rule="shared_phone", fingerprint=number.ljust(64, "0"),
                                   severity="high", region_id=region, summary="多人共用同一手机号")  # fmt: skip

    case("XS20260000007", "440106")
    case("XS20260000008", "440104")
    complaint, _code = file_one()
    for wrong in ("XS20260000008", "XS20269999999", ""):
        with pytest.raises(ValidationFailed) as refused:
            services.complaint_link_case(actor=world.city, complaint=complaint, text=wrong)
        assert refused.value.fields[0].field == "text"
    linked = services.complaint_link_case(actor=world.handler, complaint=complaint, text=" xs20260000007 ")
    assert linked.case_ref == "XS20260000007"
