"""Run `edition ARGS` and SIGKILL it at its Nth write step (file written,
copied, renamed, exchanged, removed, folder made); N=0 counts the steps and
prints the count on stderr as `steps: K`. Used by tests/faults."""
from __future__ import annotations

import atexit
import os
import pathlib
import shutil
import signal
import sys

target = int(sys.argv[1])
count = 0


def step(original):
    def wrapped(*args, **kwargs):
        global count
        count += 1
        if count == target:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    return wrapped


for owner, name in [(pathlib.Path, "write_text"), (pathlib.Path, "write_bytes"), (pathlib.Path, "rename"),
                    (pathlib.Path, "mkdir"), (shutil, "copy"), (shutil, "copy2"), (shutil, "copyfile"),
                    (shutil, "rmtree"), (os, "replace"), (os, "rename"), (os, "fsync")]:
    setattr(owner, name, step(getattr(owner, name)))

from edition import build  # noqa: E402 - after the patches

build._exchange = step(build._exchange)
if target == 0:
    atexit.register(lambda: print(f"steps: {count}", file=sys.stderr))

from edition.cli import main  # noqa: E402

sys.argv = ["edition", *sys.argv[2:]]
main()
