"""Name forms in text → non-overlapping matches, longest first, on word boundaries.

Latin and Cyrillic scripts have spaces: a match must not touch a letter on
either side. Thai and Chinese have none: a match must start and end on word
boundaries found by a word segmenter (pythainlp newmm, jieba) that has been
given the register's name forms as dictionary words, so that a name that is
only part of a longer word does not match.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .registers import NameForm


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    form: NameForm


class NameFinder:
    def __init__(self, forms: list[NameForm]):
        unique: dict[str, list[NameForm]] = {}
        for form in forms:
            unique.setdefault(form.text, [])
            if all(f.ref != form.ref for f in unique[form.text]):
                unique[form.text].append(form)
        # A form naming two entries (e.g. "Khalkhin Gol": river and battle) is ambiguous.
        self.forms = {text: entries[0] for text, entries in unique.items() if len(entries) == 1}
        self.ambiguous = {text for text, entries in unique.items() if len(entries) > 1}
        self._by_first: dict[str, list[str]] = {}
        for form_text in sorted(self.forms, key=len, reverse=True):
            self._by_first.setdefault(form_text[0], []).append(form_text)
        self._thai_words = frozenset(t for t in self.forms if _is_thai(t))
        self._chinese_words = tuple(sorted(t for t in self.forms if _is_cjk(t)))

    def find(self, text: str, lang: str) -> list[NameMatch]:
        """Leftmost matches; at each position the longest form that lies on word boundaries."""
        boundaries = self._boundaries(text, lang) if self.forms else None
        found, position = [], 0
        while position < len(text):
            match = self._match_at(text, position, boundaries)
            if match:
                found.append(match)
                position = match.end
            else:
                position += 1
        return found

    def _match_at(self, text, start, boundaries) -> NameMatch | None:
        for form_text in self._by_first.get(text[start], ()):  # longest first
            end = start + len(form_text)
            if text.startswith(form_text, start) and _ok(text, start, end, boundaries):
                return NameMatch(start, end, self.forms[form_text])
        return None

    def _boundaries(self, text: str, lang: str) -> set[int] | None:
        base = (lang or "").split("-")[0]
        if base == "th" or (_is_thai(text) and base != "zh"):
            return _token_boundaries(thai_words(text, self._thai_words))
        if base in ("zh", "ja") or _is_cjk(text):
            return _token_boundaries(chinese_words(text, self._chinese_words))
        return None


def _ok(text: str, start: int, end: int, boundaries: set[int] | None) -> bool:
    """The match neither begins nor ends inside a word."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if _is_thai(text[start:end]) or _is_cjk(text[start:end]):
        if boundaries is not None:
            return start in boundaries and end in boundaries
        return True
    return not (before.isalnum() or after.isalnum())


def _token_boundaries(tokens: list[str]) -> set[int]:
    boundaries, offset = {0}, 0
    for token in tokens:
        offset += len(token)
        boundaries.add(offset)
    return boundaries


def thai_words(text: str, extra_words: frozenset[str]) -> list[str]:
    from pythainlp.tokenize import word_tokenize
    return word_tokenize(text, custom_dict=_thai_trie(extra_words), engine="newmm",
                         keep_whitespace=True)


@lru_cache(maxsize=4)
def _thai_trie(extra_words: frozenset[str]):
    from pythainlp.corpus.common import thai_words as dictionary
    from pythainlp.util import Trie
    return Trie(set(dictionary()) | set(extra_words))


def chinese_words(text: str, extra_words: tuple[str, ...]) -> list[str]:
    tokenizer = _jieba(extra_words)
    return [word for word, _, _ in tokenizer.tokenize(text)]


@lru_cache(maxsize=4)
def _jieba(extra_words: tuple[str, ...]):
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # jieba's dictionary cache defaults to a shared file in the system temp
    # folder, which another user could plant: keep it in the user's own cache,
    # or (switched off, or a folder others can write to) in a fresh private one.
    tokenizer.tmp_dir = str(user_cache_dir("jieba"))
    for word in extra_words:
        tokenizer.add_word(word, freq=100000)
    return tokenizer


def user_cache_dir(name: str) -> Path:
    """The user's cache folder for NAME (compiled.user_folder: $XDG_CACHE_HOME/edition/NAME,
    EDITION_JIEBA_CACHE=off to switch it off); when it cannot be used, a new private temporary
    folder, removed at exit (the dictionary is then built again by the next process)."""
    from ..model.compiled import user_folder
    folder = user_folder(name, f"EDITION_{name.upper()}_CACHE")
    if folder is None:
        import atexit
        import shutil
        import tempfile
        folder = Path(tempfile.mkdtemp(prefix=f"edition-{name}-"))
        atexit.register(shutil.rmtree, folder, True)
    return folder


def _is_thai(text: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in text)


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)
