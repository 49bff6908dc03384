"""Start-up: scipy.sparse is imported without numpy submodules it never uses."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_the_engine_skips_numpy_f2py_and_testing() -> None:
    code = (
        "import sys, mentorbridge.matching_engine.cli; "
        "print(sorted(m for m in ('numpy.f2py', 'numpy.testing') if m in sys.modules))"
    )
    assert _run(code) == "[]"


def test_numpy_keeps_its_public_names_and_still_loads_them_when_asked() -> None:
    code = (
        "import numpy; before = (list(numpy.__all__), sorted(dir(numpy))); "
        "from mentorbridge.matching_engine.startup import import_scipy_sparse; "
        "sparse = import_scipy_sparse(); "
        "print((list(numpy.__all__), sorted(dir(numpy))) == before, "
        "numpy.testing.__name__, float(sparse.csr_matrix(numpy.eye(3)).sum()))"
    )
    assert _run(code) == "True numpy.testing 3.0"


def test_a_scipy_imported_before_is_taken_as_it_is() -> None:
    code = (
        "import sys, scipy.sparse; "
        "from mentorbridge.matching_engine.startup import import_scipy_sparse; "
        "print(import_scipy_sparse() is sys.modules['scipy.sparse'])"
    )
    assert _run(code) == "True"
