"""The package's default styles (installed as `edition.styles`): the ODD, schema, templates, CSS and JS.

An edition's own styles/ folder overrides these file by file (see edition/resources.py).
"""
