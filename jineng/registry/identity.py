"""Identity numbers in the registry: validation against the region table, hashing, encryption, masking.

The region knowledge the pure rules need is injected here: ``region_code_known`` answers whether a six-digit code
was ever a GB/T 2260 code. Today it asks the Region table (which holds retired codes once refdata loads them);
switching to refdata's edition-aware lookup is this one function.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from jineng.common.crypto import blind_index, decrypt, encrypt
from jineng.common.errors import FieldError, ValidationFailed
from jineng.common.masking import mask_bank_account, mask_id_number, mask_phone
from jineng.refdata.api import Region
from jineng.rules.contact import normalize_phone
from jineng.rules.idcard import IdRejection, ParsedId, validate_id_number

DOC_CONTEXT = "registry.identity_document.number"
PHONE_CONTEXT = "registry.person.phone"
BANK_CONTEXT = "registry.bank_account.account"

# The pure rules' rejection messages (jineng.rules.idcard, jineng.rules.contact) for the message catalogue: the
# rules cannot import Django, so their Chinese text is marked here and translated when the error is raised
# (``_reject``). jineng/registry/tests/test_identity_messages.py keeps this list in step with the rules.
ID_MESSAGES = (
    gettext_noop("证件号码不能为空。"),
    gettext_noop("居民身份证号码应为18位（一代证为15位）。"),
    gettext_noop("居民身份证号码前17位须为数字，末位为数字或X。"),
    gettext_noop("15位身份证号码须全部为数字。"),
    gettext_noop("身份证号码校验位不正确（可能有数字录错）。"),
    gettext_noop("身份证号码中的出生日期不是有效日期。"),
    gettext_noop("身份证号码中的出生日期晚于今天。"),
    gettext_noop("身份证号码中的出生日期早于1900年。"),
    gettext_noop("身份证号码前6位不是任何版本《中华人民共和国行政区划代码》中的代码。"),
    gettext_noop("港澳台居民居住证号码应以810000（香港）、820000（澳门）或830000（台湾）开头。"),
    gettext_noop("外国人永久居留身份证号码应为18位（2023版，以9开头）或15位（3位字母国籍代码加12位数字）。"),
    gettext_noop("外国人永久居留身份证号码中的受理地省份代码不正确。"),
    gettext_noop("外国人永久居留身份证号码中的国籍代码不正确。"),
    gettext_noop("证件号码与所选证件类型不符。"),
    gettext_noop("证件号码格式不正确（应为5–20位字母或数字）。"),
    gettext_noop("不支持的证件类型。"),
    gettext_noop("证件号码被表格软件存成了数字（科学计数法），已丢失末尾数字：请把该列设为文本格式后重新填写。"),
    gettext_noop("手机号码格式不正确（应为11位手机号码，或带区号的固定电话）。"),
)

_known_codes: set[str] = set()
_known_lock = threading.Lock()


def region_code_known(code: str) -> bool:
    """Was ``code`` a code of some edition of GB/T 2260? (cached; a miss asks the database again)."""
    if code in _known_codes:
        return True
    with _known_lock:
        if not _known_codes:
            _known_codes.update(Region.objects.values_list("code", flat=True))
            if code in _known_codes:
                return True
        if Region.objects.filter(code=code).exists():
            _known_codes.add(code)
            return True
    return False


def region_cache_clear() -> None:
    with _known_lock:
        _known_codes.clear()


def check_id_number(
    raw: str, *, doc_type: str | None = None, field: str = "id_number", today: dt.date | None = None
) -> ParsedId:
    """Validate a document number or raise a 422 whose field error names ``field`` with the rejection's code."""
    result = validate_id_number(
        raw, doc_type=doc_type or None, region_known=region_code_known, today=today or timezone.localdate()
    )
    if isinstance(result, IdRejection):
        raise _reject(result, field)
    return result


def _reject(rejection: IdRejection, field: str) -> ValidationFailed:
    """The 422 of a rejection, its message in the reader's language (Chinese, or English under English)."""
    message = gettext(rejection.message)
    return ValidationFailed(message, [FieldError(field, rejection.code, message)], code=rejection.code)


def check_phone(raw: str | None, *, field: str = "phone") -> str:
    result = normalize_phone(raw)
    if isinstance(result, IdRejection):
        raise _reject(result, field)
    return result


def number_hash(number: str) -> str:
    """The keyed hash of a normalized document number (a 15-digit number hashes as its 18-digit upgrade)."""
    return blind_index(number, context=DOC_CONTEXT)


def phone_hash(phone: str) -> str:
    return blind_index(phone, context=PHONE_CONTEXT)


def seal_number(number: str) -> tuple[str, str, str]:
    """(encrypted, hash, masked) of a normalized document number."""
    return encrypt(number, context=DOC_CONTEXT), number_hash(number), mask_id_number(number)


def seal_phone(phone: str) -> tuple[str, str, str]:
    if not phone:
        return "", "", ""
    return encrypt(phone, context=PHONE_CONTEXT), phone_hash(phone), mask_phone(phone)


def seal_bank_account(account: str) -> tuple[str, str, str]:
    return (
        encrypt(account, context=BANK_CONTEXT),
        blind_index(account, context=BANK_CONTEXT),
        mask_bank_account(account),
    )


def open_number(token: str) -> str:
    return decrypt(token, context=DOC_CONTEXT)


def open_phone(token: str) -> str:
    return decrypt(token, context=PHONE_CONTEXT)


def open_bank_account(token: str) -> str:
    return decrypt(token, context=BANK_CONTEXT)
