"""The kernel's small pieces: records never hard-deleted, opaque time-ordered ids, masking, credit codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import string
import uuid

import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from jineng.common.codes import CREDIT_CHARSET, credit_code_check_char, credit_code_problem
from jineng.common.ids import uuid7
from jineng.common.masking import mask_bank_account, mask_id_number, mask_name, mask_phone, scrub_text
from jineng.common.models import BaseModel, RecordQuerySet

# ---- never hard-deleted -------------------------------------------------------------------------------------------


def test_base_model_refuses_delete_on_every_concrete_record_model():
    concrete = [m for m in apps.get_models() if issubclass(m, BaseModel)]
    for model in concrete:
        with pytest.raises(PermissionError, match="记录不可物理删除"):
            model().delete()
        assert isinstance(model._default_manager.all(), RecordQuerySet), model.__name__
    with pytest.raises(PermissionError):
        BaseModel.delete(object())  # type: ignore[arg-type]


def test_a_bulk_delete_of_records_is_refused_too():
    with pytest.raises(PermissionError, match="记录不可物理删除"):
        RecordQuerySet().delete()


@pytest.mark.django_db
def test_the_audit_trail_refuses_delete():
    from jineng.common.audit.services import audit_record
    from jineng.common.models import AuditEntry

    entry = audit_record(actor=None, action="create", object_type="x")
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


# ---- ids ----------------------------------------------------------------------------------------------------------


def test_uuid7_is_a_version_7_rfc_uuid_and_time_ordered():
    ids = [uuid7() for _ in range(200)]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in ids)
    assert len(set(ids)) == len(ids)
    stamps = [u.int >> 80 for u in ids]
    assert stamps == sorted(stamps)  # milliseconds never go backwards


# ---- masking ------------------------------------------------------------------------------------------------------

id_numbers = st.builds(
    lambda region, born, serial, check: f"{region}{born:%Y%m%d}{serial}{check}",
    st.integers(110000, 659999).map(str),
    st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
    st.text(string.digits, min_size=3, max_size=3),
    st.sampled_from(list(string.digits) + ["X"]),
)
phones = st.builds(
    lambda p, rest: p + rest, st.sampled_from(["13", "15", "18", "19"]), st.text(string.digits, min_size=9, max_size=9)
)


@given(id_numbers)
def test_id_numbers_keep_only_the_first_and_last_four(value):
    masked = mask_id_number(value)
    assert len(masked) == 18
    assert masked[:4] == value[:4] and masked[-4:] == value[-4:]
    assert set(masked[4:-4]) == {"*"}


@given(phones)
def test_phones_keep_only_the_first_three_and_last_four(value):
    assert mask_phone(value) == value[:3] + "****" + value[-4:]


# Fillers avoid the letters a-f: a phone glued to hex letters is taken for part of a digest and left alone.
@given(id_numbers, phones, st.text(alphabet="，。：xyz 姓名电话身份证", max_size=20))
def test_scrub_text_masks_ids_and_phones_inside_free_text(id_number, phone, filler):
    text = f"{filler}{id_number} {filler}{phone}{filler}"
    scrubbed = scrub_text(text)
    assert id_number not in scrubbed
    assert phone not in scrubbed
    assert scrub_text(scrubbed) == scrubbed  # idempotent


@given(id_numbers, st.sampled_from(["ID", "证件号", "a", "", " "]))
def test_id_numbers_glued_to_text_are_masked(id_number, prefix):
    assert id_number not in scrub_text(f"{prefix}{id_number}")


def test_phones_with_country_code_and_separators_are_masked():
    for text in ("+8613812345678", "8613812345678", "138-1234-5678", "138 1234 5678", "tel13812345678"):
        assert "1234" not in scrub_text(text), text


@given(st.binary(min_size=1, max_size=64))
def test_digests_are_left_intact(data):
    digest = hashlib.sha256(data).hexdigest()
    assert scrub_text(f"sha256={digest}") == f"sha256={digest}"


def test_masking_of_short_or_empty_values():
    assert mask_id_number("") == mask_phone(None) == mask_bank_account("") == mask_name("") == ""
    assert mask_id_number("1234") == "****"
    assert mask_bank_account("6222 0000 1111 2222") == "************2222"
    assert (mask_name("张"), mask_name("张三"), mask_name("欧阳小明")) == ("张", "张*", "欧**明")


def test_scrub_text_leaves_other_numbers_alone():
    assert scrub_text("第 12345 号，金额 1380.00 元，区划 440106") == "第 12345 号，金额 1380.00 元，区划 440106"


# ---- 统一社会信用代码 ---------------------------------------------------------------------------------------------------

first17s = st.builds(
    lambda head, region, rest: head + region + rest,
    st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=2, max_size=2),
    st.text(string.digits, min_size=6, max_size=6),
    st.text(CREDIT_CHARSET, min_size=9, max_size=9),
)


@given(first17s)
def test_a_code_with_its_check_character_is_accepted(first17):
    assert credit_code_problem(first17 + credit_code_check_char(first17)) is None


@given(first17s, st.sampled_from(CREDIT_CHARSET))
def test_a_wrong_check_character_is_refused(first17, check):
    code = first17 + check
    if check != credit_code_check_char(first17):
        assert credit_code_problem(code) == "统一社会信用代码校验位不正确。"


def test_known_credit_code_and_malformed_ones():
    assert credit_code_problem("91350100M000100Y43") is None  # a published example
    assert credit_code_problem("91350100M000100Y4") == "统一社会信用代码须为18位。"
    assert "不允许的字符" in (credit_code_problem("91350100M000100YI3") or "")
    assert credit_code_problem("9135A100M000100Y43") == "统一社会信用代码第3–8位须为行政区划代码。"
