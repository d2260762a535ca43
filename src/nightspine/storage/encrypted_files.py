"""Files encrypted at rest in fixed-size chunks: uploaded recordings, hundreds of MB, are never
held whole in memory, neither when they are written nor when they are read back.

A file is a header, then records. The header is :data:`MAGIC` and 16 random bytes naming the
file. Each record is a 4-byte big-endian length and a Fernet token (the same keys as every
other value at rest, :mod:`nightspine.storage.crypto`), kept as the token's bytes rather than
its base64 text, which would make the file a third larger. A token holds the file's 16 bytes, the
chunk's number (8 bytes), a byte saying whether it is the last chunk, and up to
:data:`CHUNK_BYTES` of the file. So a chunk moved to another place or another file, or a file
cut short or lengthened, is refused when it is read, and key rotation re-encrypts one token at
a time (:func:`rotate_file`).
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import struct
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from nightspine.errors import StorageError
from nightspine.storage import crypto

MAGIC = b"nightspine encrypted file v1\n"
CHUNK_BYTES = 1024 * 1024
"""Plain bytes per token: memory stays near 4 MB (the chunk, its token and its text)."""

_ID_BYTES = 16
_LENGTH = struct.Struct(">I")
_CHUNK_HEAD = struct.Struct(">QB")  # chunk number, last-chunk flag
_MAX_TOKEN_BYTES = 2 * CHUNK_BYTES  # a chunk's record is under 100 bytes longer


class EncryptedWriter:
    """Write a new encrypted file (owner-only, 0600) from bytes given in any pieces."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file_id = secrets.token_bytes(_ID_BYTES)
        self.plain_bytes = 0
        self._number = 0
        self._pending = bytearray()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(fd, 0o600)  # the umask may have narrowed it further; never widened
        self._handle: BinaryIO = os.fdopen(fd, "wb")
        self._handle.write(MAGIC + self.file_id)

    def write(self, data: bytes) -> None:
        self.plain_bytes += len(data)
        self._pending += data
        # Keep at least one byte back: the last chunk is only known at close().
        while len(self._pending) > CHUNK_BYTES:
            self._emit(bytes(self._pending[:CHUNK_BYTES]), last=False)
            del self._pending[:CHUNK_BYTES]

    def close(self) -> None:
        """Write the last chunk (perhaps empty) and close the file."""
        self._emit(bytes(self._pending), last=True)
        self._pending.clear()
        self._handle.close()

    def abort(self) -> None:
        """Close and delete a file that will not be finished."""
        self._handle.close()
        self.path.unlink(missing_ok=True)

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        token = crypto.encrypt_bytes(self.file_id + _CHUNK_HEAD.pack(self._number, last) + chunk)
        self._handle.write(_record(token))
        self._number += 1

    def __enter__(self) -> EncryptedWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def _record(token: bytes) -> bytes:
    raw = base64.urlsafe_b64decode(token)
    return _LENGTH.pack(len(raw)) + raw


def write_encrypted(path: Path, pieces: Iterable[bytes]) -> int:
    """Encrypt ``pieces`` into a new file at ``path``; the number of plain bytes written."""
    with EncryptedWriter(path) as writer:
        for piece in pieces:
            writer.write(piece)
    return writer.plain_bytes


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is in this format (files from before encryption are not)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError as exc:
        raise StorageError(f"{path} cannot be read ({exc.strerror or exc})") from exc


def _tokens(handle: BinaryIO, path: Path) -> Iterator[bytes]:
    """The tokens (as Fernet takes them) of an open encrypted file, after its header."""
    while True:
        head = handle.read(_LENGTH.size)
        if not head:
            return
        length = _LENGTH.unpack(head)[0] if len(head) == _LENGTH.size else 0
        if not 0 < length <= _MAX_TOKEN_BYTES:
            raise StorageError(f"{path} is damaged (a chunk length is wrong); restore it")
        token = handle.read(length)
        if len(token) != length:
            raise StorageError(f"{path} is damaged (a chunk is cut short); restore it")
        yield base64.urlsafe_b64encode(token)


def _read_header(handle: BinaryIO, path: Path) -> bytes:
    header = handle.read(len(MAGIC) + _ID_BYTES)
    if len(header) != len(MAGIC) + _ID_BYTES or not header.startswith(MAGIC):
        raise StorageError(f"{path} is not an encrypted nightspine file")
    return header[len(MAGIC) :]


def iter_decrypted(path: Path) -> Iterator[bytes]:
    """The plain content of an encrypted file, one chunk at a time, checked in order."""
    with path.open("rb") as handle:
        file_id = _read_header(handle, path)
        expected, done = 0, False
        for token in _tokens(handle, path):
            plain = crypto.decrypt_bytes(token)
            head = plain[: _ID_BYTES + _CHUNK_HEAD.size]
            if len(head) != _ID_BYTES + _CHUNK_HEAD.size:
                raise StorageError(f"{path} is damaged (a chunk is too short); restore it")
            number, last = _CHUNK_HEAD.unpack(head[_ID_BYTES:])
            if done or head[:_ID_BYTES] != file_id or number != expected:
                raise StorageError(f"{path} is damaged (chunks out of place); restore it")
            yield plain[len(head) :]
            expected, done = expected + 1, bool(last)
        if not done:
            raise StorageError(f"{path} is damaged (its end is missing); restore it")


def rotate_file(path: Path) -> None:
    """Re-encrypt ``path`` with the newest key, token by token (a plain file from before
    encryption is encrypted); the new file replaces the old one only once it is complete."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.rotating")
    try:
        if not is_encrypted(path):
            with path.open("rb") as plain:
                write_encrypted(tmp, iter(lambda: plain.read(CHUNK_BYTES), b""))
        else:
            with path.open("rb") as handle:
                header = MAGIC + _read_header(handle, path)
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    out.write(header)
                    for token in _tokens(handle, path):
                        out.write(_record(crypto.rotate_token(token)))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def plain_copy(path: Path, folder: Path, suffix: str) -> Iterator[Path]:
    """A decrypted copy of ``path`` for readers that need a file (0600, in ``folder``, which
    must be private), deleted when the block ends. A file from before encryption is given as
    it is."""
    if not is_encrypted(path):
        yield path
        return
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="reading-", dir=folder)  # mode 0600
    copy = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in iter_decrypted(path):
                out.write(chunk)
        yield copy
    finally:
        copy.unlink(missing_ok=True)


def remove_stale_copies(folder: Path, older_than_s: float) -> int:
    """Delete plain copies left in ``folder`` by a process that was killed; how many."""
    removed = 0
    cutoff = time.time() - older_than_s
    for each in folder.glob("*") if folder.is_dir() else ():
        with contextlib.suppress(OSError):
            if each.is_file() and each.stat().st_mtime < cutoff:
                each.unlink()
                removed += 1
    return removed


__all__ = [
    "CHUNK_BYTES",
    "MAGIC",
    "EncryptedWriter",
    "is_encrypted",
    "iter_decrypted",
    "plain_copy",
    "remove_stale_copies",
    "rotate_file",
    "write_encrypted",
]
