"""Questions in plain words -> commands, explainably, from the state's own vocabulary.

`Interpreter` is what the bot holds (`bot.answers.line`); `Interpreter.interpret` gives the typed readings; the parts are
text.py (tokens), lexicon.py (everyday words), vocabulary.py (the state's words), readers.py and
mentions.py (what a sentence mentions), intents.py and reader.py (readings and their scores),
explain.py (what the person is told).
"""

from commands.interpret.answer import Interpreter
from commands.interpret.reader import Interpretation, Part, Reading, read_sentence
from commands.interpret.vocabulary import Vocabulary, VocabularyCache, build_vocabulary

__all__ = [
    "Interpretation",
    "Interpreter",
    "Part",
    "Reading",
    "Vocabulary",
    "VocabularyCache",
    "build_vocabulary",
    "read_sentence",
]
