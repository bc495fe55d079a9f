"""The operations scripts refuse what would damage data: a restore over a non-empty directory or from something that
is not a base backup; the WAL archiver never overwrites a different segment of the same name."""

from __future__ import annotations

import subprocess  # noqa: S404 - runs the repository's own scripts
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603


def test_restore_refuses_a_non_empty_target_and_a_non_backup(tmp_path):
    base = tmp_path / "base"
    (base / "data").mkdir(parents=True)
    (base / "data" / "PG_VERSION").write_text("15\n")
    target = tmp_path / "target"
    target.mkdir()
    (target / "PG_VERSION").write_text("15\n")  # a live cluster, say
    result = _run(str(ROOT / "scripts/restore.sh"), "--base", str(base), "--wal", str(tmp_path),
                  "--datadir", str(target))  # fmt: skip
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (target / "PG_VERSION").read_text() == "15\n"
    result = _run(str(ROOT / "scripts/restore.sh"), "--base", str(tmp_path / "nothing"), "--wal", str(tmp_path),
                  "--datadir", str(tmp_path / "new"))  # fmt: skip
    assert result.returncode == 2 and "not a base backup" in result.stderr
    assert not (tmp_path / "new").exists()


def test_wal_archive_copies_once_and_refuses_a_different_segment_of_the_same_name(tmp_path):
    archive = tmp_path / "wal"
    archive.mkdir()
    segment = tmp_path / "000000010000000000000001"
    segment.write_bytes(b"a" * 1024)
    script = str(ROOT / "scripts/wal-archive.sh")
    assert _run(script, str(segment), segment.name, str(archive)).returncode == 0
    assert (archive / segment.name).read_bytes() == b"a" * 1024
    assert _run(script, str(segment), segment.name, str(archive)).returncode == 0  # the same again: fine
    segment.write_bytes(b"b" * 1024)
    result = _run(script, str(segment), segment.name, str(archive))
    assert result.returncode == 1 and "different content" in result.stderr
    assert (archive / segment.name).read_bytes() == b"a" * 1024
    assert not list(archive.glob("*.partial"))
