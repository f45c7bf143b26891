"""The job API: 202 with an id, status by id, the result once done, errors as records."""

from __future__ import annotations

import time

from steppe.web import create_app
from steppe.web.jobs import JobStore


def _poll(c, url: str, seconds: float = 60.0) -> dict:
    end = time.monotonic() + seconds
    while True:
        record = c.get(url).json()
        if record["status"] in ("done", "failed") or time.monotonic() > end:
            return record
        time.sleep(0.05)


def test_matrix_job_gives_the_same_answer_as_the_endpoint(small_network, make_client):
    body = {"origins": ["Ulaanbaatar", "Beijing"], "destinations": ["Erenhot"]}
    with make_client(create_app(small_network)) as c:
        res = c.post("/api/jobs", json={"kind": "matrix", **body})
        assert res.status_code == 202
        job = res.json()
        assert job["status"] in ("queued", "running", "done") and "pid" not in job
        record = _poll(c, job["status_url"])
        assert record["status"] == "done", record
        assert record["result_url"] == f"/api/jobs/{job['id']}/result"
        assert c.get(record["result_url"]).json() == c.post("/api/matrix", json=body).json()


def test_failed_job_says_why(small_network, make_client):
    with make_client(create_app(small_network)) as c:
        body = {"kind": "matrix", "origins": ["Atlantis", "Beijing"]}
        job = c.post("/api/jobs", json=body).json()
        record = _poll(c, job["status_url"])
        assert record["status"] == "failed"
        assert record["error"]["type"] == "UnknownPlaceError"
        assert c.get(f"/api/jobs/{job['id']}/result").status_code == 404


def test_bad_job_request_is_refused_at_once(client):
    body = {"kind": "impact", "scenario": "titr-2030", "draws": 10**6}
    res = client.post("/api/jobs", json=body)
    assert res.status_code == 422 and "at most 2000 draws" in res.json()["error"]["message"]
    res = client.post("/api/jobs", json={"kind": "compare", "scenario": "../x"})
    assert res.status_code == 422
    assert client.post("/api/jobs", json={"kind": "sleep"}).status_code == 422


def test_unknown_job_is_404(client):
    assert client.get("/api/jobs/" + "0" * 32).status_code == 404
    assert client.get("/api/jobs/../../etc/passwd").status_code == 404
    assert client.get("/api/jobs/" + "g" * 32).status_code == 422


def test_records_are_shared_through_the_folder(tmp_path):
    one, two = JobStore(tmp_path), JobStore(tmp_path)  # two worker processes
    job = one.create("compare")
    one.start(job)
    assert two.get(job)["status"] == "running"
    one.finish(job, {"x": 1})
    assert two.result(job) == {"x": 1}
    assert two.expire(ttl_s=3600) == 0 and one.expire(ttl_s=-1) == 2


def test_job_reports_progress(small_network, make_client, monkeypatch):
    import threading

    from steppe._progress import report_progress

    go_on = threading.Event()

    class Done:
        def to_dict(self):
            return {"rows": []}

    def half_then_wait(*args, **kwargs):
        report_progress(1, 2)
        go_on.wait(10)
        return Done()

    monkeypatch.setattr("steppe.routing.matrix", half_then_wait)
    with make_client(create_app(small_network)) as c:
        job = c.post("/api/jobs", json={"kind": "matrix", "origins": ["Beijing", "Erenhot"]})
        url = job.json()["status_url"]
        end = time.monotonic() + 10
        while c.get(url).json()["progress"] != 0.5 and time.monotonic() < end:
            time.sleep(0.02)
        assert c.get(url).json()["progress"] == 0.5
        go_on.set()
        record = _poll(c, url)
    assert record["status"] == "done" and record["progress"] == 1.0
