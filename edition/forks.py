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
