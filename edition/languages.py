"""Language tags (xml:lang, BCP 47) → the names a reader sees ("Latin original", "Plain text (Thai)").

The edition's own names come first: they are what its pages have always said ("Middle Persian"
for pal); any other tag is named by langcodes from CLDR's data, in English, so that a
stranger's "lat", "deu" or "chu" reads as Latin, German or Church Slavic, never as the code.
langcodes is imported only for a tag the list lacks (it takes a tenth of a second).
"""
from __future__ import annotations

from functools import lru_cache

NAMES = {"th": "Thai", "es": "Spanish", "pl": "Polish", "zh": "Chinese",
         "en": "English", "ru": "Russian", "ja": "Japanese", "mn": "Mongolian",
         # languages of other people's TEI (a document's own langUsage names its languages first)
         "la": "Latin", "grc": "Ancient Greek", "el": "Greek", "fr": "French", "de": "German",
         "nl": "Dutch", "it": "Italian", "pt": "Portuguese", "cs": "Czech", "uk": "Ukrainian",
         "ar": "Arabic", "he": "Hebrew", "fa": "Persian", "ko": "Korean", "sa": "Sanskrit",
         "ae": "Avestan", "pal": "Middle Persian", "hu": "Hungarian", "sv": "Swedish"}


@lru_cache(maxsize=None)
def language_name(tag: str) -> str:
    """The English name of the language `tag` names: its primary language in the edition's list,
    else CLDR's name of the whole tag (zh-Hant: "Chinese (Traditional)"). "Text" for no tag;
    the tag itself when it names no language anyone knows (an x- private tag, a typo)."""
    if not tag:
        return "Text"  # the document states no language
    primary = tag.split("-")[0].lower()
    if primary in NAMES:
        return NAMES[primary]
    import langcodes
    try:
        standard = langcodes.standardize_tag(tag)
        language = langcodes.get(standard).language
    except (ValueError, LookupError):
        return tag
    if language in NAMES:  # lat → la: the edition's own name
        return NAMES[language]
    name = langcodes.Language.get(standard).display_name("en") if language else ""
    return tag if not name or name.startswith("Unknown language") else name
