"""Starts the whole assistant (action server, Rasa, web page) on test ports for end-to-end tests.

Each server runs in its own process group with its own log file under var/test-logs/, so a failing test can show why.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
APP_PYTHON = ROOT / ".venv/app/bin/python"
RASA_BIN = ROOT / ".venv/rasa/bin/rasa"
MODEL = ROOT / "models/suixing.tar.gz"
LOGS = ROOT / "var/test-logs"


def _wait_until(url: str, timeout: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited early, see {log}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url}: not ready after {timeout:.0f}s, see {log}:\n{log.read_text()[-3000:]}")


def free_port() -> int:
    """A port nobody listens on now, so several test runs on one machine don't collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Stack:
    action_port: int = field(default_factory=free_port)
    rasa_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="suixing-stack-")))
    processes: dict = field(default_factory=dict)
    rasa_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))   # Rasa's HTTP API needs it

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def cases_dir(self) -> Path:
        return self.workdir / "cases"

    @property
    def charts_dir(self) -> Path:
        """Where the action server draws the check-up charts and the web server serves them from (/charts/)."""
        return self.workdir / "charts"

    def _env(self) -> dict:
        env = dict(os.environ, PYTHONPATH=str(ROOT), CASES_DIR=str(self.cases_dir), CHARTS_DIR=str(self.charts_dir),
                   KNOWLEDGE_DB=str(ROOT / "var/knowledge.db"), RASA_URL=self.rasa_url,
                   WEB_PORT=str(self.web_port), PYTHONUNBUFFERED="1", RASA_TELEMETRY_ENABLED="false",
                   RASA_TOKEN=self.rasa_token, SANIC_HOST="127.0.0.1",
                   ACTION_SERVER_HEALTH_URL=f"{self.action_url}/health", TRACKER_DB=str(self.workdir / "tracker.db"))
        env.pop("WECHAT_TOKEN", None)
        env.pop("CHARTS_BASE_URL", None)   # chart URLs stay relative: the tests fetch them from web_url
        return env

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        LOGS.mkdir(parents=True, exist_ok=True)
        log = LOGS / f"{name}.log"
        handle = open(log, "w")
        process = subprocess.Popen(command, cwd=ROOT, env=self._env(), stdout=handle, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = (process, log)
        return process

    def _endpoints_file(self) -> Path:
        """The project's endpoints with the test action port and a throw-away tracker database."""
        text = (ROOT / "bot/endpoints.yml").read_text(encoding="utf-8")
        text = text.replace("localhost:5055", f"127.0.0.1:{self.action_port}")
        text = text.replace("var/tracker.db", str(self.workdir / "tracker.db"))
        path = self.workdir / "endpoints.yml"
        path.write_text(text, encoding="utf-8")
        return path

    def start_actions(self) -> None:
        process = self._spawn("actions", [str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions",
                                          "--port", str(self.action_port)])
        _wait_until(f"{self.action_url}/health", 120, process, self.processes["actions"][1])

    def start_rasa(self) -> None:
        if not MODEL.exists():
            raise RuntimeError(f"No trained model at {MODEL}: run scripts/setup.sh first")
        process = self._spawn("rasa", [str(RASA_BIN), "run", "--model", str(MODEL), "--port", str(self.rasa_port),
                                       "--endpoints", str(self._endpoints_file()),
                                       "--credentials", str(ROOT / "bot/credentials.yml"),
                                       "-i", "127.0.0.1", "--enable-api", "--auth-token", self.rasa_token,
                                       "--cors", self.web_url])
        _wait_until(f"{self.rasa_url}/", 300, process, self.processes["rasa"][1])

    def start_web(self) -> None:
        process = self._spawn("web", [str(APP_PYTHON), str(ROOT / "web/serve.py"), "--port", str(self.web_port),
                                      "--rasa-url", self.rasa_url])
        _wait_until(self.web_url + "/", 60, process, self.processes["web"][1])

    def stop(self, name: str) -> None:
        process, _ = self.processes.pop(name, (None, None))
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_rasa(self) -> None:
        self.stop("rasa")

    def stop_actions(self) -> None:
        self.stop("actions")

    def start(self) -> "Stack":
        self.start_actions()
        self.start_rasa()
        if (ROOT / "web/serve.py").exists():
            self.start_web()
        return self

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def say(self, text: str, sender: str, metadata: dict | None = None) -> list[dict]:
        """One user message over the REST channel; returns the bot's messages."""
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": text, "metadata": metadata or {}}, timeout=60)
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict:
        """The stored conversation, read through Rasa's HTTP API with the stack's token."""
        response = requests.get(f"{self.rasa_url}/conversations/{sender}/tracker", params={"token": self.rasa_token},
                                timeout=30)
        response.raise_for_status()
        return response.json()
