"""The scholar's workbench: the edit operations of edition/edit/ in the browser.

`edition edit` serves, on 127.0.0.1, an editing view of the sources (tag,
review, fact-check, translate, undo), the built site as a live preview, and
server-sent events that reload the pages after any change under tei/ or
styles/. See app.py for the routes and the safety rules.
"""
