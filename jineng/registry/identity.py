"""Identity numbers in the registry: validation against the region table, hashing, encryption, masking.

The region knowledge the pure rules need is injected here: ``region_code_known`` answers whether a six-digit code
was ever a GB/T 2260 code. Today it asks the Region table (which holds retired codes once refdata loads them);
switching to refdata's edition-aware lookup is this one function.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.utils import timezone

from jineng.common.crypto import blind_index, decrypt, encrypt
from jineng.common.errors import FieldError, ValidationFailed
from jineng.common.masking import mask_bank_account, mask_id_number, mask_phone
from jineng.refdata.api import Region
from jineng.rules.contact import normalize_phone
from jineng.rules.idcard import IdRejection, ParsedId, validate_id_number

DOC_CONTEXT = "registry.identity_document.number"
PHONE_CONTEXT = "registry.person.phone"
BANK_CONTEXT = "registry.bank_account.account"

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
        raise ValidationFailed(result.message, [FieldError(field, result.code, result.message)], code=result.code)
    return result


def check_phone(raw: str | None, *, field: str = "phone") -> str:
    result = normalize_phone(raw)
    if isinstance(result, IdRejection):
        raise ValidationFailed(result.message, [FieldError(field, result.code, result.message)], code=result.code)
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
