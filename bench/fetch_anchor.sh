#!/bin/sh
# The anchor of bench/render.py, into the git-ignored bench/anchor/ (never commit it):
#   Stylesheets/  html/, common/ and i18n.xml of the TEI Consortium's Stylesheets (TEIC/Stylesheets)
#   docs/         Romeo and Juliet (Folger, F-rom.xml, 480 KB) and Kant, Kritik der reinen Vernunft 1781
#                 (DTA, 3.1 MB), as tei-publisher-app ships them in data/demo/
# STYLESHEETS and PUBLISHER are git directories of the two repositories (the `fetch` tool's
# mirrors, or clones). SaxonC-HE comes from the package registry: .venv/bin/pip install saxonche
set -eu
STYLESHEETS=${STYLESHEETS:-/work/.mirror/TEIC+Stylesheets/repo}
PUBLISHER=${PUBLISHER:-/work/.mirror/eeditiones+tei-publisher-app/repo}
OUT=$(dirname "$0")/anchor
mkdir -p "$OUT/Stylesheets" "$OUT/docs"
git --git-dir="$STYLESHEETS" archive HEAD html common i18n.xml VERSION | tar -x -C "$OUT/Stylesheets"
for f in kant_rvernunft_1781.TEI-P5.xml F-rom.xml; do
  git --git-dir="$PUBLISHER" show "HEAD:data/demo/$f" > "$OUT/docs/$f"
done
ls -l "$OUT/docs" "$OUT/Stylesheets/html/html.xsl"
