"""Debian's nginx in front of a live server, configured from the block in docs/deployment.md.

The documented configuration is the one under test: it is read from the docs, and only
what must differ on a test machine (ports, certificate paths, the address nginx connects
from) is changed, each change checked to have matched exactly once.
"""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.support.live_server import ROOT, free_port

DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"
DOCUMENTED_HOST_LINE = "proxy_set_header Host $http_host;"
NGINX = "/usr/sbin/nginx"


def nginx_path() -> str:
    """Debian's nginx, or fail under CI and skip elsewhere."""
    path = shutil.which("nginx") or NGINX
    missing = [
        name for name, found in (("nginx", Path(path).exists()), ("openssl", shutil.which("openssl"))) if not found
    ]
    if missing:
        message = f"{' and '.join(missing)} not installed (apt-get install nginx openssl)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def documented_config() -> str:
    """The nginx block of docs/deployment.md's "Behind nginx" section."""
    section = DEPLOYMENT_DOC.read_text().split("## Behind nginx", 1)[1]
    match = re.search(r"```nginx\n(.*?)```", section, re.DOTALL)
    assert match, "docs/deployment.md has no nginx block under 'Behind nginx'"
    return match.group(1)


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected {old!r} once in the documented nginx block"
    return text.replace(old, new)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1: HTTP clients trust it by path, the browser is told to accept it."""
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    return certificate, key


class Nginx:
    """One nginx master process (`daemon off`) proxying https://127.0.0.1:PORT to a backend."""

    def __init__(
        self, directory: Path, backend_port: int, host_line: str = DOCUMENTED_HOST_LINE, bind: str = "127.0.0.2"
    ) -> None:
        self.executable = nginx_path()
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.certificate, key = self_signed_certificate(directory)
        site = documented_config()
        site = _replace_once(site, "listen 443 ssl;", f"listen 127.0.0.1:{self.port} ssl;")
        site = _replace_once(site, "server 127.0.0.1:5000;", f"server 127.0.0.1:{backend_port};")
        site = _replace_once(site, "/etc/ssl/certs/floor.example.com.pem", str(self.certificate))
        site = _replace_once(site, "/etc/ssl/private/floor.example.com.key", str(key))
        site = _replace_once(site, DOCUMENTED_HOST_LINE, host_line)
        # nginx reaches the server from another loopback address than the browser's (127.0.0.1),
        # so the server can tell its TCP peer (the proxy) from the client named in X-Forwarded-For.
        site = _replace_once(
            site, "proxy_pass http://tableside;", f"proxy_pass http://tableside;\n        proxy_bind {bind};"
        )
        self.access_log = directory / "access.log"
        self.error_log = directory / "error.log"
        # Everything nginx writes stays in the test's directory: pid, logs and buffers.
        temp_paths = "\n".join(
            f"    {kind}_temp_path {directory / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (directory / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 1;\npid {directory / 'nginx.pid'};\nerror_log {self.error_log} info;\n"
            f"events {{\n    worker_connections 256;\n}}\n"
            f"http {{\n    access_log {self.access_log};\n{temp_paths}\n{site}}}\n"
        )
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> "Nginx":
        """Start nginx and wait until it answers on its port."""
        config = self.directory / "nginx.conf"
        test = subprocess.run(
            [self.executable, "-t", "-p", str(self.directory), "-e", str(self.error_log), "-c", str(config)],
            capture_output=True,
            text=True,
        )
        assert test.returncode == 0, f"nginx refused the documented configuration:\n{test.stderr}"
        self.process = subprocess.Popen(
            [self.executable, "-p", str(self.directory), "-e", str(self.error_log), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited early:\n{self.error_log.read_text()[-3000:]}")
            try:
                requests.get(f"{self.url}/healthz", timeout=1, verify=self.certificate)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start:\n{self.error_log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # SIGTERM is nginx's fast stop; its worker ends with the master.
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def socket_requests(self) -> list[tuple[str, int]]:
        """(request line, status) of every /socket.io/ request nginx has logged."""
        if not self.access_log.exists():
            return []
        logged = re.findall(r'"(\S+ /socket\.io/\S* HTTP/[\d.]+)" (\d{3})', self.access_log.read_text())
        return [(line, int(status)) for line, status in logged]
