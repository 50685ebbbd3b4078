"""Checked TEI → annotated TEI: the first pass of names and dates.

`registers` reads the authority files into name forms; `names` finds them
in text (longest match, word boundaries in every script); `dates` finds and
normalises date expressions per language; `markup` wraps the matches in TEI
elements without touching anything else; `run` drives it over sources.
"""
