#!/usr/bin/env bash
# Install the benchmark's third-party peers (run from the repository root).
#   daffidwilde/matching -> the project venv (.venv)
#   mentor-match         -> bench/.venv-peers (its package is also called `matching`)
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install -q -r bench/requirements-peers.txt
if [ ! -x bench/.venv-peers/bin/python ]; then
    python3 -m venv bench/.venv-peers
fi
bench/.venv-peers/bin/python -m pip install -q -r bench/requirements-mentor-match.txt
echo "peers installed: $(.venv/bin/python -c 'import matching; print("matching", matching.__version__)')," \
     "$(bench/.venv-peers/bin/python -c 'from importlib.metadata import version; print("mentor-match", version("mentor-match"))')"
