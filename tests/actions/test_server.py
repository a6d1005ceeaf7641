"""The action server starts the way the integrator runs it and answers a webhook call with a stored tracker."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.actions.helpers import DOMAIN, ROOT, TRACKERS

pytestmark = pytest.mark.timeout(180)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def action_server(knowledge_db, tmp_path):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), KNOWLEDGE_DB=str(knowledge_db), CASES_DIR=str(tmp_path / "cases"))
    log = open(tmp_path / "actions.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if process.poll() is not None:
                pytest.fail("action server exited:\n" + (tmp_path / "actions.log").read_text())
            try:
                if requests.get(url + "/health", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            pytest.fail("action server did not start:\n" + (tmp_path / "actions.log").read_text())
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_server_lists_and_runs_the_actions(action_server):
    listed = {a["name"] for a in requests.get(action_server + "/actions", timeout=10).json()}
    assert {"action_retirement_age", "validate_checkup_form", "action_validate_slot_mappings"} <= listed
    tracker = json.loads((TRACKERS / "retirement_one_shot.json").read_text(encoding="utf-8"))
    body = {"next_action": "action_retirement_age", "sender_id": tracker["sender_id"], "tracker": tracker,
            "domain": DOMAIN, "version": "3.6.21"}
    reply = requests.post(action_server + "/webhook", json=body, timeout=60).json()
    assert reply["responses"][0]["response"] == "utter_retirement_result_female_worker"
    assert {"event": "slot", "name": "birth", "value": "1980-03", "timestamp": None} in reply["events"]
