"""Where numba keeps the compiled kernels (`kernels.py`, `solvers/stable.py`).

numba caches them next to the code (`__pycache__`), else in the user's cache folder
(``$XDG_CACHE_HOME/numba`` or ``~/.cache/numba``). When neither can be written (an install in
a read-only folder, run by a user with no writable home) it refuses to load the kernels at
all. `use_writable_cache` then points ``NUMBA_CACHE_DIR`` at a folder in the temporary
directory, so the kernels compile once there and are reused. A ``NUMBA_CACHE_DIR`` set by the
caller is always kept.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def _writable(folder: Path) -> bool:
    """Whether files can be created in `folder` (made if missing), as numba tries it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def user_cache_dir() -> Path:
    """numba's cache folder for this user when the code's folder is read-only."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "numba"


def use_writable_cache(package: Path | None = None) -> str | None:
    """Set NUMBA_CACHE_DIR when numba could cache neither next to the code nor per user;
    returns the folder it set, or None when nothing had to change."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    package = package or Path(__file__).resolve().parent
    if _writable(package / "__pycache__") or _writable(user_cache_dir()):
        return None
    folder = Path(tempfile.gettempdir()) / f"mentorbridge-numba-{os.getuid()}"
    if not _writable(folder):
        return None  # nothing to fall back to: numba says so when it loads the kernels
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    if "numba.core.config" in sys.modules:  # numba read its settings already: read them again
        sys.modules["numba.core.config"].reload_config()
    return str(folder)
