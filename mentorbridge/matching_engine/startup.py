"""Start-up: import scipy.sparse without the numpy submodules it never uses.

scipy's array-API layer (``scipy._lib.array_api_compat.numpy``, imported by ``scipy.sparse``)
copies every public name of numpy into its own namespace, and looking the names up imports
numpy's lazily loaded ``f2py``, ``testing``, ``ma`` and ``ctypeslib``: about 0.1 CPU s of the
engine's 0.6 s import, in every CLI run and web worker start. `import_scipy_sparse` hides
those four names from numpy's ``__all__`` and ``dir()`` while scipy.sparse is imported, then
puts them back: numpy itself is unchanged and still loads them when asked (``numpy.ma``),
only scipy's copy of the numpy namespace lacks them. If scipy was imported already, or numpy
does not have the lazy names this expects, it is a plain import.
"""

from __future__ import annotations

import sys
from types import ModuleType

UNUSED_BY_SCIPY_SPARSE = frozenset({"f2py", "testing", "ma", "ctypeslib"})


def import_scipy_sparse() -> ModuleType:
    """``import scipy.sparse``, skipping numpy submodules scipy.sparse does not use."""
    import numpy

    listed = getattr(numpy, "__all__", None)
    names = numpy.__dict__.get("__dir__")
    if "scipy" in sys.modules or not isinstance(listed, list) or not callable(names):
        import scipy.sparse

        return scipy.sparse
    skip = {n for n in UNUSED_BY_SCIPY_SPARSE if f"numpy.{n}" not in sys.modules}

    def narrowed() -> list[str]:
        return [n for n in names() if n not in skip]

    numpy.__all__ = [n for n in listed if n not in skip]
    numpy.__dir__ = narrowed  # type: ignore[method-assign]
    try:
        import scipy.sparse
    finally:
        numpy.__all__ = listed
        numpy.__dir__ = names  # type: ignore[method-assign]
    return scipy.sparse
