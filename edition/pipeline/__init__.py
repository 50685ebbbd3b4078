"""The build as work that can be skipped or spread: what each output depends
on (inputs.py), a cache of finished outputs keyed on those inputs
(cache.py), and the task graph with its executors (graph.py).

build.py asks `OutputCache.restore(name, key)` before writing an output and
`OutputCache.store(...)` after; nothing else in the pipeline knows there is
a cache.
"""
from .cache import OutputCache
from .inputs import InputDigest, output_key

__all__ = ["OutputCache", "InputDigest", "output_key"]
