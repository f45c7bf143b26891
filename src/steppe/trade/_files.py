"""Writing a store file without blocking its readers: a lock, a copy, and an atomic swap.

DuckDB lets one process hold a database file for writing, and then no other process may
open it, not even to read.  So steppe never writes the store file in place: a writer takes
an exclusive lock on ``<store>.lock`` (a second writer waits for it, up to a timeout), copies
the store to a temporary sibling, writes the copy, and renames it over the store.  Readers
open the store read-only at any time and see either the old file or the new one, whole; a
failed write leaves the store exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from steppe.errors import ConfigError, SteppeError

__all__ = ["StoreBusyError", "file_id", "locked", "swapped_copy"]


class StoreBusyError(TimeoutError, SteppeError):
    """Another process kept the trade store locked for writing longer than the timeout."""


def file_id(path: Path) -> tuple[int, int] | None:
    """Return (device, inode) of a file, which a swap changes; ``None`` if it is missing."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


@contextlib.contextmanager
def locked(path: Path, *, timeout: float) -> Iterator[None]:
    """Hold the exclusive write lock of a store file, waiting up to ``timeout`` seconds."""
    import fcntl

    lock = path.with_name(path.name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        f"another steppe process is writing the trade store {path} (waited "
                        f"{timeout:g} s); try again when it has finished, or use another "
                        "store with --store"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def swapped_copy(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a copy of ``path``; on success the copy replaces it.

    Call it holding :func:`locked`.  On an exception the copy is deleted and ``path`` is
    untouched.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        if path.is_file():
            if path.with_name(path.name + ".wal").is_file():  # a crashed writer's log
                duckdb.connect(str(path)).close()  # replays and checkpoints it
            shutil.copyfile(path, tmp)
        con = duckdb.connect(str(tmp))
    except (OSError, duckdb.Error) as e:
        tmp.unlink(missing_ok=True)
        raise ConfigError(f"cannot write the trade store {path}: {e}") from e
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, path)
    except BaseException:
        con.close()
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
