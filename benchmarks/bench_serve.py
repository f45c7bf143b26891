"""Load test of the production server on loopback: mixed load, then a burst of expensive work.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_serve.py [--workers N] [--clients 50]
[--seconds 60] [--burst-seconds 30]``; writes ``benchmarks/results/serve.md``.

It starts the production command (``steppe serve --workers N --no-open --no-access-log``)
on a free port of 127.0.0.1 only, and drives it with asyncio clients:

1. ``--clients`` clients for ``--seconds`` seconds, each sending the mixed load below one
   request after another: latency percentiles by kind, throughput, errors (connection
   errors and 5xx), the server's memory (RSS of all its processes) over time.
2. The same mixed load at a quarter of the clients while ``--burst`` clients send only
   expensive requests (impact with 1,000 draws, scenario comparisons, 400-cell matrices)
   for ``--burst-seconds``; a probe sends one cheap route every 0.5 s and must always
   answer in under 2 s, whatever the expensive work gets (503 with Retry-After is the
   intended answer when its queue is full).

Everything stays on the machine: no request leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

OUT = Path(__file__).parent / "results" / "serve.md"
HOST = "127.0.0.1"
CITIES = [
    "Ulaanbaatar", "Almaty", "Astana", "Oskemen", "Beijing", "Tianjin", "Urumqi", "Baku",
    "Tbilisi", "Moscow", "Duisburg", "Tashkent", "Aktau", "Khorgos", "Erenhot", "Istanbul",
]  # fmt: skip
SCENARIOS = ["titr-2030", "russia-transit-closed", "zamiin-uud-2021", "oskemen-ridder-tuyekta"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Return the resident memory of a process and its children, in MB (Linux /proc)."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def mixed_request(rng: random.Random) -> tuple[str, str, str, dict[str, object] | None]:
    """Return (kind, method, path, body) of one request of the realistic mix."""
    a, b = rng.sample(CITIES, 2)
    roll = rng.random()
    if roll < 0.40:
        return "route", "POST", "/api/route", {"origin": a, "destination": b}
    if roll < 0.55:
        return "places", "GET", f"/api/places?q={a[: rng.randint(2, 5)]}", None
    if roll < 0.65:
        body = {"origin": a, "destination": b, "alternatives": 3, "avoid": ["RUS"]}
        return "route3", "POST", "/api/route", body
    if roll < 0.73:
        return "pareto", "POST", "/api/pareto", {"origin": a, "destination": b}
    if roll < 0.81:
        body = {"origin": a, "destination": b, "draws": 1000}
        return "reliability", "POST", "/api/reliability", body
    if roll < 0.88:
        body = {"origins": rng.sample(CITIES, 4), "destinations": rng.sample(CITIES, 4)}
        return "matrix16", "POST", "/api/matrix", body
    if roll < 0.94:
        return "trade", "GET", "/api/trade/turnover?period=2023", None
    return "meta", "GET", rng.choice(["/api/network/info", "/api/countries", "/api/limits"]), None


def expensive_request(rng: random.Random) -> tuple[str, str, str, dict[str, object] | None]:
    roll = rng.random()
    if roll < 0.4:
        body = {"scenario": rng.choice(SCENARIOS), "draws": 600}
        return "impact", "POST", "/api/impact", body
    if roll < 0.7:
        return "compare", "POST", "/api/scenarios/compare", {"scenario": rng.choice(SCENARIOS)}
    cities = [*CITIES, "Zamyn-Uud", "Dostyk", "Alashankou", "Lianyungang"]
    body = {"origins": cities, "destinations": cities, "optimize": "cost"}
    return "matrix400", "POST", "/api/matrix", body


class Recorder:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, kind: str, seconds: float, status: str) -> None:
        self.latency[kind].append(seconds)
        self.status[kind][status] += 1


async def client_loop(
    base: str, stop: float, rec: Recorder, seed: int, pick, pause: float = 0.0
) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.monotonic() < stop:
            kind, method, path, body = pick(rng)
            t = time.perf_counter()
            try:
                res = await http.request(method, path, json=body)
                status = str(res.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            rec.add(kind, time.perf_counter() - t, status)
            if pause:
                await asyncio.sleep(pause)


async def probe_loop(base: str, stop: float, rec: Recorder) -> None:
    rng = random.Random(7)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.monotonic() < stop:
            a, b = rng.sample(CITIES, 2)
            t = time.perf_counter()
            try:
                res = await http.post("/api/route", json={"origin": a, "destination": b})
                status = str(res.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            rec.add("probe route", time.perf_counter() - t, status)
            await asyncio.sleep(0.5)


async def memory_loop(pid: int, stop: float, samples: list[tuple[float, float]]) -> None:
    start = time.monotonic()
    while time.monotonic() < stop:
        samples.append((time.monotonic() - start, rss_mb(pid)))
        await asyncio.sleep(2)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(rec: Recorder, seconds: float) -> list[str]:
    lines = [
        "| kind | requests | req/s | p50 ms | p99 ms | max ms | statuses |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    kinds = sorted(rec.latency, key=lambda k: -len(rec.latency[k]))
    every: list[float] = []
    statuses: Counter[str] = Counter()
    for kind in kinds:
        lat = rec.latency[kind]
        every += lat
        statuses.update(rec.status[kind])
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(rec.status[kind].items()))
        lines.append(
            f"| {kind} | {len(lat)} | {len(lat) / seconds:.1f} | {1000 * pct(lat, 0.5):.0f} "
            f"| {1000 * pct(lat, 0.99):.0f} | {1000 * max(lat):.0f} | {codes} |"
        )
    codes = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
    lines.append(
        f"| **all** | {len(every)} | {len(every) / seconds:.1f} | {1000 * pct(every, 0.5):.0f} "
        f"| {1000 * pct(every, 0.99):.0f} | {1000 * max(every):.0f} | {codes} |"
    )
    return lines


async def run(args: argparse.Namespace, base: str, pid: int) -> list[str]:
    out: list[str] = []
    memory: list[tuple[float, float]] = []
    load1 = os.getloadavg()[0]
    # 1. mixed load
    rec = Recorder()
    stop = time.monotonic() + args.seconds
    await asyncio.gather(
        memory_loop(pid, stop, memory),
        *(client_loop(base, stop, rec, i, mixed_request) for i in range(args.clients)),
    )
    out += [
        f"### 1. Mixed load: {args.clients} clients for {args.seconds} s",
        "",
        f"Load average of the machine before the run: {load1:.1f} (2 cores, shared).",
        "",
        *table(rec, args.seconds),
        "",
    ]
    errors = sum(
        n for c in rec.status.values() for s, n in c.items() if not s.isdigit() or s[0] == "5"
    )
    plain = rec.latency["route"]
    out += [
        f"Plain routes: p50 {1000 * pct(plain, 0.5):.0f} ms, p99 {1000 * pct(plain, 0.99):.0f} ms. "
        f"Connection errors and 5xx: {errors}.",
        "",
        "Server memory (RSS of all processes, MB) every 2 s: "
        + ", ".join(f"{m:.0f}" for _, m in memory[:: max(1, len(memory) // 15)])
        + f" (first {memory[0][1]:.0f}, last {memory[-1][1]:.0f}, peak "
        f"{max(m for _, m in memory):.0f}).",
        "",
    ]
    # 2. burst of expensive work
    rec2 = Recorder()
    memory2: list[tuple[float, float]] = []
    stop = time.monotonic() + args.burst_seconds
    cheap = max(1, args.clients // 4)
    await asyncio.gather(
        memory_loop(pid, stop, memory2),
        probe_loop(base, stop, rec2),
        *(client_loop(base, stop, rec2, 100 + i, mixed_request) for i in range(cheap)),
        *(
            client_loop(base, stop, rec2, 200 + i, expensive_request, pause=0.2)
            for i in range(args.burst)
        ),
    )
    probe = rec2.latency["probe route"]
    slow = [x for x in probe if x >= 2.0]
    out += [
        f"### 2. Burst: {args.burst} clients sending only expensive requests, {cheap} clients "
        f"with the mixed load and a probe route every 0.5 s, for {args.burst_seconds} s",
        "",
        *table(rec2, args.burst_seconds),
        "",
        f"Probe route: {len(probe)} requests, p50 {1000 * pct(probe, 0.5):.0f} ms, max "
        f"{1000 * max(probe):.0f} ms; {len(slow)} took 2 s or more "
        f"({'goal met' if not slow else 'goal missed'}: every cheap route under 2 s).",
        "",
        "Server memory during the burst (MB): first "
        f"{memory2[0][1]:.0f}, last {memory2[-1][1]:.0f}, peak {max(m for _, m in memory2):.0f}.",
        "",
    ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--burst", type=int, default=12)
    parser.add_argument("--burst-seconds", type=float, default=30)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or args.seconds > 600 or args.burst_seconds > 600:
        parser.error("bounded run only: 1-200 clients, at most 600 s per phase")
    port = free_port()
    command = [
        sys.executable, "-m", "steppe", "serve", "--host", HOST, "--port", str(port),
        "--workers", str(args.workers), "--no-open", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://{HOST}:{port}"
    started = time.monotonic()
    try:
        while True:
            try:
                if httpx.get(base + "/api/limits", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() - started > 120 or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        startup = time.monotonic() - started
        # warm every worker's graphs (each process builds its own)
        for _ in range(4 * args.workers):
            httpx.post(base + "/api/route", json={"origin": "Almaty", "destination": "Baku"},
                       timeout=60)  # fmt: skip
        body = asyncio.run(run(args, base, server.pid))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    head = [
        "# Serving benchmark",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.platform()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPU cores shared with other "
        "jobs; the load generator (one asyncio process) runs on the same cores.",
        "",
        f"Production command: `steppe serve --workers {args.workers} --no-open "
        "--no-access-log` (uvicorn), loopback only; it answered after "
        f"{startup:.0f} s (each worker reads the network).  Reproduce: "
        f"`python benchmarks/bench_serve.py --workers {args.workers} --clients {args.clients} "
        f"--seconds {args.seconds:g} --burst {args.burst} --burst-seconds "
        f"{args.burst_seconds:g}`.",
        "",
    ]
    text = "\n".join(head + body)
    args.out.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
