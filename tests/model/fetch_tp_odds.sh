#!/bin/sh
# Copy every ODD of TEI Publisher (eeditiones/tei-publisher-app) into the
# git-ignored .fetched/tp/ for tests/model/test_tp_odds.py. Never commit them.
#   current/    resources/odd/*.odd at the snapshot's HEAD
#   historical/ serafin, graves, dantiscus (odd/ before the move to resources/odd)
#               and tei_simplePrint (before it was merged into teipublisher.odd);
#               they inherit teipublisher.odd, found along the search path
# REPO is a git directory of the repository (the `fetch` tool's mirror, or a clone).
set -eu
REPO=${1:-/work/.mirror/eeditiones+tei-publisher-app/repo}
OUT=$(dirname "$0")/../../.fetched/tp
mkdir -p "$OUT/current" "$OUT/historical"
for f in $(git --git-dir="$REPO" ls-tree --name-only HEAD resources/odd/ | grep '\.odd$'); do
  git --git-dir="$REPO" show "HEAD:$f" > "$OUT/current/$(basename "$f")"
done
for f in serafin graves dantiscus; do
  git --git-dir="$REPO" show "69c66da1^:odd/$f.odd" > "$OUT/historical/$f.odd"
done
git --git-dir="$REPO" show "56df43f7^:odd/tei_simplePrint.odd" > "$OUT/historical/tei_simplePrint.odd"
ls "$OUT"/*
