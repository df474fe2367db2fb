"""A real OpenSSH server for one test: 127.0.0.1, a free port, throwaway host and client
keys, and one forced command, by the key's `command="…"` in authorized_keys or by
`ForceCommand` in sshd_config (README, "Over SSH").

Nothing of the machine's own sshd is used or touched (as root, sshd needs the empty
/run/sshd, made if missing): this server reads only the files made here, runs in the
foreground as the test's child and is stopped by it. It accepts one key, for the user
running the tests, and serves nothing but the forced command.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"
INSTALL = "(.ci/run installs Debian's openssh-server, openssh-client and tmux when missing)"
# sshd as root drops privileges into this empty directory before reading a client's
# first byte; Debian's service makes it when it starts, and that service is not run here.
PRIVSEP_DIR = Path("/run/sshd")
START_TIMEOUT_S = 30.0
POLL_S = 0.05


@dataclass(frozen=True)
class SshServer:
    port: int
    user: str
    client_key: Path
    log: Path

    def ssh_argv(self) -> list[str]:
        """A real `ssh -tt` to this server: no user config, agent or known hosts."""
        return [
            "ssh",
            "-tt",
            "-F",
            "/dev/null",
            "-i",
            str(self.client_key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-p",
            str(self.port),
            f"{self.user}@127.0.0.1",
        ]


def require_binaries() -> None:
    """Skip, naming what is missing and how CI gets it, unless all are installed."""
    if not Path("/proc/self").exists():
        pytest.skip("the SSH test reads /proc to see the sessions end: Linux only")
    missing = [name for name in (SSHD,) if not os.access(name, os.X_OK)]
    missing += [name for name in ("ssh", "ssh-keygen", "tmux") if shutil.which(name) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: the SSH test needs them {INSTALL}")
    if os.geteuid() == 0 and not PRIVSEP_DIR.is_dir():
        try:
            PRIVSEP_DIR.mkdir(mode=0o755, exist_ok=True)  # two workers may race here
        except OSError as exc:
            pytest.skip(f"sshd as root needs {PRIVSEP_DIR} and it cannot be made: {exc}")


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
        capture_output=True,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _config(folder: Path, port: int, user: str, forced: Forced) -> Path:
    lines = [
        "ListenAddress 127.0.0.1",
        f"Port {port}",
        f"HostKey {folder / 'host_key'}",
        f"PidFile {folder / 'sshd.pid'}",
        f"AuthorizedKeysFile {folder / 'authorized_keys'}",
        # The keys live in the test's temporary folder, not in a home with sshd's modes.
        "StrictModes no",
        "UsePAM no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "PrintMotd no",
        "PrintLastLog no",
        "DisableForwarding yes",
        "PermitTTY yes",
    ]
    # README's second recipe: the account's command and settings in sshd_config.
    lines.append(f"Match User {user}")
    if forced.in_config:
        lines.append(f"    ForceCommand {forced.command}")
    if forced.env:
        lines.append("    SetEnv " + " ".join(f"{k}={v}" for k, v in forced.env.items()))
    path = folder / "sshd_config"
    path.write_text("\n".join(lines) + "\n")
    return path


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> bool:
    """True once `port` accepts; False if sshd ended first (the port was taken)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _listening(port):
        if process.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise AssertionError(
                f"sshd not listening after {START_TIMEOUT_S:.0f} s:\n{log.read_text()}"
            )
        time.sleep(POLL_S)
    return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class Forced:
    """What every session runs: `command` (a shell command line) forced by the key's
    `command="…"` in authorized_keys, or by sshd's `ForceCommand` (`in_config`), with
    `env` set by sshd's `SetEnv` (sshd passes nothing of the test's environment on)."""

    command: str
    env: Mapping[str, str]
    in_config: bool = False


def _authorized_keys(folder: Path, forced: Forced) -> None:
    public = (folder / "client_key.pub").read_text().strip()
    options = "restrict,pty"
    if not forced.in_config:
        # sshd's option parser knows one escape, \" (README's recipe needs none).
        options = 'command="{}",{}'.format(forced.command.replace('"', '\\"'), options)
    (folder / "authorized_keys").write_text(f"{options} {public}\n")


@contextlib.contextmanager
def sshd_forcing(folder: Path, forced: Forced) -> Iterator[SshServer]:
    """A running sshd whose one accepted key can only run the forced command, on a pty."""
    folder.mkdir(parents=True, exist_ok=True)
    _keygen(folder / "host_key")
    _keygen(folder / "client_key")
    _authorized_keys(folder, forced)
    user = pwd.getpwuid(os.geteuid()).pw_name  # not $USER: a container may not set it
    log = folder / "sshd.log"
    for _ in range(3):  # another process may take the free port before sshd binds it
        port = _free_port()
        config = _config(folder, port, user, forced)
        checked = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, text=True)
        assert checked.returncode == 0, f"sshd -t refused the config: {checked.stderr}"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT
            )
        try:
            if _wait_listening(process, port, log):
                yield SshServer(port, user, folder / "client_key", log)
                return
        finally:
            _stop(process)
    raise AssertionError(f"sshd could not listen on a free port:\n{log.read_text()}")
