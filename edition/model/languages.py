"""A TEI language tag (xml:lang, BCP 47) and the text it labels → HTML lang and dir.

The direction of text follows its script, not its language: `ar-Latn-x-ijmes`
(IJMES transliteration) is Latin script, left to right, though Arabic is not.
So `direction` reads the ISO 15924 script subtag when the tag has one (BCP 47
§2.2.3); otherwise the Unicode script of the content decides, by its first
strong character (as HTML's dir="auto" and the Unicode Bidirectional
Algorithm, UAX #9 rules P2–P3, do); only text with no strong character at all
(digits, punctuation) takes the usual script of the language (its
Suppress-Script in the IANA registry).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..xmlio import XML_LANG, tei

# ISO 15924 codes of the scripts written right to left (Unicode's Script_Extensions
# with Bidi_Class R/AL): Arabic, Hebrew, Syriac, Thaana, N'Ko, Adlam, Mandaic,
# Samaritan, Imperial Aramaic, Phoenician, Avestan, Old South Arabian, Hanifi Rohingya, Yezidi.
RTL_SCRIPTS = {"arab", "aran", "hebr", "syrc", "syre", "syrj", "syrn", "thaa", "nkoo", "adlm", "mand",
               "samr", "armi", "phnx", "avst", "sarb", "narb", "rohg", "yezi", "mani", "nbat", "palm",
               "phli", "phlp", "prti", "sogd", "sogo", "chrs", "elym", "hatr", "khar", "lydi", "mend", "orkh"}
# Languages whose usual script is right to left (their IANA Suppress-Script).
RTL_LANGUAGES = {"ar", "he", "iw", "fa", "ur", "yi", "ps", "syr", "dv", "ug", "ckb", "arc", "sam", "sd", "ks",
                 "prs", "pnb", "azb", "lrc", "mzn", "glk", "bal", "ji", "lad", "jrb", "nqo"}


def script_of(tag: str) -> str | None:
    """The script subtag of a language tag (`sr-Latn-RS` → "latn"), if it has one."""
    subtags = tag.replace("_", "-").split("-")
    if subtags[0].lower() in ("x", "i"):
        return None  # a private-use or grandfathered tag as a whole
    for subtag in subtags[1:]:
        if subtag.lower() in ("x", "u", "t") or len(subtag) == 1:
            return None  # extensions and private use follow: no script subtag
        if len(subtag) == 4 and subtag.isalpha():
            return subtag.lower()
    return None


def direction(tag: str | None, node=None) -> str | None:
    """"rtl" or "ltr" for text labelled `tag` (and, when given, the TEI element
    holding it); None when neither the tag nor the text says."""
    by_script, usual = _tag_direction(tag) if tag else (None, None)
    if by_script:
        return by_script
    found = content_direction(node) if node is not None else None
    return found or usual


@lru_cache(maxsize=1024)
def _tag_direction(tag: str) -> tuple[str | None, str]:
    """(the direction of the tag's script subtag or None, the language's usual direction)."""
    script = script_of(tag)
    usual = "rtl" if tag.split("-")[0].lower() in RTL_LANGUAGES else "ltr"
    return ("rtl" if script in RTL_SCRIPTS else "ltr") if script else None, usual


def content_direction(node, limit: int = 2000) -> str | None:
    """The direction of the first strong character of an element's text (UAX #9 P2)."""
    seen = 0
    for piece in node.itertext():
        for char in piece:
            kind = unicodedata.bidirectional(char)
            if kind == "L":
                return "ltr"
            if kind in ("R", "AL"):
                return "rtl"
            seen += 1
            if seen > limit:
                return None
    return None


def document_language(tree) -> str | None:
    """The language of a document's text: xml:lang of the TEI root or its <text>,
    else the main language of the header's langUsage (the one with the greatest
    @usage, else the first); None when the document declares none."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    text = root.find(f".//{tei('text')}")
    declared = root.get(XML_LANG) or (text.get(XML_LANG) if text is not None else None)
    if declared:
        return declared
    languages = root.findall(f"./{tei('teiHeader')}/{tei('profileDesc')}/{tei('langUsage')}/{tei('language')}")
    idents = [(float(_number(l.get("usage"))), -n, l.get("ident")) for n, l in enumerate(languages) if l.get("ident")]
    return max(idents)[2] if idents else None


def _number(value: str | None) -> str:
    return value if value and value.replace(".", "", 1).isdigit() else "0"
