"""证件号码校验 — identity document numbers: validation, normalization, derived birth date and sex.

Pure Python (no Django, no database). What the rules need to know about the world is injected:

- ``region_known(code) -> bool`` tells whether a six-digit address code appears in some edition of GB/T 2260
  (a retired code is fine, an unknown one is an error);
- ``today`` is the date a birth date may not be after.

Supported documents:

- 居民身份证 (GB 11643-1999): 18 characters, 6-digit address code, 8-digit birth date, 3-digit sequence (odd =
  male), ISO 7064 MOD 11-2 check character (0-9 or X). A 15-digit first-generation number (address, YYMMDD,
  sequence; born 19YY, no check character) is upgraded to 18 digits.
- 港澳台居民居住证 (2018): the same structure with address code 810000 (Hong Kong), 820000 (Macao) or 830000
  (Taiwan).
- 外国人永久居留身份证: the 2004/2017 format of 15 characters (3 Latin letters for the nationality, 2 digits for
  the province that accepted the application, YYMMDD birth date, 4 further digits) and the 2023 format of 18
  characters (``9``, 2-digit province, 3-digit numeric nationality, YYYYMMDD, 3-digit sequence with odd = male,
  MOD 11-2 check character as GB 11643). The 2004/2017 check digit has no published algorithm, so only its
  structure and birth date are checked; its sex is not derivable.
- 护照, 台湾居民来往大陆通行证 and other documents: structure only, accepted with manual verification.

Each rejection is an ``IdRejection`` with a stable code and a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class DocType(StrEnum):
    """证件类型."""

    RESIDENT_ID = "resident_id"  # 居民身份证
    RESIDENT_ID_LEGACY = "resident_id_15"  # 居民身份证（一代15位，历史数据原样保存）
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"  # 港澳台居民居住证
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"  # 外国人永久居留身份证
    PASSPORT = "passport"  # 护照
    TAIWAN_TRAVEL_PERMIT = "taiwan_travel_permit"  # 台湾居民来往大陆通行证（台胞证）
    HK_MACAO_TRAVEL_PERMIT = "hk_macao_travel_permit"  # 港澳居民来往内地通行证


DOC_TYPE_LABELS: dict[DocType, str] = {
    DocType.RESIDENT_ID: "居民身份证",
    DocType.RESIDENT_ID_LEGACY: "居民身份证（15位旧号码）",
    DocType.HMT_RESIDENCE_PERMIT: "港澳台居民居住证",
    DocType.FOREIGN_PERMANENT_RESIDENT: "外国人永久居留身份证",
    DocType.PASSPORT: "护照",
    DocType.TAIWAN_TRAVEL_PERMIT: "台湾居民来往大陆通行证",
    DocType.HK_MACAO_TRAVEL_PERMIT: "港澳居民来往内地通行证",
}

# 证件类型 as people write it in a spreadsheet or form: the labels above, the codes, and the usual short names. The
# one table every reader of a document type uses (the person import, the roster import, the forms).
DOC_TYPE_NAMES: dict[str, DocType] = (
    {label: t for t, label in DOC_TYPE_LABELS.items()}
    | {t.value: t for t in DocType}
    | {
        "身份证": DocType.RESIDENT_ID,
        "居民身份证": DocType.RESIDENT_ID,
        "二代身份证": DocType.RESIDENT_ID,
        "第二代居民身份证": DocType.RESIDENT_ID,
        "港澳台居民居住证": DocType.HMT_RESIDENCE_PERMIT,
        "港澳居民居住证": DocType.HMT_RESIDENCE_PERMIT,
        "台湾居民居住证": DocType.HMT_RESIDENCE_PERMIT,
        "外国人永久居留证": DocType.FOREIGN_PERMANENT_RESIDENT,
        "外国人永久居留身份证": DocType.FOREIGN_PERMANENT_RESIDENT,
        "护照": DocType.PASSPORT,
        "台胞证": DocType.TAIWAN_TRAVEL_PERMIT,
        "港澳通行证": DocType.HK_MACAO_TRAVEL_PERMIT,
        "回乡证": DocType.HK_MACAO_TRAVEL_PERMIT,
    }
)


def doc_type_named(text: str | None) -> DocType | None:
    """The document type a cell or form value names (label, code or common short name), or None when unknown."""
    key = "".join((text or "").split())
    return DOC_TYPE_NAMES.get(key)


# Documents whose numbers are checked by algorithm; the others need a person to verify them.
ALGORITHMIC = frozenset(
    {
        DocType.RESIDENT_ID,
        DocType.RESIDENT_ID_LEGACY,
        DocType.HMT_RESIDENCE_PERMIT,
        DocType.FOREIGN_PERMANENT_RESIDENT,
    }
)

# The 18-digit resident-ID family: a 15-digit legacy number and its 18-digit upgrade are the same person.
RESIDENT_FAMILY = frozenset({DocType.RESIDENT_ID, DocType.RESIDENT_ID_LEGACY})

HMT_PREFIXES = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
# Two-digit province codes of GB/T 2260 (the acceptance province of a permanent-residence card).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    }
)  # fmt: skip
EARLIEST_BIRTH = dt.date(1900, 1, 1)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class IdRejection:
    """Why a number was refused: a stable code and a Chinese message."""

    code: str
    message: str


@dataclass(frozen=True)
class ParsedId:
    """A valid, normalized document number and what it tells."""

    doc_type: DocType
    number: str  # normalized: upper case, no spaces; 15-digit resident numbers upgraded to 18
    birth_date: dt.date | None
    sex: Sex | None
    region_code: str | None  # the address code (resident ID, HMT permit)
    original: str  # as given after normalization of width and spaces (a 15-digit number stays 15 here)
    upgraded: bool = False  # True when a 15-digit number was upgraded to 18

    @property
    def needs_manual_verification(self) -> bool:
        return self.doc_type not in ALGORITHMIC


RegionKnown = Callable[[str], bool]

# Error codes (stable) and messages (Chinese).
E_REQUIRED = IdRejection("id_required", "证件号码不能为空。")
E_LENGTH = IdRejection("id_bad_length", "居民身份证号码应为18位（一代证为15位）。")
E_CHARS = IdRejection("id_bad_chars", "居民身份证号码前17位须为数字，末位为数字或X。")
E_CHARS_15 = IdRejection("id_bad_chars", "15位身份证号码须全部为数字。")
E_CHECKSUM = IdRejection("id_bad_checksum", "身份证号码校验位不正确（可能有数字录错）。")
E_DATE = IdRejection("id_bad_birth_date", "身份证号码中的出生日期不是有效日期。")
E_FUTURE = IdRejection("id_future_birth_date", "身份证号码中的出生日期晚于今天。")
E_TOO_EARLY = IdRejection("id_birth_date_too_early", "身份证号码中的出生日期早于1900年。")
E_REGION = IdRejection("id_unknown_region", "身份证号码前6位不是任何版本《中华人民共和国行政区划代码》中的代码。")
E_HMT_PREFIX = IdRejection(
    "id_bad_hmt_prefix", "港澳台居民居住证号码应以810000（香港）、820000（澳门）或830000（台湾）开头。"
)
E_FOREIGN_FORMAT = IdRejection(
    "id_bad_foreign_format",
    "外国人永久居留身份证号码应为18位（2023版，以9开头）或15位（3位字母国籍代码加12位数字）。",
)
E_FOREIGN_PROVINCE = IdRejection("id_bad_foreign_province", "外国人永久居留身份证号码中的受理地省份代码不正确。")
E_FOREIGN_NATIONALITY = IdRejection("id_bad_nationality", "外国人永久居留身份证号码中的国籍代码不正确。")
E_TYPE_MISMATCH = IdRejection("id_type_mismatch", "证件号码与所选证件类型不符。")
E_OTHER_FORMAT = IdRejection("id_bad_format", "证件号码格式不正确（应为5–20位字母或数字）。")
E_UNKNOWN_TYPE = IdRejection("id_unknown_doc_type", "不支持的证件类型。")
E_NUMERIC_PRECISION = IdRejection(
    "id_numeric_precision_lost",
    "证件号码被表格软件存成了数字（科学计数法），已丢失末尾数字：请把该列设为文本格式后重新填写。",
)

_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff-]+")
_OTHER_DOC = re.compile(r"^[A-Z0-9]{5,20}$")


def normalize_number(raw: str) -> str:
    """Full-width to half-width (NFKC), spaces and hyphens removed, upper case (a trailing x becomes X)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", raw or "")).upper()


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of GB 11643 for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def upgrade_15_to_18(number15: str) -> str:
    """First-generation 15-digit number → 18 digits: insert the century ``19`` and append the check character."""
    body = number15[:6] + "19" + number15[6:15]
    return body + check_character(body)


def downgrade_18_to_15(number18: str) -> str | None:
    """The 15-digit form an 18-digit number had, if it could have had one (born in the 1900s)."""
    if len(number18) != 18 or number18[6:8] != "19":
        return None
    return number18[:6] + number18[8:17]


def _ascii_digits(text: str) -> bool:
    """Only 0–9: ``str.isdigit`` also accepts other scripts' digits (Arabic-Indic ٣, superscripts …), which NFKC
    leaves alone and an ID number never contains."""
    return bool(text) and text.isascii() and text.isdigit()


def _birth_date(text: str, today: dt.date) -> dt.date | IdRejection:
    try:
        born = dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return E_DATE
    if born > today:
        return E_FUTURE
    if born < EARLIEST_BIRTH:
        return E_TOO_EARLY
    return born


def _sex(sequence_digit: str) -> Sex:
    return Sex.MALE if int(sequence_digit) % 2 == 1 else Sex.FEMALE


def _check_18(number: str, today: dt.date) -> tuple[dt.date, Sex] | IdRejection:
    """Structure, birth date and check character of an 18-character GB 11643-style number."""
    if len(number) != 18:
        return E_LENGTH
    if not _ascii_digits(number[:17]) or not (_ascii_digits(number[17]) or number[17] == "X"):
        return E_CHARS
    born = _birth_date(number[6:14], today)
    if isinstance(born, IdRejection):
        return born
    if check_character(number[:17]) != number[17]:
        return E_CHECKSUM
    return born, _sex(number[16])


def _looks_numeric_float(number: str) -> bool:
    return bool(re.fullmatch(r"\d(\.\d+)?E\+?\d+", number))


def detect_doc_type(number: str) -> DocType:
    """Guess the document type of a normalized number (used when the type is not given)."""
    if re.fullmatch(r"[A-Z]{3}\d{12}", number):
        return DocType.FOREIGN_PERMANENT_RESIDENT
    if len(number) == 18 and number.startswith("9"):
        return DocType.FOREIGN_PERMANENT_RESIDENT
    if len(number) == 18 and number[:6] in HMT_PREFIXES:
        return DocType.HMT_RESIDENCE_PERMIT
    return DocType.RESIDENT_ID


def validate_resident_id(raw: str, *, region_known: RegionKnown, today: dt.date) -> ParsedId | IdRejection:
    """居民身份证: 18 digits with check character, or a 15-digit first-generation number upgraded to 18."""
    number = normalize_number(raw)
    if not number:
        return E_REQUIRED
    if _looks_numeric_float(number):
        return E_NUMERIC_PRECISION
    upgraded = False
    original = number
    if len(number) == 15:
        if not _ascii_digits(number):
            return E_CHARS_15
        born15 = _birth_date("19" + number[6:12], today)
        if isinstance(born15, IdRejection):
            return born15
        number = upgrade_15_to_18(number)
        upgraded = True
    checked = _check_18(number, today)
    if isinstance(checked, IdRejection):
        return checked
    if number[:6] in HMT_PREFIXES:
        return E_TYPE_MISMATCH
    if number.startswith("9"):
        return E_TYPE_MISMATCH
    if not region_known(number[:6]):
        return E_REGION
    born, sex = checked
    return ParsedId(DocType.RESIDENT_ID, number, born, sex, number[:6], original, upgraded)


def validate_hmt_permit(raw: str, *, today: dt.date) -> ParsedId | IdRejection:
    """港澳台居民居住证: GB 11643 structure with address code 810000, 820000 or 830000."""
    number = normalize_number(raw)
    if not number:
        return E_REQUIRED
    if len(number) == 18 and number[:6] not in HMT_PREFIXES:
        return E_HMT_PREFIX
    checked = _check_18(number, today)
    if isinstance(checked, IdRejection):
        return checked
    if number[:6] not in HMT_PREFIXES:
        return E_HMT_PREFIX
    born, sex = checked
    return ParsedId(DocType.HMT_RESIDENCE_PERMIT, number, born, sex, number[:6], number)


def validate_foreign_permanent(raw: str, *, today: dt.date) -> ParsedId | IdRejection:
    """外国人永久居留身份证, 2023 format (18, starts with 9) or 2004/2017 format (3 letters + 12 digits)."""
    number = normalize_number(raw)
    if not number:
        return E_REQUIRED
    if len(number) == 18:
        if not number.startswith("9"):
            return E_FOREIGN_FORMAT
        checked = _check_18(number, today)
        if isinstance(checked, IdRejection):
            return checked
        if number[1:3] not in PROVINCE_CODES:
            return E_FOREIGN_PROVINCE
        if number[3:6] == "000":
            return E_FOREIGN_NATIONALITY
        born18, sex = checked
        return ParsedId(DocType.FOREIGN_PERMANENT_RESIDENT, number, born18, sex, None, number)
    if len(number) == 15:
        if not re.fullmatch(r"[A-Z]{3}\d{12}", number):
            return E_FOREIGN_FORMAT
        if number[3:5] not in PROVINCE_CODES:
            return E_FOREIGN_PROVINCE
        yymmdd = number[5:11]
        # Two-digit year: the latest century that does not put the birth in the future.
        born15 = _birth_date("20" + yymmdd, today)
        if born15 == E_FUTURE:
            born15 = _birth_date("19" + yymmdd, today)
        if isinstance(born15, IdRejection):
            return born15
        return ParsedId(DocType.FOREIGN_PERMANENT_RESIDENT, number, born15, None, None, number)
    return E_FOREIGN_FORMAT


def validate_other_document(raw: str, doc_type: DocType) -> ParsedId | IdRejection:
    """Passports and travel permits: 5–20 letters or digits; a person verifies them by hand."""
    number = normalize_number(raw)
    if not number:
        return E_REQUIRED
    if not _OTHER_DOC.fullmatch(number):
        return E_OTHER_FORMAT
    return ParsedId(doc_type, number, None, None, None, number)


def validate_id_number(
    raw: str,
    *,
    doc_type: DocType | str | None = None,
    region_known: RegionKnown,
    today: dt.date,
) -> ParsedId | IdRejection:
    """Validate a document number of the given type (or the type its shape tells, when none is given)."""
    number = normalize_number(raw)
    if not number:
        return E_REQUIRED
    if doc_type is None or doc_type == "":
        kind = detect_doc_type(number)
    else:
        named = doc_type_named(str(doc_type))
        if named is None:
            return E_UNKNOWN_TYPE
        kind = named
    if kind in RESIDENT_FAMILY:
        return validate_resident_id(number, region_known=region_known, today=today)
    if kind is DocType.HMT_RESIDENCE_PERMIT:
        return validate_hmt_permit(number, today=today)
    if kind is DocType.FOREIGN_PERMANENT_RESIDENT:
        return validate_foreign_permanent(number, today=today)
    return validate_other_document(number, kind)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years of age on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


# Groups derived from sex and age, computed as of an event's date. Thresholds: 妇女 — a woman of working age
# (16 or older, the legal minimum working age); 青年 — 16 to 35 (中长期青年发展规划 defines youth as 14–35; the
# labour statistics start at 16).
WORKING_AGE = 16
YOUTH_MAX_AGE = 35


def derived_groups(*, sex: Sex | str | None, birth_date: dt.date | None, on: dt.date) -> frozenset[str]:
    """妇女 (``women``) and 青年 (``youth``) as of ``on``."""
    groups: set[str] = set()
    if birth_date is None:
        return frozenset()
    age = age_on(birth_date, on)
    if sex == Sex.FEMALE and age >= WORKING_AGE:
        groups.add("women")
    if WORKING_AGE <= age <= YOUTH_MAX_AGE:
        groups.add("youth")
    return frozenset(groups)
