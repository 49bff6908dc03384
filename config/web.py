"""Process settings of the web server's processes (not the worker's or the scheduler's)."""

from __future__ import annotations

import os

# Read by the BLAS libraries when numpy and scipy load them, so set before the app imports them.
BLAS_THREADS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_blas() -> None:
    """One BLAS thread per web process (unless the environment says otherwise).

    A request multiplies one goal's sentence vector with the mentors' (the suggestions page
    with semantic matching): a product too small to gain from threads. OpenBLAS's helper
    threads then busy-wait for more work after every call, taking a core from the request
    threads, the other web processes and PostgreSQL: on 2 cores the find page used 35 ms more
    CPU with semantic matching than without (87 against 51 ms), and 44 ms with one thread.
    gunicorn already runs several processes of several threads each. The worker, which
    embeds texts and solves rounds with large products, keeps its threads."""
    for name in BLAS_THREADS_VARIABLES:
        os.environ.setdefault(name, "1")
