"""Forked children, in one place: whether a piece of work may go to one, and the fork itself.

The build forks a child for work that reads what this process already holds (the view, the
parsed sources) and writes nothing it shares: the site's data files (html/beside.py), the
book's later chapters (pdf/apart.py), the page pool's workers and the check's children
(pipeline/graph.py). A fork copies only the thread that forks, so it is not used where this
process runs other threads (`edition serve`): a lock another thread held, in Pango or
fontconfig say, would stay held in the child."""
from __future__ import annotations

import contextlib
import gc
import os
import threading


def wanted(switch: str) -> bool:
    """Whether to fork: not when the environment variable `switch` is "1", on one core, where
    the platform cannot fork, or where other threads run; any other value of it forces a fork."""
    setting = os.environ.get(switch, "").strip()
    if setting == "1" or threading.active_count() > 1 or not hasattr(os, "fork"):
        return False
    return bool(setting) or (os.cpu_count() or 1) > 1


def fork_to_exit(run) -> int:
    """The pid of a child forked to do `run()` and exit with the code it returns (1 if it
    raised), never going back into the caller's code. The parent's objects are frozen for the
    collector across the fork, so the child's collections leave their pages shared."""
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid == 0:
        code = 1
        with contextlib.suppress(BaseException):
            code = run()
        os._exit(code)
    gc.unfreeze()
    return pid


# --- the long pole's gate ------------------------------------------------------------------
# In a build of several outputs the book is the long pole: its body is laid out by two
# processes (pdf/apart.py), which want both cores; what runs beside it then (the EPUBs, the
# site's data files) only delays it, and can as well run after, while the book is drawn by
# one process. A gate is a pipe whose write end only the book's processes hold: who waits
# at it reads until the end of the file, which comes when the book says its body is laid
# out (`pass_gate`) or its processes end, whatever happens to them.
_GATE = {"read": None, "write": None}


def open_gate() -> None:
    """A new gate, held closed by this process until it forks the long pole (`hold_gate` in
    the child, `leave_gate` here); what it forks after that waits at it (`wait_at_gate`)."""
    close_gate()
    _GATE["read"], _GATE["write"] = os.pipe()


def hold_gate() -> None:
    """In the long pole's child: it alone holds the gate now (and its own children)."""
    if _GATE["read"] is not None:
        os.close(_GATE["read"])
        _GATE["read"] = None


def leave_gate() -> None:
    """In the process that forked the long pole: it no longer holds the gate (it only waits)."""
    if _GATE["write"] is not None:
        os.close(_GATE["write"])
        _GATE["write"] = None


def pass_gate() -> None:
    """The long pole's heaviest stretch is over: who waits at the gate goes on."""
    leave_gate()


def wait_at_gate() -> None:
    """Until the gate opens (at once when there is none, or this process holds it)."""
    leave_gate()  # a process waiting at a gate it holds would wait for ever
    reader = _GATE["read"]
    if reader is None:
        return
    _GATE["read"] = None
    with contextlib.suppress(OSError):
        while os.read(reader, 4096):
            pass
    os.close(reader)


def close_gate() -> None:
    """No gate any more (the outputs are written): nothing waits."""
    for end in ("read", "write"):
        if _GATE[end] is not None:
            with contextlib.suppress(OSError):
                os.close(_GATE[end])
            _GATE[end] = None
