"""Sentence segmentation: a line of text → sentence spans, by language.

Returns (start, end) character spans; whatever lies between spans (spaces)
stays outside the sentences, so joining the spans and the gaps gives the line
back unchanged. Bracketed citation markers ("[15]") that follow a sentence's
final punctuation belong to that sentence.

- Thai has no sentence punctuation: pythainlp's CRF model (CRFCut) gives each
  space a probability of ending a sentence; a boundary is where it is at least
  one half, or at least 0.1 where an opener chunk or a closed quotation
  follows, or 0.4 where a nominalised subject (การ…, ความ…) follows (a
  boundary it puts after the next sentence's opener moves before it); rules
  then undo the splits it makes inside an
  abbreviation ("พ.ศ. 2479") or a quotation, before a word that cannot begin a
  sentence, after a short opener or a condition, and around fragments; the
  boundaries the text marks itself (a kept full stop, a Latin word run into
  the next Thai word, a date opening a clause after a space) are added and
  never undone. The rules come from the
  errors of the model on the Thai source, divided again by hand by the editors
  (tests/sources/test_segment.py measures the segmenter against that division).
- Chinese ends sentences with 。！？ (optionally followed by closing quotes).
- Latin-script languages use rules, because the established segmenters split
  initials ("Ya. V. Smushkevich") and "1938 r." and miss run-together
  sentences ("en Primorie.Dos días"), all of which our sources contain.
"""
from __future__ import annotations

import re
from functools import lru_cache

Span = tuple[int, int]

CITATION = r"\[\d+(?:[-–,]\s*\d+)*\]"
CLOSERS = "\"'»”’)」』）】"

# Abbreviations after which a period does not end a sentence, by language
# (lower-cased, without the final period).
ABBREVIATIONS = {
    "pl": {"r", "w", "tzw", "np", "ok", "tys", "gen", "płk", "ppłk", "mjr", "kpt",
           "por", "ul", "im", "św", "dr", "prof", "in", "godz", "km", "ds", "wg", "pt",
           "ob", "tj", "ks", "nr", "płd", "płn", "wsch", "zach", "dyw", "pp", "kl"},
    "es": {"sr", "sra", "srta", "dr", "dra", "gral", "gen", "cap", "tte", "cnel", "p",
           "pp", "núm", "art", "aprox", "av", "fig", "vol", "cf", "ud", "uds", "ee", "uu",
           "s", "ss", "st", "sta"},
    "en": {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "capt", "maj", "sgt", "st",
           "vol", "no", "pp", "fig", "cf", "vs", "approx", "etc", "e.g", "i.e", "jr", "sr"},
}
# A year abbreviation is only a sentence end when a capital follows ("1938 r. Japonia").
ENDS_WHEN_CAPITAL_FOLLOWS = {"pl": {"r"}, "es": set(), "en": {"etc"}}

UPPER = r"[^\W\d_a-zà-ÿāăąćčďēėęěğīįıķĺľłńņňōőœŕřśşšţťūůűųźżžёа-я]"


def segment(text: str, lang: str) -> list[Span]:
    """Sentence spans of one line (a paragraph) of `text` in language `lang`."""
    base = lang.split("-")[0].lower()
    if base == "th":
        spans = _thai(text)
    elif base in ("zh", "ja"):
        spans = _chinese(text)
    else:
        spans = _latin(text, base)
    return _attach_citations(text, [s for s in (_trim(text, a, b) for a, b in spans) if s])


def _trim(text: str, start: int, end: int) -> Span | None:
    """Shrink a span so that it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _attach_citations(text: str, spans: list[Span]) -> list[Span]:
    """Move citation markers at the head of a sentence onto the previous one
    when nothing but the marker separates them ("lugares.[20]Los")."""
    result: list[Span] = []
    for start, end in spans:
        marker = re.match(rf"(?:{CITATION})+", text[start:end])
        if result and marker and text[result[-1][1]:start].strip() == "":
            result[-1] = (result[-1][0], start + marker.end())
            start = start + marker.end()
            trimmed = _trim(text, start, end)
            if trimmed is None:
                continue
            start, end = trimmed
        result.append((start, end))
    return result


# --- Chinese -----------------------------------------------------------------

_CHINESE_END = re.compile(rf"(?:[。！？!?]|……|…)+[{re.escape(CLOSERS)}]*(?:{CITATION})*")


def _chinese(text: str) -> list[Span]:
    spans, start = [], 0
    for match in _CHINESE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


# --- Latin-script languages ----------------------------------------------------

_LATIN_CANDIDATE = re.compile(
    rf"(?P<end>[.!?…]+)(?P<close>[{re.escape(CLOSERS)}]*)(?P<cite>(?:{CITATION})*)"
    rf"(?P<space>\s*)(?=(?P<next>\S))")


def _latin(text: str, lang: str) -> list[Span]:
    spans, start = [], 0
    for match in _LATIN_CANDIDATE.finditer(text):
        if _is_boundary(text, match, lang):
            cut = match.end("cite")
            spans.append((start, cut))
            start = cut
    spans.append((start, len(text)))
    return spans


def _is_boundary(text: str, match: re.Match, lang: str) -> bool:
    following = text[match.start("next"):match.start("next") + 2]
    spaced = bool(match.group("space")) or bool(match.group("cite"))
    starts_sentence = bool(re.match(rf"{UPPER}|[\d\"'«“„(¿¡\[]", following))
    if not starts_sentence:
        return False
    word = re.search(r"(\S*?)$", text[:match.start("end")]).group(1)
    word = word.lstrip("([\"'«“„")
    if match.group("end") != ".":
        return spaced or _is_run_together(word, following)
    if _is_initial(word):
        return False
    lowered = word.lower()
    if lowered in ABBREVIATIONS.get(lang, set()):
        capital = bool(re.match(UPPER, following))
        return spaced and capital and lowered in ENDS_WHEN_CAPITAL_FOLLOWS.get(lang, set())
    if not spaced:
        return _is_run_together(word, following)
    return True


def _is_initial(word: str) -> bool:
    """'G', 'K', 'Ya', 'Zh', 'V.K' — a name's initial, never a sentence end."""
    return bool(re.fullmatch(rf"(?:{UPPER}[a-zа-я]?\.)*{UPPER}[a-zа-яh]?", word))


def _is_run_together(word: str, following: str) -> bool:
    """'Primorie.Dos': a word of two or more letters ending in lower case,
    then a capitalised word with no space: a lost space between sentences."""
    return (len(word) >= 2 and word[-1].islower() and word.isalpha()
            and bool(re.match(rf"{UPPER}[^\W\d_]", following)))


# --- Thai ----------------------------------------------------------------------

# Thai abbreviations written with periods; a split right after one is undone.
# They count only as whole words: "ญี่ปุ่น." ends in "น." but is the word Japan
# and a full stop, not the abbreviation น. (นาฬิกา, o'clock).
THAI_ABBREVIATIONS = ("พ.ศ.", "ค.ศ.", "ร.ศ.", "จ.ศ.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.",
                      "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
                      "ดร.", "พล.อ.", "พ.อ.", "ร.อ.", "น.", "ฯลฯ")
# Units after a number ("800 กม."): their period is not a full stop, but a
# sentence may end with one ("… ประมาณ 750 กม."), so only the model decides there.
THAI_UNITS = ("กม.", "ซม.", "มม.", "กก.", "ม.")
THAI_LETTER = "\u0E01-\u0E4E"

# Words that cannot begin a Thai sentence: a piece the model cuts off before one
# of them continues the previous piece ("… ญี่ปุ่นเริ่มโจมตีอีกครั้ง | โดยประสงค์
# จะล้อม …", "intending to encircle"). Conjunctions, relatives, auxiliaries and the
# enumerators ("ประการแรก", "firstly", after "… ไม่ประสบความสำเร็จอย่างมาก").
# Not "แต่", "เนื่องจาก" or "หลังจาก": "but …", "because …" and "after …" do open sentences.
THAI_CONTINUATIONS = ("โดย", "ซึ่ง", "และ", "จึง", "จะ", "ยัง", "ก็", "หรือ", "จาก",
                      "ที่", "ในขณะที่", "ประการ", "พยายาม", "บางครั้ง", "ไม่เพียงแต่",
                      "นับตั้งแต่")
# An adverbial or subordinate opener ("เมื่อข้ามแม่น้ำแล้ว", "having crossed the
# river"; "ภายในสิ้นเดือนมิถุนายน", "by the end of June") that the model leaves
# as a short piece of its own belongs to the sentence that follows it.
_THAI_OPENER = re.compile(r"(?:เมื่อ|หลังจาก|ภายใน|ระหว่าง|ใน|อย่างไรก็ตาม|เพื่อ|ตั้งแต่)")
MAX_OPENER = 40
# A condition ("ดังนั้น หาก …", "therefore, if …"; "เชื่อว่าในกรณีที่ …", "it was
# believed that in case …") always needs the clause that follows it.
_THAI_CONDITION = re.compile(r"(?:ดังนั้น\s*|เชื่อว่า\s*)?(?:หาก|ถ้า|ในกรณี)")
MAX_CONDITION = 100
# "But" with no more than a short phrase ("… Bzin-Tsagan แต่สำหรับเรา", "but for
# us") opens the clause that follows; a clause of its own ("แต่ก็ไม่ประสบ
# ความสำเร็จ", "but it failed") is longer.
_THAI_SHORT_BUT = re.compile(rf"\sแต่[{THAI_LETTER}]{{0,12}}$")
# A piece this short (a date, a name with its title: "ผู้บัญชาการกองพล Bogdanov")
# is a fragment of the sentence that follows.
MIN_SENTENCE = 26


# CRFCut's own decision is a boundary where its model gives "end of sentence"
# a probability of at least one half. Some places deserve a boundary on weaker
# evidence: where an adverbial opener stands as a chunk of its own after a
# clause ending in a Thai word ("… ความพ่ายแพ้ ระหว่างการสู้รบ ศัตรู…", "… during
# the fighting, the enemy …"): the translated sentences open with such phrases;
# and where a quotation closes before a space ('… หมายเลข 8" แผนได้รับ …').
CRF_THRESHOLD = 0.5
WEAK_THRESHOLD = 0.1
# Close to the model's own threshold, a nominalised subject opening the chunk
# after a space ("… ทริปเปิล ความขัดแย้งทางอาวุธ…", "… ในปัจจุบัน การต่อสู้ซึ่ง…":
# การ-/ความ- + verb, "the conflict", "the fighting") tips the balance: inside
# a sentence such a noun phrase follows its verb or preposition with no space.
NEAR_THRESHOLD = 0.4
# An opener chunk may be a whole phrase ("ในการตัดสินใจลับของรัฐบาลญี่ปุ่นเมื่อวันที่").
MAX_OPENER_CHUNK = 45


@lru_cache(maxsize=1)
def _thai_model():
    """pythainlp's word tokenizer, CRFCut's feature extractor and its tagger,
    or None when this pythainlp does not expose them (then only the model's
    own division is used)."""
    from pythainlp.tokenize import crfcut, word_tokenize
    features = getattr(crfcut, "_extract_features", None)
    tagger = getattr(crfcut, "_tagger", None)
    if features is None or tagger is None or not hasattr(tagger, "marginal"):
        return None
    return word_tokenize, features, tagger


@lru_cache(maxsize=1)
def _thai_tokenizer():
    from pythainlp.tokenize import sent_tokenize
    return sent_tokenize


def _thai_candidates(text: str) -> list[tuple[int, float]]:
    """Places where a sentence may end (the end of a word before a space, or
    of a word ending in . ! ?) with the model's probability that one does."""
    model = _thai_model()
    if model is None:
        ends, position = [], 0
        for piece in _thai_tokenizer()(text, engine="crfcut"):
            found = text.find(piece, position)
            if found < 0:
                return []
            position = found + len(piece)
            ends.append((len(text[:position].rstrip()), 1.0))
        return ends
    word_tokenize, features, tagger = model
    words = word_tokenize(text)
    tagger.set(features(words))
    candidates: dict[int, float] = {}
    position = 0
    for index, word in enumerate(words):
        start, position = position, position + len(word)
        if index and not word.strip():  # a space: the word before it may end a sentence
            probability = max(tagger.marginal("E", index - 1), tagger.marginal("E", index))
            candidates[start] = max(candidates.get(start, 0.0), probability)
        elif word.strip().endswith(("!", ".", "?")):  # as CRFCut: punctuation ends a piece
            candidates[position] = 1.0
    return sorted(candidates.items())


def _thai(text: str) -> list[Span]:
    if not text.strip():
        return []
    cuts = []
    for position, probability in _thai_candidates(text):
        if probability >= CRF_THRESHOLD or (probability >= WEAK_THRESHOLD and (
                _opener_follows(text, position) or _quotation_closes(text, position))) or (
                probability >= NEAR_THRESHOLD and _nominal_subject_follows(text, position)):
            cuts.append(position)
    cuts = sorted({_shift_before_opener(text, cut) for cut in cuts})
    spans, start = [], 0
    for cut in cuts:
        if 0 < cut < len(text) and cut > start:
            spans.append((start, cut))
            start = cut
    spans.append((start, len(text)))
    return _merge_thai(text, _closing_quote_back(text, spans))


# An opener standing as a chunk of its own: "ในขั้นต้น ", "ในจำนวนนี้ ", "ระหว่างการสู้รบ ".
_THAI_OPENER_CHUNK = re.compile(rf"(?:ใน|ระหว่าง|อย่างไรก็ตาม)[{THAI_LETTER}]*(?=\s)")


def _opener_follows(text: str, position: int, after_latin: bool = False) -> bool:
    """After a clause ending in a Thai word (or, with `after_latin`, in any
    word), a space and a chunk that is an adverbial opener: the opener begins
    the next sentence. Not when a date opens the clause right after the chunk
    ("… ใด ๆ ในสถานการณ์ เมื่อวันที่ 25 กรกฎาคม …"): the chunk ends the sentence
    before it, and the date begins the next."""
    if position == 0:
        return False
    last = text[position - 1]
    if not (re.match(rf"[{THAI_LETTER}]", last) or (after_latin and last.isalpha())):
        return False
    start = _skip_space(text, position)
    chunk = _THAI_OPENER_CHUNK.match(text, start)
    if not (start > position and chunk and chunk.end() - start <= MAX_OPENER_CHUNK):
        return False
    return not _THAI_DATE_OPENER.match(text, _skip_space(text, chunk.end()))


_THAI_NOMINAL = re.compile(r"(?:การ|ความ)[\u0E01-\u0E4E]")


def _nominal_subject_follows(text: str, position: int) -> bool:
    """After a Thai word and a space, a chunk opening with the nominalisers
    การ/ความ (a noun phrase made from a verb, the usual subject of a sentence)."""
    if position == 0 or not re.match(rf"[{THAI_LETTER}]", text[position - 1]):
        return False
    start = _skip_space(text, position)
    return start > position and bool(_THAI_NOMINAL.match(text, start))


def _shift_before_opener(text: str, cut: int) -> int:
    """The model sometimes ends a sentence one chunk late, after the opener of
    the next ("… 17,000 คน ในจำนวนนี้ | มีสาม: …", "of these, three …"): the
    boundary moves to before that opener when a whole clause precedes it."""
    space = text.rfind(" ", 0, cut)
    if space < MIN_SENTENCE or not text[space + 1:cut].strip():
        return cut
    chunk = _THAI_OPENER_CHUNK.match(text, space + 1)
    if chunk and chunk.end() == cut and _opener_follows(text, len(text[:space].rstrip()), True):
        line_start = text.rfind("\n", 0, space) + 1
        if space - line_start >= MIN_SENTENCE:
            return len(text[:space].rstrip())
    return cut


def _quotation_closes(text: str, position: int) -> bool:
    """The word before `position` closes a quotation opened in the same line,
    and what follows is not a phrase completing the clause the quotation sits
    in ('"การรุกทั่วไป" ในวันที่ 24 สิงหาคม', "the 'general offensive' on 24 August")."""
    if position == 0 or text[position - 1] not in '"”' or not _quotation_open(text[:position - 1]):
        return False
    return not _THAI_OPENER_CHUNK.match(text, _skip_space(text, position))


def _closing_quote_back(text: str, spans: list[Span]) -> list[Span]:
    """A quotation mark standing alone at the head of a piece ("… นอก " การมอง…")
    that closes a quotation open in the piece before belongs to that piece."""
    result: list[Span] = []
    for start, end in spans:
        head = _skip_space(text, start)
        if (result and head < end and text[head] in '"”' and
                (head + 1 == end or text[head + 1].isspace()) and
                _quotation_open(text[result[-1][0]:result[-1][1]])):
            result[-1] = (result[-1][0], head + 1)
            start = head + 1
            if not text[start:end].strip():
                continue
        result.append((start, end))
    return result


def _quotation_open(text: str) -> bool:
    """Whether a quotation is left open at the end of `text`: “ opens, ” closes,
    and a straight quote closes an open quotation or opens one (the machine
    translation mixes them: “… ")."""
    depth = 0
    for mark in re.findall(r'[“”"]', text):
        if mark == "“":
            depth += 1
        elif mark == "”":
            depth = max(depth - 1, 0)
        else:
            depth = depth - 1 if depth else 1
    return depth > 0


# Machine-translated Thai keeps the source's full stops: ". " then Thai ends a sentence.
_THAI_FULL_STOP = re.compile(rf"(?<=[{THAI_LETTER}])\.(?=\s+[{THAI_LETTER}])")
# A Latin-script word run into Thai with no space ("ทะเลสาบ Khasanกองบัญชาการ"):
# Thai sets foreign words off by spaces, so the space lost is a sentence's end.
_LATIN_RUN_INTO_THAI = re.compile(r"(?<=\s)[A-Za-z][A-Za-z-]*[a-z](?=[\u0E01-\u0E2E\u0E40-\u0E44])")
# A date that opens a clause after a space ("… ได้บุกโจมตี เมื่อวันที่ 30 พ.ค. …", "on
# 30 May") begins a sentence: the translated sentences open with their dates, and
# inside a sentence the date follows its verb without a space ("…ตรงไปตรงมาเมื่อวันที่").
_THAI_DATE_OPENER = re.compile(r"(?<=\s)(?:เมื่อ|ภายใน|ตั้งแต่)(?:วันที่|ปลายเดือน|ต้นเดือน|กลางเดือน|สิ้นเดือน)")
# Russian names keep their Latin initials in the Thai text: "G. K. Zhukov".
_LATIN_INITIAL_AT_END = re.compile(r"(?:^|[\s,(])[A-ZА-Я][a-z]?\.$")
# A quotation or parenthesis is kept whole only up to this length: the machine
# translation leaves quotes unbalanced, and one stray mark must not swallow a paragraph.
MAX_MERGED = 400


def _merge_thai(text: str, spans: list[Span]) -> list[Span]:
    """Undo the model's splits that cannot be sentence ends, after adding the
    boundaries the text marks itself (full stops, a Latin word run into Thai, a
    date opening a clause), which are never undone."""
    merged: list[Span] = []
    hard: set[int] = set()  # starts of pieces that follow a marked boundary
    for span in _split_marked(text, spans, hard):
        if merged and span[0] not in hard and _thai_continues(text, merged[-1], span):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _split_marked(text: str, spans: list[Span], hard: set[int]) -> list[Span]:
    result = []
    for start, end in spans:
        cuts = [m.end() for m in _THAI_FULL_STOP.finditer(text, start, end)
                if not _ends_with_word(text[start:m.end()], THAI_ABBREVIATIONS + THAI_UNITS)]
        cuts += [m.end() for m in _LATIN_RUN_INTO_THAI.finditer(text, start, end)]
        cuts += [m.start() for m in _THAI_DATE_OPENER.finditer(text, start, end)]
        for cut in sorted(cuts):
            if start < cut < end:
                result.append((start, cut))
                hard.add(_skip_space(text, cut))
                start = cut
        result.append((start, end))
    return result


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _ends_with_word(text: str, words: tuple[str, ...]) -> bool:
    """`text` ends with one of `words` standing as a word of its own (not the
    end of a longer Thai word)."""
    for word in words:
        if text.endswith(word):
            before = text[:-len(word)]
            if not before or not re.match(rf"[{THAI_LETTER}]", before[-1]):
                return True
    return False


def _thai_continues(text: str, previous: Span, span: Span) -> bool:
    """Whether the model's split between `previous` and `span` falls inside a
    sentence: after an abbreviation ("พ.ศ. 2479") or an initial, inside a short
    quotation or parenthesis, before a word that cannot begin a sentence, after
    an opener or a condition that needs what follows, or around a fragment."""
    before = text[previous[0]:previous[1]].strip()
    after = text[span[0]:span[1]].strip()
    if _ends_with_word(before, THAI_ABBREVIATIONS) or _LATIN_INITIAL_AT_END.search(before):
        return True
    if not re.search(rf"[{THAI_LETTER}]", after):  # only closing marks: '…"'
        return True
    if after.startswith(THAI_CONTINUATIONS) or re.match(r"[A-Za-z]", after):
        return True
    first_quote = re.search(r"[“”]", after)
    if first_quote and first_quote.group() == "”":  # closes a quotation opened before
        return True
    if (len(before) <= MAX_OPENER and _THAI_OPENER.match(before)) or \
            (len(before) <= MAX_CONDITION and _THAI_CONDITION.match(before)):
        return True
    if len(before) < MIN_SENTENCE or _THAI_SHORT_BUT.search(before):
        return True
    if span[1] - previous[0] > MAX_MERGED:
        return False
    return _quotation_open(before) or before.count("(") > before.count(")")
