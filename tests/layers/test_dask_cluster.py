"""`landplan parcels --engine dask` against a real cluster: a scheduler and two workers started as
separate programs on loopback, as a bureau would run them. Every process started here is stopped
here."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ..cli_helpers import landplan_exe, run_json

distributed = pytest.importorskip("dask.distributed")
ROOT = Path(__file__).resolve().parents[2]
DASK = str(Path(sys.executable).parent / "dask")
LIMIT_S = 120  # no step of this test waits longer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(*args) -> subprocess.Popen:
    """A program in its own process group (a dask worker is a nanny and its worker process)."""
    return subprocess.Popen(
        [DASK, *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)


@pytest.fixture
def cluster():
    """(address, [worker programs]) of a scheduler and two single-threaded workers on 127.0.0.1."""
    if not Path(DASK).exists():
        pytest.skip("the dask command is not installed beside this Python")
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = [
        _start(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            address.rsplit(":", 1)[1],
            "--no-dashboard",
            "--idle-timeout",
            f"{4 * LIMIT_S}s",
        )
    ]
    try:
        workers = [
            _start(
                "worker",
                address,
                "--host",
                "127.0.0.1",
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--no-dashboard",
                "--death-timeout",
                f"{LIMIT_S}s",
                "--name",
                f"w{i}",
            )
            for i in range(2)
        ]
        procs += workers
        deadline = time.monotonic() + LIMIT_S
        while True:  # the scheduler may not listen yet
            try:
                client = distributed.Client(address, timeout="5s")
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        try:
            client.wait_for_workers(2, timeout=LIMIT_S)
        finally:
            client.close()
        yield address, workers
    finally:
        for p in reversed(procs):
            _stop(p)


@pytest.fixture(scope="module")
def parcels_file(tmp_path_factory):
    from layers.synthetic import write_synthetic_parcels

    f = tmp_path_factory.mktemp("cluster") / "syn.gpkg"
    write_synthetic_parcels(f, 20_000, seed=11, districts=["longgang", "pingshan", "dapeng"])
    return f


def _key(rows):
    return [
        (r["zone_layer"], r["zone_id"], r["landuse"], r["status"], r["parcel_count"]) for r in rows
    ]


def test_real_cluster_gives_the_single_process_table_even_when_a_worker_dies(cluster, parcels_file):
    address, workers = cluster
    args = ["parcels", parcels_file, "--by", "sz20_parks,districts", "--unit", "m2"]
    local = run_json(*args)
    on_cluster = run_json(*args, "--engine", "dask", "--scheduler", address)
    assert _key(on_cluster) == _key(local)
    # areas in m²: the same to 1e-9, slivers under a square millimetre aside (partitions clip
    # a parcel across a zone edge in another order: float noise on a 1e-7 m² sliver)
    np.testing.assert_allclose(
        [r["area"] for r in on_cluster], [r["area"] for r in local], rtol=1e-9, atol=1e-6
    )

    # again, and kill one worker (nanny and worker process) once the run holds data on it
    proc = subprocess.Popen(
        [
            landplan_exe(),
            *map(str, args),
            "--engine",
            "dask",
            "--scheduler",
            address,
            "--format",
            "json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = False
    try:
        watch = distributed.Client(address, timeout="10s")
        try:
            deadline = time.monotonic() + LIMIT_S
            while proc.poll() is None and time.monotonic() < deadline:
                held = {w: keys for w, keys in watch.has_what().items() if keys}
                busy = {w: keys for w, keys in watch.processing().items() if keys}
                if held or busy:
                    victim = next(iter(held or busy))
                    name = watch.scheduler_info()["workers"][victim]["name"]
                    _stop(workers[int(str(name)[-1])])
                    killed = True
                    break
                time.sleep(0.02)
        finally:
            watch.close()
        out, err = proc.communicate(timeout=LIMIT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert killed, "the run ended before any task reached a worker"
    assert "Traceback" not in err, err
    print(f"worker killed mid-run: exit {proc.returncode}; {err.strip()[-300:]}")
    if proc.returncode == 0:  # Dask recomputed the lost worker's part on the other one
        rows = json.loads(out)
        assert _key(rows) == _key(local)
        areas = [r["area"] for r in rows]
        np.testing.assert_allclose(areas, [r["area"] for r in local], rtol=1e-9, atol=1e-6)
    else:  # or the command says what failed, in one sentence in each language
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert proc.returncode == 2 and len(lines) == 2 and "Dask" in lines[1], err
