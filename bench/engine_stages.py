"""CPU seconds of each stage of one CLI solve, in this process (for a machine shared with others).

    nice -n 10 .venv/bin/python bench/engine_stages.py \
        bench/results/instances/20000x6000-none-seed1.json

Does what ``mentorbridge-match solve INSTANCE -o OUT`` does (read and validate, features,
score, shortlist, solve, certify, explain, encode, write; the cyclic garbage collector off, as
in the CLI), but the engine's stage clocks read ``time.process_time`` (CPU of all threads)
instead of wall time. On a busy machine wall times mostly measure the other jobs; CPU seconds
much less so. Prints the 1-minute load average beside the figures. Instances come from
``bench/generate_instance.py`` (``engine_cli.py`` keeps them in ``bench/results/instances/``).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

START_CPU = time.process_time()

from mentorbridge.matching_engine import (  # noqa: E402
    api,
    certificate,
    cli,
    features,
    rounds,
    shortlist,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("instance")
    parser.add_argument("-o", "--output", help="result file (default: a temporary file)")
    args = parser.parse_args()
    cpu_clock = SimpleNamespace(perf_counter=time.process_time)
    for module in (api, rounds, shortlist, certificate, features):
        module.time = cpu_clock  # type: ignore[attr-defined]
    gc.disable()
    imported = time.process_time()
    load = os.getloadavg()[0]
    wall = time.perf_counter()
    instance = cli._load(args.instance, argparse.Namespace())
    read = time.process_time()
    result = api.Session(instance).solve()
    solved = time.process_time()
    text = cli._result_bytes(result)
    encoded = time.process_time()
    output = args.output or os.path.join(tempfile.gettempdir(), "engine-stages.result.json")
    Path(output).write_bytes(text)
    written = time.process_time()
    stats = result.stats
    stages = ", ".join(f"{k} {v:.2f}" for k, v in stats["seconds"].items())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"instance {args.instance}")
    print(
        f"CPU s: imports {imported - START_CPU:.2f}, read and validate {read - imported:.2f}, "
        f"session and solve {solved - read:.2f}, encode {encoded - solved:.2f}, "
        f"write {written - encoded:.2f}; total {written:.2f} (process) | wall "
        f"{time.perf_counter() - wall:.1f} s | peak {peak:.0f} MB | load average {load:.1f}"
    )
    print(f"engine stages, CPU s: {stages}")
    print(
        f"rounds {stats['rounds']}, gap {stats['gap']:.1e}, certified {stats['certified']}, "
        f"matched {stats['matched']}/{stats['demands']}, objective {stats['objective']:.6f}"
    )


if __name__ == "__main__":
    main()
