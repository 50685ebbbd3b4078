"""The corpus → the static HTML edition (build/html/).

`collect` turns the gathered corpus into view-models (sources with aligned
sentence pairs, registers with occurrences, events, claims, problems);
`graphics` draws the timeline and map as SVG at build time; `search` builds
the sharded search index the site's own search.js reads; `pages` renders the Jinja templates in
styles/templates through the processing model.
"""
