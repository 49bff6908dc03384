"""Web processes run BLAS on one thread; the environment can still say otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.web import BLAS_THREADS_VARIABLES, single_threaded_blas

ROOT = Path(__file__).resolve().parents[2]
BLAS_THREADS = (
    "import config.wsgi, threadpoolctl; "
    "print(max(i['num_threads'] for i in threadpoolctl.threadpool_info() "
    "if i['user_api'] == 'blas'))"
)


def test_single_threaded_blas_sets_one_thread_where_the_environment_says_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in BLAS_THREADS_VARIABLES:
        monkeypatch.setenv(name, "-")  # so that the test's changes are undone after it
        monkeypatch.delenv(name)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    single_threaded_blas()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    assert os.environ["MKL_NUM_THREADS"] == "1"
    assert os.environ["OMP_NUM_THREADS"] == "3"


def test_the_wsgi_application_loads_numpys_blas_with_one_thread() -> None:
    pytest.importorskip("threadpoolctl")
    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREADS_VARIABLES}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", BLAS_THREADS], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120, check=True,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "1"
