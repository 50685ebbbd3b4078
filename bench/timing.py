"""The one way benchmarks time things: the median of a few runs."""
from __future__ import annotations

import statistics
import time


def timed(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
