"""The HTTP side of the benchmarks: gunicorn on loopback, load from wrk, a streaming client.

Every wait is bounded: gunicorn must answer within START_TIMEOUT, each wrk run is killed after its
duration plus a margin, each streamed download after STREAM_TIMEOUT.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import signal
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
START_TIMEOUT = 60.0
STREAM_TIMEOUT = 300.0
SAMPLE_EVERY = 0.01  # seconds between two reads of the worker's memory


@dataclass
class LoadSettings:
    threads: int
    connections: int
    warmup: float
    duration: float
    rounds: int


class Gunicorn:
    """gunicorn with `workers` sync workers, as the Procfile runs it, on 127.0.0.1:`port`."""

    def __init__(self, *, port: int, workers: int, env: dict[str, str], log: Path) -> None:
        self.port, self.workers, self.env, self.log = port, workers, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "taskforce.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=sync",
            "--timeout=120",
            "--no-control-socket",  # gunicorn's default socket is one path per user: leave it to others
            f"--error-logfile={self.log}",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL)  # noqa: S603
        self._wait_ready()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _started(self) -> subprocess.Popen[bytes]:
        if self.process is None:
            raise RuntimeError("gunicorn is not started: use `with Gunicorn(...)`")
        return self.process

    def _wait_ready(self) -> None:
        process = self._started()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {self.log}")
            try:
                status, _, _ = get(self.port, "/healthz")
                if status in (200, 503) and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT:.0f} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        pid = self._started().pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        """SIGTERM to the master, which stops its workers; after 15 s, SIGKILL to its workers (while they
        are still its children, so that no other process is hit) and to it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            for pid in self.worker_pids():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.kill()
            self.process.wait(timeout=5)


def get(
    port: int, path: str, headers: dict[str, str] | None = None, *, method: str = "GET", body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def get_json(port: int, path: str, headers: dict[str, str] | None = None, *, post: object = None) -> dict[str, Any]:
    """GET `path`, or with `post`, POST it as a JSON body (search takes its words in the body).
    Every endpoint measured answers a JSON object."""
    method, body = ("GET", None) if post is None else ("POST", json.dumps(post).encode())
    headers = {**(headers or {}), "Content-Type": "application/json"}
    status, _, answer = get(port, path, headers, method=method, body=body)
    if status != 200:
        raise RuntimeError(f"{method} {path} answered {status}: {answer[:300]!r}")
    found = json.loads(answer)
    if not isinstance(found, dict):
        raise RuntimeError(f"{method} {path} answered JSON that is not an object: {answer[:300]!r}")
    return found


Variant = tuple[list[str], dict[str, str]]  # paths in turn, request headers


def interleaved(port: int, variants: dict[str, Variant], *, load: LoadSettings) -> dict[str, dict]:
    """A warm-up run of each variant (discarded), then `load.rounds` rounds running each variant in
    turn, so that a ratio of two variants compares runs seconds apart (the machines are noisy)."""
    for paths, headers in variants.values():
        wrk_run(port, paths, headers=headers, load=load, seconds=load.warmup)
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    for _ in range(load.rounds):
        for name, (paths, headers) in variants.items():
            runs[name].append(wrk_run(port, paths, headers=headers, load=load, seconds=load.duration))
    return {name: summary(found) for name, found in runs.items()}


def summary(runs: list[dict]) -> dict:
    """The median of the rounds for each figure, the sum of requests and errors, and the rounds."""
    medians = {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")}
    return {
        **medians,
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "rounds": runs,
    }


def ratio(numerator: dict, denominator: dict) -> float:
    """The median over rounds of numerator/denominator requests per second, round by round."""
    pairs = zip(numerator["rounds"], denominator["rounds"], strict=True)
    return statistics.median(a["rps"] / b["rps"] for a, b in pairs)


def wrk_run(port: int, paths: list[str], *, headers: dict[str, str], load: LoadSettings, seconds: float) -> dict:
    command = [
        "/usr/bin/wrk",
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout=5s",
        f"-s{WRK_SCRIPT}",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    first = paths[0].split(" ")[1] if paths[0].startswith("POST ") else paths[0]  # "POST <path> <body>"
    command += [f"http://127.0.0.1:{port}{first}", "--", *paths]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)  # noqa: S603
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}")
    summary = json.loads(lines[-1])
    summary["errors"] = sum(
        summary[key] for key in ("non_2xx_3xx", "connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return summary


# --- streaming downloads, with the serving worker's memory sampled meanwhile -----------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


class PeakSampler(threading.Thread):
    """Reads a process's resident memory every SAMPLE_EVERY seconds until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, rss_kib(pid), threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(SAMPLE_EVERY):
            try:
                self.peak = max(self.peak, rss_kib(self.pid))
            except (OSError, RuntimeError):
                return

    def stop(self) -> int:
        self.stopped.set()
        self.join(timeout=5)
        return self.peak


def stream(port: int, path: str, *, rss_before: dict[int, int]) -> dict:
    """Download `path`: time to the first body byte, to the first row after the header and to the end;
    bytes, lines, a hash of the body without carriage returns (CSV writers end lines with CRLF, COPY
    with LF); and the serving worker's peak resident memory during the download against before it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=STREAM_TIMEOUT)
    digest, size, lines, first, first_row = hashlib.sha256(), 0, 0, None, None
    started = time.perf_counter()
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}: {response.read(300)!r}")
        worker = response.getheader("X-Worker-Pid")
        if worker is None:
            raise RuntimeError(f"GET {path} answered without X-Worker-Pid: is the benchmark middleware on?")
        pid = int(worker)
        sampler = PeakSampler(pid)
        sampler.start()
        while chunk := response.read1(256 * 1024):
            if first is None:
                first = time.perf_counter()
            size += len(chunk)
            lines += chunk.count(b"\n")
            if first_row is None and lines >= 2:
                first_row = time.perf_counter()
            digest.update(chunk.replace(b"\r", b""))
            if time.perf_counter() - started > STREAM_TIMEOUT:
                raise RuntimeError(f"GET {path} took more than {STREAM_TIMEOUT:.0f} s")
        finished = time.perf_counter()
        peak = sampler.stop()
    finally:
        connection.close()
    if first is None or first_row is None:
        raise RuntimeError(f"GET {path} answered fewer than two lines ({size} bytes)")
    seconds = finished - started
    return {
        "seconds": round(seconds, 3),
        "first_byte_ms": round((first - started) * 1000, 1),
        "first_row_ms": round((first_row - started) * 1000, 1),  # the first line after the header
        "bytes": size,
        "rows": lines - 1,  # the header line
        "rows_per_s": round((lines - 1) / seconds),
        "worker_pid": pid,
        "rss_before_mib": round(rss_before[pid] / 1024, 1),
        "rss_peak_mib": round(peak / 1024, 1),
        "rss_growth_mib": round((peak - rss_before[pid]) / 1024, 1),
        "sha256_without_cr": digest.hexdigest(),
    }
