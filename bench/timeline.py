"""Which process of a command does what when: its process tree sampled every 20 ms.

    python bench/timeline.py -- edition build --no-cache

Prints the wall time, the CPU time of the command and all its children, and one row per
process (the build, its forked children: the book, the book's later chapters, the EPUBs, the
site's data files): when it was first and last seen, its user and system seconds, and its CPU
use per half second (a blank: idle; `.` to `@`: a tenth to all of a core). Linux only (/proc).
The sampling itself costs a few per cent of a core.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
STEP = 0.5  # seconds a column of the timeline stands for
SHADES = ".:-=+*#%@"


def _stat(pid: int):
    """(parent pid, user s, system s) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            text = file.read()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2:].split()
    return int(fields[1]), int(fields[11]) / TICK, int(fields[12]) / TICK


def _tree(root: int) -> dict[int, tuple]:
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        stat = _stat(pid)
        if stat is None:
            continue
        found[pid] = stat
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as file:
                    todo.extend(int(child) for child in file.read().split())
        except OSError:
            pass
    return found


def timeline(command: list[str], out=sys.stderr) -> tuple[float, float]:
    """Run `command`, print its timeline to `out`; (wall s, CPU s of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    seen: dict[int, dict] = {}
    while process.poll() is None:
        now = time.perf_counter() - start
        for pid, (parent, user, system) in _tree(process.pid).items():
            row = seen.setdefault(pid, {"first": now, "parent": parent, "samples": []})
            row["last"], row["user"], row["system"] = now, user, system
            row["samples"].append((now, user + system))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"{' '.join(command)}: exit {process.returncode}, {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"(load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)", file=out)
    columns = int(wall / STEP) + 1
    for pid, row in sorted(seen.items(), key=lambda item: item[1]["first"]):
        used = [0.0] * columns
        last = 0.0
        for moment, total in row["samples"]:
            used[int(moment / STEP)] += total - last
            last = total
        if last < 0.05:
            continue
        bar = "".join(" " if u < 0.05 * STEP else SHADES[min(len(SHADES) - 1, int(u / STEP * len(SHADES)))]
                      for u in used)
        print(f"  {pid:>7} (of {row['parent']:>7}) {row['first']:5.1f}–{row['last']:5.1f} s  user {row['user']:5.2f}"
              f"  sys {row['system']:4.2f}  |{bar}|", file=out)
    return wall, cpu


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    if not arguments:
        raise SystemExit(__doc__)
    timeline(arguments, sys.stdout)
