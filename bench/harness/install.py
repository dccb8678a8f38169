"""Installs a peer's Debian packages when missing (apt-get, as root or through sudo)."""
import os
import shutil
import subprocess


def ensure_packages(packages, probe, log):
    """True when probe() holds, installing packages first if it does not."""
    if probe():
        return True
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            return False
        cmd = ["sudo", "-n", *cmd]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    with open(log, "ab") as out:
        subprocess.run(cmd, stdout=out, stderr=out, env=env, check=False)
    return probe()
