"""Per-source summaries kept between builds: what the corpus-wide view reads of a source.

Issue 15's redesign, a first piece: an incremental build re-reads for the
corpus-wide pages only what changed. Here that is a source's occurrences of
register entries (html/collect/registers.py: source_occurrences — every name
that points at an entry, with its row unit, text and language), which the
registers, the occurrence pages, the map and the search read. An unchanged
source's occurrences are taken from build/.cache/summaries/ instead of being
looked up name by name again (the trees are still parsed: the pages need them).

A summary's key is the one the site's parts use for that source
(parts.SiteParts.source_key): the source's bytes, what of every source a page
shows (the navigation and the register entries sources declare themselves:
a name may point at another source's entry), and everything around the
sources (inputs.context_key: registers, bibliography, edition.xml, styles,
the package's code). Entries are parts (pipeline/parts.py: a header naming
the format, kind and key, the payload's SHA-256; a damaged or foreign entry
is discarded), and a summary is only kept when its source's bytes at the
end of the build are those it was keyed on (a file edited while the build
read it keeps nothing). A kept summary that is not of the expected shape,
or names an entry this view does not have, is not used (made afresh).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

FOLDER = "summaries"
_TIME = "1970-01-01 00:00 UTC"  # SiteParts wants a build time; nothing here is stamped with it


class KeptSummaries:
    def __init__(self, edition, build_dir: Path, log=None):
        self.edition, self.build_dir, self.log = edition, Path(build_dir), log
        self.parts = None  # made when first asked (a build whose outputs are all kept asks nothing)
        self._made: dict[tuple[str, str], tuple[bytes, Path]] = {}
        # the sources' bytes before the build parses them (make this before Corpus.load): a summary
        # is kept only if its source's bytes were the same then, when it was keyed, and at the end
        root = edition.root.resolve()  # a file linked out of the edition is never read (edition/safety.py)
        self._before = {path: _digest(path) for path in edition.sources_dir.resolve().glob("*.xml")
                        if root in path.resolve().parents}

    def kept(self, view, kind: str):
        """`kept(source, make)`: make()'s JSON value for `source`, or the one kept under its key."""
        if self.parts is None:
            from .inputs import context_key
            from .parts import PartCache, SiteParts
            cache = PartCache(self.build_dir, self.log, folder=self.build_dir / ".cache" / FOLDER)
            self.parts = SiteParts(cache, context_key(self.edition, "summary"), _TIME)

        def kept(source, make):
            key = self.parts.source_key(view, source, kind)
            if key is None:  # the source holds the build time's placeholder characters: no key
                return make()
            payload = self.parts.cache.get(kind, key)
            if payload is not None:
                try:
                    return json.loads(payload)
                except ValueError:
                    pass
            value = make()
            self._made[(kind, key)] = (json.dumps(value, ensure_ascii=False).encode("utf-8"), source.document.path)
            return value
        return kept

    def finish(self) -> None:
        """Keep what was made, for the sources whose bytes are still those it was keyed on;
        prune what neither this build nor the one before it used."""
        if self.parts is None:
            return
        for (kind, key), (payload, path) in self._made.items():
            now = _digest(path)
            if now is not None and now == self.parts._digests.get(path) == self._before.get(Path(path)):
                self.parts.cache.put(kind, key, payload)
        self._made.clear()
        self.parts.cache.finish()


def _digest(path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None
