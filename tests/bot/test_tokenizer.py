"""The jieba tokenizer of config.yml on mixed Chinese/English messages."""
import pytest

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.tokenizer import MixedJiebaTokenizer


@pytest.fixture
def storage(tmp_path):
    (tmp_path / "storage").mkdir()
    return LocalModelStorage(tmp_path / "storage")


@pytest.fixture
def tokenizer(storage):
    config = {**MixedJiebaTokenizer.get_default_config(), "userdict": "bot/jieba_userdict.txt"}
    return MixedJiebaTokenizer.create(config, storage, Resource("tokenizer"), ExecutionContext({}, "test"))


def tokens(tokenizer, text):
    return [t.text for t in tokenizer.tokenize(Message(data={"text": text}), "text")]


def test_mixed_message_has_no_whitespace_tokens(tokenizer):
    result = tokens(tokenizer, "社保 transfer 怎么弄")
    assert result == ["社保", "transfer", "怎么弄"]
    assert all(t.strip() for t in result)


def test_english_words_are_separate_tokens_without_spaces(tokenizer):
    assert tokens(tokenizer, "can i  withdraw my pension") == ["can", "i", "withdraw", "my", "pension"]


def test_full_width_space_and_newlines_are_dropped(tokenizer):
    assert tokens(tokenizer, "退保\u3000怎么办\n谢谢") == ["退保", "怎么办", "谢谢"]


def test_domain_terms_from_the_user_dictionary_stay_whole(tokenizer):
    result = tokens(tokenizer, "五险一金断缴了 异地就医 转移接续 BPI-UE")
    for term in ("五险一金", "断缴", "异地就医", "转移接续", "BPI-UE"):
        assert term in result


def test_token_offsets_point_into_the_original_text(tokenizer):
    text = "我在 东莞 交了八年 then moved"
    for token in tokenizer.tokenize(Message(data={"text": text}), "text"):
        assert text[token.start:token.end] == token.text


def test_whitespace_only_message_gives_no_tokens(tokenizer):
    assert tokens(tokenizer, "   ") == []


def test_user_dictionary_is_stored_with_the_model_and_loaded_from_it(tokenizer, storage):
    tokenizer.train(TrainingData())
    with storage.read_from(Resource("tokenizer")) as directory:
        stored = (directory / "jieba_userdict.txt").read_text(encoding="utf-8")
    assert "异地就医" in stored
    loaded = MixedJiebaTokenizer.load(
        tokenizer._config, storage, Resource("tokenizer"), ExecutionContext({}, "test")
    )
    assert "五险一金" in tokens(loaded, "五险一金怎么交")


def test_province_city_compounds_are_split_for_entities(tokenizer):
    assert tokens(tokenizer, "老家是湖南永州的") == ["老家", "是", "湖南", "永州", "的"]
    assert tokens(tokenizer, "广东东莞干了八年多")[:2] == ["广东", "东莞"]
    assert "北京市" in tokens(tokenizer, "我在北京市上班")
    assert tokens(tokenizer, "我是江西人")[-2:] == ["江西", "人"]
    assert "工人" in tokens(tokenizer, "我是工人") and "老人" in tokens(tokenizer, "老人看病")
