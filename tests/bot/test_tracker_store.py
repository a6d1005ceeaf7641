"""bot.stores.MaskingSQLTrackerStore never writes an identifier to the database."""
import asyncio

import sqlalchemy as sa

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.stores import MaskingSQLTrackerStore

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [inform]
slots:
  note:
    type: text
    mappings: [{type: custom}]
"""
)


def raw_rows(db):
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(sa.text("SELECT data FROM events"))]


def test_user_text_parse_data_and_slots_are_masked_in_the_database(tmp_path):
    db = tmp_path / "var" / "tracker.db"  # the folder does not exist yet
    store = MaskingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    text = "手机13812345678 卡号6222021234567890 1980年出生"
    tracker = DialogueStateTracker.from_events(
        "worker-1",
        [
            ActionExecuted("action_listen"),
            UserUttered(text, {"name": "inform", "confidence": 0.9}, parse_data={"text": text}),
            SlotSet("note", "身份证44030419800312123X"),
            BotUttered("好的"),
        ],
    )
    asyncio.run(store.save(tracker))

    rows = "\n".join(raw_rows(db))
    for secret in ("13812345678", "6222021234567890", "44030419800312123X"):
        assert secret not in rows
    assert "138****5678" in rows and "1980" in rows

    restored = asyncio.run(store.retrieve("worker-1"))
    assert restored.latest_message.text == "手机138****5678 卡号6222********7890 1980年出生"
    assert restored.get_slot("note") == "身份证4403************3X"


def test_events_are_appended_not_duplicated(tmp_path):
    store = MaskingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    tracker = DialogueStateTracker.from_events("w", [UserUttered("你好", {"name": "inform"})])
    asyncio.run(store.save(tracker))
    tracker.update(BotUttered("你好！"))
    asyncio.run(store.save(tracker))
    assert len(raw_rows(tmp_path / "t.db")) == 2


def test_endpoint_configuration_loads_the_masking_store(tmp_path):
    config = EndpointConfig(type="bot.stores.MaskingSQLTrackerStore", dialect="sqlite", db=str(tmp_path / "e.db"))
    store = TrackerStore.create(config, DOMAIN)
    inner = getattr(store, "_tracker_store", store)
    assert isinstance(inner, MaskingSQLTrackerStore)


def test_endpoint_files_use_the_masking_store(monkeypatch):
    from rasa.core.utils import read_endpoints_from_path

    default = read_endpoints_from_path("bot/endpoints.yml")
    assert default.tracker_store.type == "bot.stores.MaskingSQLTrackerStore"
    assert default.tracker_store.kwargs == {"dialect": "sqlite", "db": "var/tracker.db"}
    assert default.lock_store.type == "in_memory"
    assert default.action.url == "http://localhost:5055/webhook"

    for name, value in {"POSTGRES_HOST": "db.local", "POSTGRES_PORT": "5432", "POSTGRES_DB": "suixing",
                        "POSTGRES_USER": "u", "POSTGRES_PASSWORD": "p", "POSTGRES_LOGIN_DB": "postgres",
                        "REDIS_HOST": "redis.local", "REDIS_PORT": "6379", "REDIS_PASSWORD": "r",
                        "ACTION_SERVER_URL": "http://actions:5055/webhook"}.items():
        monkeypatch.setenv(name, value)
    production = read_endpoints_from_path("bot/endpoints.postgres.yml")
    assert production.tracker_store.type == "bot.stores.MaskingSQLTrackerStore"
    assert production.tracker_store.url == "db.local"
    assert production.tracker_store.kwargs["dialect"] == "postgresql"
    assert production.tracker_store.kwargs["password"] == "p"
    assert production.lock_store.type == "redis" and production.lock_store.url == "redis.local"
    assert production.action.url == "http://actions:5055/webhook"


def test_events_sent_to_an_event_broker_are_masked(tmp_path):
    class RecordingBroker:
        def __init__(self):
            self.published = []

        def publish(self, event):
            self.published.append(event)

    broker = RecordingBroker()
    store = MaskingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "b.db"), event_broker=broker)
    tracker = DialogueStateTracker.from_events("w", [UserUttered("电话13812345678", {"name": "inform"})])
    asyncio.run(store.save(tracker))
    assert broker.published and broker.published[0]["text"] == "电话138****5678"


def _store_conversation(store, sender, when):
    tracker = DialogueStateTracker.from_events(
        sender, [ActionExecuted("action_listen", timestamp=when),
                 UserUttered("我想问养老保险", {"name": "inform", "confidence": 0.9}, timestamp=when)], slots=DOMAIN.slots)
    asyncio.run(store.save(tracker))


def test_retention_deletes_old_conversations_cases_and_charts_from_the_real_stores(tmp_path, monkeypatch):
    import os
    import time

    from suixing import cases, retention

    db = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(db))
    monkeypatch.setenv("CASES_DIR", str(tmp_path / "cases"))
    monkeypatch.setenv("CHARTS_DIR", str(tmp_path / "charts"))
    store = MaskingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    now = time.time()
    _store_conversation(store, "old-worker", now - 91 * 86400)
    _store_conversation(store, "new-worker", now - 89 * 86400)
    for case_id, created in (("20200101-000000-aaaaaa", "2020-01-01T00:00:00+00:00"),
                             ("29990101-000000-bbbbbb", "2999-01-01T00:00:00+00:00")):
        cases.save({"case_id": case_id, "created": created, "language": "zh", "open_question": []})
    (tmp_path / "charts").mkdir()
    old_chart, new_chart = tmp_path / "charts/old.png", tmp_path / "charts/new.png"
    old_chart.write_bytes(b"png"), new_chart.write_bytes(b"png")
    os.utime(old_chart, (now - 100 * 86400, now - 100 * 86400))

    removed = retention.run()

    assert (removed.conversations, removed.cases, removed.charts) == (1, 1, 1)
    assert asyncio.run(store.retrieve("old-worker")) is None
    assert asyncio.run(store.retrieve("new-worker")) is not None
    assert [p.stem for p in (tmp_path / "cases").glob("*.json")] == ["29990101-000000-bbbbbb"]
    assert not old_chart.exists() and new_chart.exists()


def test_forgetting_a_sender_removes_their_conversation_and_cases_only(tmp_path, monkeypatch):
    import time

    from suixing import cases, retention

    db = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(db))
    monkeypatch.setenv("CASES_DIR", str(tmp_path / "cases"))
    store = MaskingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    for sender in ("me", "someone-else"):
        _store_conversation(store, sender, time.time())
        cases.save({"case_id": f"20261204-000000-{sender[:2]}", "created": "2026-12-04T00:00:00+00:00",
                    "language": "zh", "open_question": []}, sender_id=sender)
    retention.forget_sender("me")
    assert asyncio.run(store.retrieve("me")) is None
    assert asyncio.run(store.retrieve("someone-else")) is not None
    assert cases.of_sender("me") == [] and len(cases.of_sender("someone-else")) == 1
