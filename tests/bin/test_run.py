"""``bin/run``, the README's run command, driven with a stand-in interpreter: the steps run in
order, the demo accounts are printed once, last, with the address to sign in, once the web
server answers; the worker's emails go to var/log/worker.log; stopping it stops them all."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = [
    "priya.raman@larkfield.example",
    "sam.okafor@larkfield.example",
    "maria.keller@larkfield.example",
    "admin@larkfield.example",
]

# Stands in for the virtual environment's python: logs what bin/run asks for, runs the
# readiness probe (``-c``) with the real interpreter, and plays each process's part.
INTERPRETER = """\
import os, socket, sys, time
args = sys.argv[1:]
if args[0] == "-c":
    os.execv(sys.executable, [sys.executable, *args])
with open(os.environ["CALLS"], "a") as calls:
    calls.write(" ".join(args) + "\\n")
if args[:2] == ["manage.py", "seed_demo"]:
    print("Demo organisation ready.")
elif args[:2] == ["manage.py", "run_worker"]:
    print("Subject: Sam Okafor would like you as a mentor", flush=True)
    time.sleep(60)
elif args[:2] == ["manage.py", "run_scheduler"]:
    print("Scheduler: 3 nudges queued", flush=True)
    time.sleep(60)
elif args[:2] == ["manage.py", "runserver"]:
    time.sleep(1)  # Django checks the project before it listens
    host, port = args[2].rsplit(":", 1)
    server = socket.create_server((host, int(port)))
    print("Starting development server at http://%s/" % args[2], flush=True)
    time.sleep(60)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(path: Path, text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        out = path.read_text() if path.exists() else ""
        if text in out:
            return out
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared in:\n{out}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "bin").mkdir()
    shutil.copy(ROOT / "bin" / "run", tmp_path / "bin" / "run")
    python = tmp_path / "python"
    python.write_text(f"#!{sys.executable}\n{INTERPRETER}")
    python.chmod(0o755)
    return tmp_path


def test_the_run_command_lists_the_demo_accounts_once_at_the_end_with_the_sign_in_address(
    project: Path,
) -> None:
    port = free_port()
    out = project / "terminal.txt"
    env = {**os.environ, "PY": str(project / "python"), "PORT": str(port),
           "CALLS": str(project / "calls.txt")}  # fmt: skip
    with out.open("w") as terminal:
        run = subprocess.Popen([str(project / "bin" / "run")], stdout=terminal,
                               stderr=subprocess.STDOUT, env=env, cwd=project)  # fmt: skip
    try:
        text = wait_for(out, "Stop everything with Ctrl-C.")
        time.sleep(0.3)
        text = out.read_text()
    finally:
        run.send_signal(signal.SIGTERM)
        run.wait(timeout=20)

    for email in ACCOUNTS:
        assert text.count(email) == 1, (email, text)
    sign_in = f"Sign in at  http://127.0.0.1:{port}/accounts/login/"
    assert text.index("Starting development server") < text.index(sign_in)
    assert text.rstrip().endswith("Stop everything with Ctrl-C.")
    assert "Subject:" not in text and "nudges" not in text
    # The kernels' first compile is silent for about a minute: the terminal says so before.
    compiling = "==> Compiling the matching engine's kernels once (about a minute on first run"
    assert text.count(compiling) == 1
    assert (
        text.index("Demo organisation ready.")
        < text.index(compiling)
        < text.index("==> Starting the background worker")
    )
    log = (project / "var" / "log" / "worker.log").read_text()
    assert "Subject: Sam Okafor would like you as a mentor" in log
    assert "Scheduler: 3 nudges queued" in log
    calls = (project / "calls.txt").read_text().splitlines()
    assert calls[:3] == [
        "manage.py migrate --noinput",
        "manage.py seed_demo --no-accounts",
        "-m mentorbridge.matching_engine warm-up",
    ]
    # Stopping bin/run stopped the web server too: its port is free again.
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_ctrl_c_stops_the_web_server_the_worker_and_the_scheduler(project: Path) -> None:
    left = ctrl_c_when_ready(project, within=25)
    assert left == "", "processes left running after Ctrl-C"


def test_ctrl_c_ends_a_worker_that_keeps_running_after_the_first_request_to_stop(
    project: Path,
) -> None:
    # A worker busy with a long task finishes it after the first signal: bin/run asks again
    # (the worker then gives the task back to the queue) and ends what still runs after that.
    python = project / "python"
    busy = """    import signal
    signal.signal(signal.SIGTERM, lambda *_: print("finishing the current task", flush=True))
    print("Subject: Sam Okafor would like you as a mentor", flush=True)
    while True: time.sleep(60)
"""
    text = python.read_text()
    start = text.index('    print("Subject: Sam')
    end = text.index("elif", start)
    python.write_text(text[:start] + busy + text[end:])
    left = ctrl_c_when_ready(project, within=40)
    assert left == "", "processes left running after Ctrl-C"
    log = (project / "var" / "log" / "worker.log").read_text()
    assert log.count("finishing the current task") == 2  # asked twice, then ended


def ctrl_c_when_ready(project: Path, within: float) -> str:
    """Start bin/run as from a terminal, press Ctrl-C once it says where to sign in, wait up
    to ``within`` seconds for it to end; what is left running in its process group."""
    out = project / "terminal.txt"
    env = {**os.environ, "PY": str(project / "python"), "PORT": str(free_port()),
           "CALLS": str(project / "calls.txt")}  # fmt: skip
    with out.open("w") as terminal:
        run = subprocess.Popen([str(project / "bin" / "run")], stdout=terminal,
                               stderr=subprocess.STDOUT, env=env, cwd=project,
                               start_new_session=True, preexec_fn=as_from_a_terminal)  # fmt: skip
    try:
        wait_for(out, "Stop everything with Ctrl-C.")
        os.killpg(run.pid, signal.SIGINT)  # what the terminal sends its foreground group
        stopped_within(run, within)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    return group_left(run.pid)


def as_from_a_terminal() -> None:
    """In the child before bin/run starts: Ctrl-C reaches it as it reaches a command typed in a
    terminal. The test process may have inherited SIGINT ignored or blocked (a test runner's
    worker, or a library thread's mask), and a shell cannot trap a signal ignored on entry."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def stopped_within(run: subprocess.Popen[bytes], seconds: float) -> None:
    try:
        run.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        ps = subprocess.run(["ps", "-o", "pid,stat,etime,args", "-g", str(run.pid)],
                            capture_output=True, text=True)  # fmt: skip
        status = Path(f"/proc/{run.pid}/status").read_text()
        signals = [line for line in status.splitlines() if line.startswith("Sig")]
        raise AssertionError(
            f"bin/run still running {seconds} s after Ctrl-C:\n{ps.stdout}\n{signals}"
        ) from None


def group_left(group: int) -> str:
    """What still runs in the process group, after a moment for the last exits."""
    time.sleep(0.2)
    return subprocess.run(["pgrep", "-g", str(group)], capture_output=True, text=True).stdout


def test_the_run_command_says_so_when_the_port_is_taken(project: Path) -> None:
    port = free_port()
    with socket.create_server(("127.0.0.1", port)):  # the port is taken
        env = {**os.environ, "PY": str(project / "python"), "PORT": str(port),
               "CALLS": str(project / "calls.txt")}  # fmt: skip
        done = subprocess.run([str(project / "bin" / "run")], capture_output=True, text=True,
                              env=env, cwd=project, timeout=30)  # fmt: skip
    assert done.returncode == 1
    assert f"Something already answers at 127.0.0.1:{port}" in done.stderr
    assert "PORT=9000 bin/run" in done.stderr
    assert not (project / "calls.txt").exists()  # nothing migrated or started


def test_the_run_command_says_so_when_the_web_server_stops_before_it_answers(
    project: Path,
) -> None:
    python = project / "python"
    python.write_text(python.read_text().replace("time.sleep(1)  #", "sys.exit(3)  #"))
    env = {**os.environ, "PY": str(python), "PORT": str(free_port()),
           "CALLS": str(project / "calls.txt")}  # fmt: skip
    done = subprocess.run([str(project / "bin" / "run")], capture_output=True, text=True,
                          env=env, cwd=project, timeout=30)  # fmt: skip
    assert done.returncode == 3
    assert "The web server stopped (exit 3) before it answered" in done.stderr
    assert "larkfield.example" not in done.stdout
