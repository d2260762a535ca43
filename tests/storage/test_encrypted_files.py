"""Chunked encrypted files (uploaded recordings at rest): what goes in comes out, in bounded
memory; chunks moved, dropped or added are refused; key rotation rewrites token by token."""

from __future__ import annotations

import os
import stat
import struct
import tracemalloc
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hypothesis import given, settings
from hypothesis import strategies as st

from nightspine.errors import StorageError
from nightspine.storage import crypto, encrypted_files

KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "configured_keys", lambda: KEY)


def _records(path: Path) -> tuple[bytes, list[bytes]]:
    """The header and the length-prefixed records of an encrypted file."""
    raw = path.read_bytes()
    head = len(encrypted_files.MAGIC) + 16
    records, at = [], head
    while at < len(raw):
        (length,) = struct.unpack(">I", raw[at : at + 4])
        records.append(raw[at : at + 4 + length])
        at += 4 + length
    return raw[:head], records


@settings(max_examples=40, deadline=None)
@given(
    pieces=st.lists(st.binary(max_size=300), max_size=12),
    chunk=st.integers(min_value=1, max_value=200),
)
def test_what_is_written_is_read_back_whatever_the_pieces_and_chunk_size(
    tmp_path_factory: pytest.TempPathFactory, pieces: list[bytes], chunk: int
) -> None:
    path = tmp_path_factory.mktemp("enc") / "f.cwa"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(encrypted_files, "CHUNK_BYTES", chunk)
        written = encrypted_files.write_encrypted(path, pieces)
        plain = b"".join(pieces)
        assert written == len(plain)
        back = list(encrypted_files.iter_decrypted(path))
    assert b"".join(back) == plain
    assert all(len(c) <= chunk for c in back)
    assert len(back) == max(1, -(-len(plain) // chunk))  # ceil, and an empty file is one chunk


def test_the_file_is_private_and_holds_no_plain_byte(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    secret = b"time,x,y,z\n" + b"1,0.98765,-0.12345,1.0\n" * 2000
    before = os.umask(0)  # even with the most open umask
    try:
        encrypted_files.write_encrypted(path, [secret])
    finally:
        os.umask(before)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_bytes()
    assert b"time,x,y,z" not in raw and b"0.98765" not in raw
    assert encrypted_files.is_encrypted(path)


def test_memory_stays_bounded_by_the_chunk_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encrypted_files, "CHUNK_BYTES", 64 * 1024)
    piece = os.urandom(64 * 1024 + 17)
    path = tmp_path / "long.bin"
    tracemalloc.start()
    try:
        encrypted_files.write_encrypted(path, (piece for _ in range(128)))  # 8 MB
        _, written_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        total = sum(len(c) for c in encrypted_files.iter_decrypted(path))
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == 128 * len(piece)
    assert written_peak < 1024 * 1024 and read_peak < 1024 * 1024, (written_peak, read_peak)


def _three_chunks(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, list[bytes]]:
    monkeypatch.setattr(encrypted_files, "CHUNK_BYTES", 10)
    encrypted_files.write_encrypted(path, [b"a" * 10, b"b" * 10, b"c" * 5])
    return _records(path)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda h, r: h + r[1] + r[0] + r[2], "out of place"),
        (lambda h, r: h + r[0] + r[1], "end is missing"),
        (lambda h, r: h + r[0] + r[1] + r[2] + r[2], "out of place"),
        (lambda h, r: h + r[0] + r[1] + r[2][:-3], "cut short"),
        (lambda h, r: b"plain" + r[0], "not an encrypted"),
    ],
)
def test_moved_dropped_added_or_cut_chunks_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: object, why: str
) -> None:
    path = tmp_path / "f.bin"
    head, records = _three_chunks(path, monkeypatch)
    path.write_bytes(change(head, records))  # type: ignore[operator]
    with pytest.raises(StorageError, match=why):
        b"".join(encrypted_files.iter_decrypted(path))


def test_a_chunk_from_another_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head, records = _three_chunks(tmp_path / "a.bin", monkeypatch)
    _, other = _three_chunks(tmp_path / "b.bin", monkeypatch)
    (tmp_path / "a.bin").write_bytes(head + records[0] + other[1] + records[2])
    with pytest.raises(StorageError, match="out of place"):
        b"".join(encrypted_files.iter_decrypted(tmp_path / "a.bin"))


def test_rotation_rewrites_with_the_new_key_and_keeps_the_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.cwa"
    monkeypatch.setattr(encrypted_files, "CHUNK_BYTES", 100)
    content = os.urandom(1000)
    encrypted_files.write_encrypted(path, [content])
    new = Fernet.generate_key().decode()
    monkeypatch.setattr(crypto, "configured_keys", lambda: f"{new},{KEY}")
    assert b"".join(encrypted_files.iter_decrypted(path)) == content  # the old key reads it
    encrypted_files.rotate_file(path)
    monkeypatch.setattr(crypto, "configured_keys", lambda: new)  # the old key is gone
    assert b"".join(encrypted_files.iter_decrypted(path)) == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.cwa"]  # no temporary file left
    monkeypatch.setattr(crypto, "configured_keys", lambda: KEY)
    with pytest.raises(StorageError, match="cannot be decrypted"):
        b"".join(encrypted_files.iter_decrypted(path))


def test_rotation_encrypts_a_plain_file_from_before(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes(b"time,x,y,z\n1,2,3,4\n")
    encrypted_files.rotate_file(path)
    assert encrypted_files.is_encrypted(path) and b"time" not in path.read_bytes()
    assert b"".join(encrypted_files.iter_decrypted(path)) == b"time,x,y,z\n1,2,3,4\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_plain_copy_is_private_and_deleted_after_use(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir(mode=0o700)
    kept = tmp_path / "kept.cwa"
    encrypted_files.write_encrypted(kept, [b"MD recording"])
    with encrypted_files.plain_copy(kept, work, ".cwa") as copy:
        assert copy.parent == work and copy.suffix == ".cwa"
        assert copy.read_bytes() == b"MD recording"
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert not copy.exists()
    with pytest.raises(RuntimeError), encrypted_files.plain_copy(kept, work, ".cwa") as copy:
        raise RuntimeError("the reader failed")
    assert not copy.exists()


def test_stale_copies_left_by_a_killed_process_are_removed(tmp_path: Path) -> None:
    old, fresh = tmp_path / "reading-1.cwa", tmp_path / "reading-2.cwa"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    os.utime(old, (1, 1))
    assert encrypted_files.remove_stale_copies(tmp_path, 3600) == 1
    assert not old.exists() and fresh.exists()
