"""Running measured steps: wall time and peak RSS (wait4's rusage) of one child process."""
import os
import socket
import subprocess
import time


class StepError(RuntimeError):
    pass


def run_measured(cmd, log, env=None, cwd=None):
    """Runs cmd to completion; returns (seconds, peak_rss_kib, stdout). Raises StepError on failure."""
    with open(log, "ab") as err:
        started = time.monotonic()
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, cwd=cwd)
        out = b""
        # Read before waiting: a child that fills the pipe would never exit.
        for chunk in iter(lambda: child.stdout.read(65536), b""):
            out += chunk
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise StepError(f"{os.path.basename(cmd[0])} exited {child.returncode} (see {log})")
    return seconds, usage.ru_maxrss, out.decode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, pid_alive, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive():
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def dir_bytes(path):
    """Bytes the files under path occupy (apparent sizes, as du -sb)."""
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def stop_by_pid(child, sig, timeout=60):
    """Stops a server we started, by its PID only."""
    if child.poll() is not None:
        return
    child.send_signal(sig)
    try:
        child.wait(timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
