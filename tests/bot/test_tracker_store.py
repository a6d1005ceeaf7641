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
