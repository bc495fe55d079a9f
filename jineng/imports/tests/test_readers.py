"""Readers: headers by Chinese names with synonyms, spaces and full-width; formula cells as text; dates; encodings;
and every refusal of a file as a whole."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from jineng.imports.columns import Column, header_key, match_header, parse_date
from jineng.imports.readers import FileRefused, FormulaText, Limits, open_table
from jineng.imports.tests.helpers import write_csv, write_xlsx

LIMITS = Limits(max_rows=1000, max_columns=30, max_uncompressed=5 * 1024 * 1024)
COLUMNS = (
    Column("name", "姓名", required=True),
    Column("id_number", "身份证号码", ("身份证号", "公民身份号码", "证件号码"), required=True),
    Column("phone", "手机号码", ("手机号", "联系电话")),
)


def rows_of(path, limits=LIMITS):
    return list(open_table(path, limits=limits).rows())


def test_header_keys_tolerate_spaces_full_width_markers_and_notes():
    assert header_key(" 身份证 号码 ") == header_key("身份证号码")
    assert header_key("＊姓名（必填）") == "姓名"
    assert header_key("手机号码(选填)") == "手机号码"
    assert header_key("ＩＤ") == "id"


def test_header_found_below_a_title_row_with_synonyms(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["2026年培训花名册"], [], ["序号", "姓 名", "公民身份号码", "联系电话"],
                                            [1, "张三", "x", "y"]])  # fmt: skip
    rows = rows_of(path)
    header = match_header(rows[:10], COLUMNS, max_columns=30)
    assert header.row_number == 3
    assert header.positions == {"name": 1, "id_number": 2, "phone": 3}


def test_missing_required_column_refuses(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["姓名", "电话"], ["张三", "1"]])
    with pytest.raises(FileRefused) as exc:
        match_header(rows_of(path), COLUMNS, max_columns=30)
    assert exc.value.code == "missing_columns" and "身份证号码" in exc.value.message


def test_formula_cells_are_read_as_text_never_evaluated(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [["姓名", "身份证号码"], ['=A1&"x"', "=1+1"]])
    (_, _), (_, cells) = rows_of(path)
    assert isinstance(cells[0], FormulaText) and cells[0] == '=A1&"x"'
    assert isinstance(cells[1], FormulaText) and cells[1] == "=1+1"


def test_dates_numbers_and_inline_strings(tmp_path):
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [["日期", "号码", "文本"], [dt.date(2024, 5, 1), 13800138000, "中文 文本"]],
        date_cells={(2, 1): "yyyy-mm-dd"},
    )
    _, (_, cells) = rows_of(path)
    assert cells == ["2024-05-01", "13800138000", "中文 文本"]
    assert parse_date("45413") == dt.date(2024, 5, 1)  # an Excel serial in a text cell
    assert parse_date("2024年5月1日") == dt.date(2024, 5, 1)
    assert parse_date("2024/5/1") == dt.date(2024, 5, 1)
    assert parse_date("20240501") == dt.date(2024, 5, 1)
    assert parse_date("2024-02-30") is None


@pytest.mark.parametrize(
    "encoding,bom", [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False), ("utf-16", False)]
)
def test_csv_encodings(tmp_path, encoding, bom):
    path = write_csv(
        tmp_path / "p.csv", [["姓名", "身份证号码"], ["张三", "440106"], ["欧阳·娜娜", "1"]], encoding, bom
    )
    rows = rows_of(path)
    assert rows[0][1] == ["姓名", "身份证号码"]
    assert rows[2][1][0] == "欧阳·娜娜"


def test_csv_tab_separated(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("姓名\t身份证号码\n张三\t123\n", encoding="utf-8")
    assert rows_of(path)[1][1] == ["张三", "123"]


@pytest.mark.parametrize(
    "content,code",
    [
        (b"%PDF-1.4 not a sheet", "not_spreadsheet"),
        (b"\x89PNG\r\n\x1a\n....", "not_spreadsheet"),
        (bytes(range(256)) * 4, "not_spreadsheet"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"),
            "file_encrypted",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "Workbook".encode("utf-16-le"), "xls_not_supported"),
        (b"", "file_empty"),
    ],
)
def test_refused_files(tmp_path, content, code):
    path = tmp_path / "x.bin"
    path.write_bytes(content)
    with pytest.raises(FileRefused) as exc:
        table = open_table(path, limits=LIMITS)
        list(table.rows())
    assert exc.value.code == code and exc.value.message


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(FileRefused) as exc:
        open_table(path, limits=LIMITS)
    assert exc.value.code == "not_spreadsheet"


def test_zip_bomb_is_refused_from_the_directory_before_inflating(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    assert path.stat().st_size < 200 * 1024
    with pytest.raises(FileRefused) as exc:
        open_table(path, limits=LIMITS)
    assert exc.value.code == "zip_bomb"


def test_encrypted_zip_entries_are_refused(tmp_path):
    path = tmp_path / "enc.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(buffer.getvalue())
    # Set the "encrypted" flag bit in the local header and the central directory entry.
    data[6] |= 1
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1
    path.write_bytes(bytes(data))
    with pytest.raises(FileRefused) as exc:
        open_table(path, limits=LIMITS)
    assert exc.value.code == "file_encrypted"


def test_dtd_in_a_sheet_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", [["姓名"], ["张三"]])
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1)
            dst.writestr(item, data)
    with pytest.raises(FileRefused) as exc:
        list(open_table(evil, limits=LIMITS).rows())
    assert exc.value.code == "file_unsafe"


def test_too_many_columns_refused(tmp_path):
    path = write_xlsx(tmp_path / "wide.xlsx", [[f"c{i}" for i in range(40)]])
    with pytest.raises(FileRefused) as exc:
        list(open_table(path, limits=LIMITS).rows())
    assert exc.value.code == "too_many_columns"
    csv_path = write_csv(tmp_path / "wide.csv", [[f"c{i}" for i in range(40)]])
    with pytest.raises(FileRefused) as exc:
        list(open_table(csv_path, limits=LIMITS).rows())
    assert exc.value.code == "too_many_columns"


def test_row_estimate(tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", [["a"]] + [[i] for i in range(123)])
    assert open_table(path, limits=LIMITS).estimate_rows() == 124
    csv_path = write_csv(tmp_path / "n.csv", [["a"]] + [[i] for i in range(50)])
    assert open_table(csv_path, limits=LIMITS).estimate_rows() == 51


def test_a_workbook_within_the_uncompressed_limit_can_be_read_in_several_passes(tmp_path):
    """Each pass (row estimate, check pass, write pass) inflates the sheet again: the limit applies to a pass, not to
    their sum — a file under it is never refused as a zip bomb for being read twice."""
    rows = [["姓名", "备注"]] + [[f"学员{i}", "x" * 200] for i in range(400)]
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    with zipfile.ZipFile(path) as z:
        inflated = sum(i.file_size for i in z.infolist())
    limits = Limits(max_rows=1000, max_columns=30, max_uncompressed=int(inflated * 1.2))
    table = open_table(path, limits=limits)
    assert table.estimate_rows() == 401
    for _ in range(3):
        assert len(list(table.rows())) == 401
    # Beyond the limit it is still refused, on the first pass.
    tight = Limits(max_rows=1000, max_columns=30, max_uncompressed=inflated - 1)
    with pytest.raises(FileRefused) as exc:
        open_table(path, limits=tight)
    assert exc.value.code == "zip_bomb"
