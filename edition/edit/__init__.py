"""Edits as operations: small functions from a document and arguments to a
change, and one `apply` that guards the original reading, validates, writes a
minimal change atomically and records it for undo. The CLI (edition/commands/
editing.py) and the browser workbench (edition/workbench/) are thin faces over
these functions.

    from edition.edit import apply, tagging
    apply(edition, tagging.tag, sentence="pl-khasan-s3", kind="person",
          ref="per:lyushkov", phrase="Łuszkow")
"""
from .apply import Applied, EditRefused, apply
from .document import StaleFile, Workspace
from .history import History
from . import notes, registers, review, tagging, translation

__all__ = ["Applied", "EditRefused", "History", "StaleFile", "Workspace", "apply",
           "notes", "registers", "review", "tagging", "translation"]
