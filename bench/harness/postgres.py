"""A private PostgreSQL 15 cluster for the benchmark: initdb under a non-root user, the server on a
loopback port as our own child process (stopped by its PID), data under the run's directory.

Configuration (the best for a read-mostly full-text workload on this machine, not a default
install): shared_buffers 256MB, work_mem 64MB (the facet queries' GROUP BYs stay in memory),
maintenance_work_mem 512MB (the GIN build), max_wal_size 4GB (no checkpoints during the load),
jit off (JIT compilation costs more than these short queries take)."""
import os
import pwd
import shutil
import signal
import subprocess

from . import process

BIN = "/usr/lib/postgresql/15/bin"
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "shared_buffers": "256MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "4GB",
    "jit": "off",
}


def available():
    return os.path.exists(f"{BIN}/initdb") and os.path.exists(f"{BIN}/postgres")


def _server_user():
    """PostgreSQL refuses to run as root: the Debian package's `postgres` user, else the caller."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        return None


class Cluster:
    def __init__(self, root, log):
        self.root = root
        self.data = os.path.join(root, "pgdata")
        self.log = log
        self.port = None
        self.child = None

    def __enter__(self):
        user = _server_user()
        if os.geteuid() == 0 and user is None:
            raise process.StepError("no non-root `postgres` user to run the server as")
        shutil.rmtree(self.root, ignore_errors=True)
        os.makedirs(self.root)
        run_as = {}
        if user is not None:
            os.chown(self.root, user.pw_uid, user.pw_gid)
            run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        with open(self.log, "ab") as out:
            subprocess.run([f"{BIN}/initdb", "-D", self.data, "-U", "bench", "--auth=trust", "-E", "UTF8",
                            "--locale=C.UTF-8", "--no-sync"], stdout=out, stderr=out, check=True, **run_as)
            self.port = process.free_port()
            args = [f"{BIN}/postgres", "-D", self.data, "-p", str(self.port), "-c", f"unix_socket_directories={self.data}"]
            for key, value in SETTINGS.items():
                args += ["-c", f"{key}={value}"]
            self.child = subprocess.Popen(args, stdout=out, stderr=out, **run_as)
        if not process.wait_for_port(self.port, lambda: self.child.poll() is None):
            self.__exit__(None, None, None)
            raise process.StepError(f"postgres did not start (see {self.log})")
        # A connection can still be refused while recovery finishes: wait for pg_isready.
        for _ in range(100):
            if subprocess.run([f"{BIN}/pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)]).returncode == 0:
                break
        return self

    def conninfo(self):
        return f"host=127.0.0.1 port={self.port} user=bench dbname=postgres"

    def scalar(self, sql):
        out = subprocess.run(["psql", "-X", "-At", "-h", "127.0.0.1", "-p", str(self.port), "-U", "bench", "-d", "postgres",
                              "-c", sql], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def __exit__(self, *exc):
        if self.child is not None:
            process.stop_by_pid(self.child, signal.SIGINT)  # SIGINT: PostgreSQL's fast shutdown
            self.child = None
