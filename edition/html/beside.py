"""Work of the site done beside the pages, in a forked child, on the second core.

The site's data files — the static DTS API (~2,900 files for our edition), the search
index and the text exports — read the view and nothing the pages make, and the pages
read nothing of them: a child forked from the build (it inherits the view: nothing is
parsed twice) writes them into the scratch folder while this process renders the pages.
The fonts, which are cut to the characters of the pages and of the search data, wait
for it (`wait`). The files are the ones one process writes, byte for byte.

Anything the child cannot do (an exception, a signal) it reports, and `wait` does the
work here instead: the same files, later (a fault of the work itself is then raised here,
as a build in one process raises it). The child dies with the build (PR_SET_PDEATHSIG on
Linux), so a killed build leaves no process writing into its scratch folder.
EDITION_SITE_PROCESSES=1 (or one core, or a process running other threads, such as
`edition serve`: a fork copies only the thread that forks) does everything here.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import traceback

from .. import forks

SWITCH = "EDITION_SITE_PROCESSES"


def wanted() -> bool:
    return forks.wanted(SWITCH)


class Beside:
    """`work()` in a forked child from now on (when `wanted`), else when waited for.
    `switch`: the environment variable that says whether to fork (forks.wanted).
    `work()` returns what the child learnt that this process must know (JSON: the parts it
    took and kept, say); `merge` is given it here when the child did the work."""

    def __init__(self, work, merge=None, switch: str = SWITCH):
        self.work, self.merge, self.pid, self._reader = work, merge, None, None
        if not forks.wanted(switch):  # the site's switch, or the caller's (pipeline/graph.Forked)
            return
        reader, writer = os.pipe()
        parent = os.getpid()

        def child() -> int:
            try:
                os.close(reader)
                _die_with(parent)
                told = json.dumps(work()).encode("utf-8")
                while told:
                    told = told[os.write(writer, told):]
                return 0
            except BaseException:
                with contextlib.suppress(BaseException):
                    os.write(writer, traceback.format_exc().encode("utf-8", "replace")[-8000:])
                return 1
        try:
            pid = forks.fork_to_exit(child)
        except OSError:
            os.close(reader)
            os.close(writer)
            return
        os.close(writer)
        self.pid, self._reader = pid, reader

    def wait(self) -> None:
        """Until the work is done: the child's, or this process's when the child could not."""
        if self.pid is None:
            self.work()
            return
        done, told = self._finish()
        if not done:  # the child failed: the work here (its files are written again)
            self.work()
        elif self.merge is not None:
            self.merge(told)

    def _finish(self) -> tuple[bool, object]:
        """Wait for the child: (True, what work() returned) when it did the work, else
        (False, what went wrong)."""
        pid, self.pid = self.pid, None
        chunks = []
        with contextlib.suppress(OSError):
            while chunk := os.read(self._reader, 65536):
                chunks.append(chunk)
        os.close(self._reader)
        _, status = os.waitpid(pid, 0)
        said = b"".join(chunks).decode("utf-8", "replace")
        if os.waitstatus_to_exitcode(status) == 0:
            try:
                return True, json.loads(said)
            except ValueError:
                return False, f"the child said {said[:200]!r}"
        return False, said or f"exit status {status}"

    def close(self) -> None:
        """Stop the child if it still runs (the build failed before waiting for it)."""
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                self._finish()


def _die_with(parent: int) -> None:
    """The child is killed when the build's process ends (Linux); it ends at once if that
    process is gone already."""
    with contextlib.suppress(Exception):
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)
