"""Jieba tokenizer for mixed Chinese/English messages.

Differences from Rasa's `JiebaTokenizer`:
- whitespace tokens (" ", "\u3000", "\n") that jieba emits between English words or
  around numbers are dropped, so "社保 transfer 怎么弄" gives 社保 / transfer / 怎么 / 弄;
- a token that jieba's own dictionary keeps whole but is a sequence of place names from the
  user dictionary (tag ``ns``), e.g. 湖南永州 or 广东东莞, is split (湖南 / 永州) so that
  province and city can be separate entities; the same for a place followed by 人 (江西人);
- the user dictionary is one file (`userdict`, default `bot/jieba_userdict.txt`) that is
  copied into the trained model and loaded again from there, so a served model does not
  depend on the repository checkout.
"""
from __future__ import annotations

import logging
import os
import shutil
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

USERDICT_FILE_NAME = "jieba_userdict.txt"
_loaded_dictionaries: set = set()
# place names (tag "ns") of the loaded user dictionaries
_place_names: set = set()


def load_userdict(path: Text) -> None:
    """Load a jieba user dictionary once per process (jieba's dictionary is global)."""
    import jieba

    real = os.path.realpath(path)
    if real in _loaded_dictionaries:
        return
    logger.debug(f"Loading jieba user dictionary {path}")
    jieba.load_userdict(path)
    _loaded_dictionaries.add(real)
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[2] == "ns":
                _place_names.add(parts[0])


# "江西人", "四川人": jieba keeps some of these whole; the place is the entity
_PERSON_SUFFIX = "人"


def split_places(word: Text) -> List[Text]:
    """Split a word made only of known place names ("湖南永州" -> ["湖南", "永州"]) or a
    place name followed by 人 ("江西人" -> ["江西", "人"]); any other word is returned whole."""
    if len(word) >= 3 and word.endswith(_PERSON_SUFFIX) and word not in _place_names:
        head = split_places(word[: -len(_PERSON_SUFFIX)])
        if all(part in _place_names for part in head):
            return head + [_PERSON_SUFFIX]
    if len(word) < 4 or word in _place_names and not _split(word, top=True):
        return [word]
    return _split(word, top=True) or [word]


def _split(word: Text, top: bool = False) -> Optional[List[Text]]:
    if not word:
        return []
    for end in range(len(word) - (1 if top else 0), 1, -1):
        head = word[:end]
        if head in _place_names:
            rest = _split(word[end:])
            if rest is not None:
                return [head] + rest
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class MixedJiebaTokenizer(JiebaTokenizer):
    """Jieba tokenizer that drops whitespace tokens and loads one user dictionary file."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        config = JiebaTokenizer.get_default_config()
        config["userdict"] = "bot/jieba_userdict.txt"
        return config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MixedJiebaTokenizer:
        path = config.get("userdict")
        if path:
            if not os.path.isfile(path):
                raise FileNotFoundError(
                    f"jieba user dictionary '{path}' not found (config 'userdict'); "
                    f"run from the repository root. / 找不到 jieba 用户词典 '{path}'，请在仓库根目录运行。"
                )
            load_userdict(path)
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> MixedJiebaTokenizer:
        if config.get("userdict"):
            try:
                with model_storage.read_from(resource) as directory:
                    stored = os.path.join(str(directory), USERDICT_FILE_NAME)
                    if os.path.isfile(stored):
                        load_userdict(stored)
            except ValueError:
                logger.debug(f"No stored jieba user dictionary for '{resource.name}'.")
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self.persist()
        return self._resource

    def persist(self) -> None:
        path = self._config.get("userdict")
        if path and os.path.isfile(path):
            with self._model_storage.write_to(self._resource) as directory:
                shutil.copy2(path, os.path.join(str(directory), USERDICT_FILE_NAME))

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        import jieba

        text = message.get(attribute)
        tokens = []
        for word, start, _end in jieba.tokenize(text):
            if not word.strip():
                continue
            for part in split_places(word):
                tokens.append(Token(part, start))
                start += len(part)
        if not tokens and text and text.strip():
            tokens = [Token(text.strip(), text.index(text.strip()[0]))]
        return self._apply_token_pattern(tokens)
