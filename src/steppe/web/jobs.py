"""Background jobs for long computations: a job id now, progress and the result later.

``POST /api/jobs/{kind}`` (compare, impact, matrix) admits the request, answers 202 with
the job's id and URLs, and runs it with the expensive work under ``job_timeout_s``.
``GET /api/jobs/{id}`` gives its status and ``GET /api/jobs/{id}/result`` the result.

Job records are small JSON files in one folder, written atomically (temporary file, then
rename), so every worker process of a server sees every job whichever process runs it.
A record whose process has ended while the job was queued or running reads as failed.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any, Literal

from steppe.errors import SteppeError

__all__ = ["JobStatus", "JobStore", "UnknownJobError"]

logger = logging.getLogger(__name__)

JobStatus = Literal["queued", "running", "done", "failed"]
_ID_CHARS = frozenset("0123456789abcdef")


class UnknownJobError(LookupError, SteppeError):
    """No job has this id (or its result has expired)."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's process
        return True
    return True


class JobStore:
    """Job records and results in a folder shared by the server's worker processes.

    Parameters
    ----------
    folder
        Where records live; ``None`` makes a private temporary folder.

    Examples
    --------
    >>> store = JobStore()
    >>> job = store.create("matrix")
    >>> store.get(job)["status"]
    'queued'
    >>> store.finish(job, {"rows": []})
    >>> store.result(job)
    {'rows': []}
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        if folder is None:
            folder = tempfile.mkdtemp(prefix="steppe-jobs-")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, job_id: str, suffix: str = ".json") -> Path:
        if len(job_id) != 32 or not set(job_id) <= _ID_CHARS:
            raise UnknownJobError(f"no job {job_id[:40]!r}")
        return self.folder / f"{job_id}{suffix}"

    def _write(self, path: Path, data: Any) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, allow_nan=False), encoding="utf-8")
        tmp.replace(path)

    def _update(self, job_id: str, **changes: Any) -> None:
        record = self._read(job_id)
        record.update(changes)
        self._write(self._path(job_id), record)

    def create(self, kind: str) -> str:
        """Write a queued job record; return its id."""
        job_id = secrets.token_hex(16)
        now = time.time()
        record = {
            "id": job_id,
            "kind": kind,
            "status": "queued",
            "created": now,
            "started": None,
            "finished": None,
            "elapsed_s": 0.0,
            "progress": 0.0,
            "status_url": f"/api/jobs/{job_id}",
            "result_url": None,
            "error": None,
            "pid": os.getpid(),
        }
        self._write(self._path(job_id), record)
        return job_id

    def start(self, job_id: str) -> None:
        """Mark a job as running."""
        self._update(job_id, status="running", started=time.time())

    def progress(self, job_id: str, fraction: float) -> None:
        """Record how much of a running job is done (0..1)."""
        self._update(job_id, progress=round(fraction, 3))

    def finish(self, job_id: str, result: Any) -> None:
        """Store a job's result and mark it done."""
        self._write(self._path(job_id, ".result.json"), result)
        self._update(
            job_id,
            status="done",
            finished=time.time(),
            progress=1.0,
            result_url=f"/api/jobs/{job_id}/result",
        )

    def fail(self, job_id: str, error: dict[str, Any]) -> None:
        """Mark a job as failed with an error body (``{"type", "message"}``)."""
        self._update(job_id, status="failed", finished=time.time(), error=error)

    def _read(self, job_id: str) -> dict[str, Any]:
        try:
            record: dict[str, Any] = json.loads(self._path(job_id).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UnknownJobError(f"no job {job_id!r}; results are kept for a while only") from None
        return record

    def get(self, job_id: str) -> dict[str, Any]:
        """Return a job's record, with ``elapsed_s`` brought up to date.

        Raises
        ------
        UnknownJobError
            If there is no such job.
        """
        record = self._read(job_id)
        if record["status"] in ("queued", "running"):
            if not _alive(int(record["pid"])):
                record.update(
                    status="failed",
                    error={"type": "WorkerEnded", "message": "the worker process ended"},
                )
            else:
                started = record["started"]
                record["elapsed_s"] = round(max(time.time() - started, 0.0), 3) if started else 0.0
        elif record["started"] is not None:
            record["elapsed_s"] = round(record["finished"] - record["started"], 3)
        del record["pid"]
        return record

    def result(self, job_id: str) -> Any:
        """Return a finished job's result.

        Raises
        ------
        UnknownJobError
            If there is no such job or it has not finished successfully.
        """
        record = self.get(job_id)
        if record["status"] != "done":
            raise UnknownJobError(f"job {job_id} has no result: it is {record['status']}")
        return json.loads(self._path(job_id, ".result.json").read_text(encoding="utf-8"))

    def expire(self, ttl_s: float) -> int:
        """Delete records and results older than ``ttl_s`` seconds; return how many."""
        cutoff = time.time() - ttl_s
        removed = 0
        for path in self.folder.glob("*.json"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # another process removed it first
                continue
        return removed
