"""Dask clients for the scripts: an existing cluster (``--scheduler ADDRESS``) or a local one.

``dask`` and ``distributed`` are imported here, lazily, so that a run without ``--scheduler``
pays no Dask start-up cost.  Workers of an existing cluster must have the project installed
(``pip install -e .`` in a virtualenv at the same path) and see ``data/``, ``figures/`` and
``outputs/`` at the same path as the client (a shared file system): tasks carry paths, not
file contents.
"""
from __future__ import annotations

from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any, Iterator

from interview_lens.errors import InputError

__all__ = ["dask_client", "dask_executor", "CONNECT_TIMEOUT"]

CONNECT_TIMEOUT = "20s"
_PRE_SPAWN = "distributed.nanny.pre-spawn-environ"


def _distributed():
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - dask is a pinned dependency
        raise InputError(None, "--scheduler needs the dask and distributed packages "
                               f"(pip install -r requirements.txt): {exc}") from None
    return distributed


@contextmanager
def dask_client(scheduler: str | None = None, *, workers: int | None = None,
                memory_limit: str | int | None = "auto") -> Iterator[Any]:
    """A ``distributed.Client``: connected to ``scheduler`` (``tcp://host:8786``), else to a
    new ``LocalCluster`` of ``workers`` processes with one thread each (Python code holding the
    GIL scales with processes, not threads).  Closed (and the local cluster stopped) on exit.

    Raises :class:`InputError` when the scheduler cannot be reached.
    """
    distributed = _distributed()
    cluster = None
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(None, f"--scheduler {scheduler}: cannot connect to the Dask "
                                   f"scheduler ({' '.join(str(exc).split())[:200]})") from None
    else:
        if workers is not None and workers < 1:
            raise InputError(None, f"--workers must be at least 1, not {workers}")
        import dask

        # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, so that freed memory
        # goes back to the system at once; setting it at all switches off glibc's dynamic mmap
        # threshold, and every large numpy temporary is then mapped and faulted in afresh:
        # corpus counting ran 40% slower (4.3 s -> 5.9 s on 2.5 million words).  None unsets it
        # (Dask's documented override); a task's memory is bounded by one batch of documents
        # anyway.  Workers of an existing cluster: scripts/dask/interview-lens.yaml.
        with dask.config.set({f"{_PRE_SPAWN}.MALLOC_TRIM_THRESHOLD_": None}):
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                               processes=True, dashboard_address=":0",
                                               memory_limit=memory_limit)
        client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def dask_executor(scheduler: str) -> Iterator[Executor]:
    """A ``concurrent.futures.Executor`` running on the Dask cluster at ``scheduler``.

    Its futures are ``concurrent.futures.Future``, so ``as_completed`` and ``cancel`` work as on
    a local process pool.  ``pure=False``: a document run writes files, so two submissions of
    the same task must both run rather than share a cached result.
    """
    with dask_client(scheduler) as client:
        executor = client.get_executor(pure=False)
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)
