"""The command line: results, pair scores, why-not, and exit code 2 on invalid input."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from mentorbridge.matching_engine import rounds
from mentorbridge.matching_engine.api import Session
from mentorbridge.matching_engine.cli import WARM_UP_INSTANCE, main
from mentorbridge.matching_engine.instance import Instance
from tests.matching_engine.synthetic import make_instance


def _write(tmp_path: Path, data: object, name: str = "instance.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def test_solve_writes_a_result_and_pair_scores(tmp_path: Path) -> None:
    instance = _write(tmp_path, make_instance(20, 8, seed=2))
    out, pairs = tmp_path / "result.json", tmp_path / "pairs.csv"
    assert main(["solve", instance, "-o", str(out), "--pair-scores", str(pairs), "-q"]) == 0
    result = json.loads(out.read_text())
    assert result["format"] == "mentorbridge-result/1"
    assert result["stats"]["gap"] == 0
    assert set(result["stats"]["seconds"]) >= {
        "features",
        "score",
        "shortlist",
        "solve",
        "certify",
        "explain",
    }
    rows = list(csv.DictReader(pairs.open()))
    assert rows and set(rows[0]) == {"mentee", "focus_area", "mentor", "score"}
    chosen = {(a["mentee"], a["focus_area"], a["mentor"]) for a in result["assignments"]}
    assert chosen <= {(r["mentee"], r["focus_area"], r["mentor"]) for r in rows}


def test_all_pairs_option_writes_every_eligible_pair(tmp_path: Path) -> None:
    instance = _write(tmp_path, make_instance(10, 6, seed=3, k=2))
    short, full = tmp_path / "short.csv", tmp_path / "full.csv"
    main(["solve", instance, "-o", str(tmp_path / "r.json"), "--pair-scores", str(short), "-q"])
    main(
        [
            "solve",
            instance,
            "-o",
            str(tmp_path / "r.json"),
            "--pair-scores",
            str(full),
            "--all-pairs",
            "-q",
        ]
    )
    assert len(full.read_text().splitlines()) >= len(short.read_text().splitlines())


def test_why_not_explains_a_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = make_instance(10, 4, seed=4)
    instance = _write(tmp_path, data)
    mentee, mentor = data["mentees"][0]["id"], data["mentors"][0]["id"]
    assert main(["why-not", instance, "--mentee", mentee, "--mentor", mentor]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["answers"][0]["verdict"] in {
        "assigned",
        "removed_by_hard_rule",
        "lower_objective",
    }


BAD_INPUTS = {
    "malformed JSON": ('{"people": [}', "instance.json: malformed JSON"),
    "capacity": ("capacity", "capacity must be an integer 0..1000000, got -1"),
    "unknown id": ("unknown", "opt_out_mentors refers to unknown mentor 'E404'"),
    "cycle": ("cycle", "reporting chain has a cycle"),
}


def _bad(kind: str) -> object:
    data = make_instance(3, 2, seed=1)
    if kind == "capacity":
        data["mentors"][0]["capacity"] = -1
    elif kind == "unknown":
        data["mentees"][0]["opt_out_mentors"] = ["E404"]
    elif kind == "cycle":
        data["people"][0]["manager"] = "P0"
    else:
        return kind
    return data


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_invalid_input_exits_with_code_2_and_names_the_field(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw, expected = BAD_INPUTS[case]
    instance = _write(tmp_path, _bad(raw))
    assert main(["solve", instance, "-q"]) == 2
    assert expected in capsys.readouterr().err


def test_a_missing_file_exits_with_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "/nonexistent/instance.json"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_warm_up_builds_every_kernel(capsys: pytest.CaptureFixture[str]) -> None:
    from numba.core.registry import CPUDispatcher

    from mentorbridge.matching_engine import first_prices, kernels
    from mentorbridge.matching_engine.solvers import fair, repair

    assert main(["warm-up"]) == 0
    assert "kernels ready" in capsys.readouterr().err
    public = [
        getattr(kernels, name)
        for name in dir(kernels)
        if not name.startswith("_") and isinstance(getattr(kernels, name), CPUDispatcher)
    ]
    assert len(public) >= 5
    assert all(kernel.signatures for kernel in public)
    # the late rounds' repair and a working set's pricing, which the warm-up solve never reaches
    late: list[Any] = [
        repair._augment,
        repair._reach_sink_kernel,
        kernels.distances_within,
        kernels.group_by_source,
        repair._rows_repair,  # a kept session's pins and forbids
        rounds._greedy_offers,  # the fill step
        fair._max_b_matching,  # `fair`'s threshold
        first_prices._transport_costs,  # the first prices' dense sample
        first_prices._rows_best,
        first_prices._mentors_least_slack,
        kernels.reversed_residual,  # a working set's flow priced on the whole shortlist
        repair._arc_arrays,
    ]
    assert all(kernel.signatures for kernel in late)


def test_a_kept_sessions_pin_after_the_warm_up_compiles_nothing_new() -> None:
    from numba.core.registry import CPUDispatcher

    from mentorbridge.matching_engine import api, auction, kernels
    from mentorbridge.matching_engine.solvers import fair, repair, stable

    modules = (api, auction, kernels, rounds, repair, stable, fair)
    assert main(["warm-up"]) == 0
    dispatchers = [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, CPUDispatcher)
    ]
    before = {id(kernel): len(kernel.signatures) for kernel in dispatchers}
    # one focus area each, mentors alone in their class: the pin repairs on the rows
    instance = Instance.from_dict(WARM_UP_INSTANCE)
    session = Session(instance)
    first = session.solve()
    session.warm_up()  # as `matching.sessions.keep` does
    pair = first.assignments[0]
    other = next(a for a in first.assignments if a.mentor != pair.mentor)
    session.pin(pair.mentee, other.mentor, pair.focus_area)
    pinned = session.solve()
    assert (pair.mentee, other.mentor) in {(a.mentee, a.mentor) for a in pinned.assignments}
    grown = [
        kernel.py_func.__qualname__
        for kernel in dispatchers
        if len(kernel.signatures) != before[id(kernel)]
    ]
    assert grown == []


REPRO = Path(__file__).parent / "instances" / "repro"
REPRO_ERRORS = {
    "cli_nan_level": 'people[0] (id "A"): level must be a finite number',
    "cli_inf_level": 'people[0] (id "A"): level must be a finite number',
    "cli_nan_skill": 'people[1] (id "B"): skills must be an object of skill -> level 0..5',
    "cli_huge_capacity": 'mentors[0] (id "B"): capacity must be an integer',
    "cli_not_utf8": "cli_not_utf8.json: not UTF-8 text",
    "cli_deep_nesting": "cli_deep_nesting.json: malformed JSON: nested too deeply",
    "cli_nan_weight": "weights: weight for 'goal_fit' must be a finite number >= 0, got nan",
    "cli_inf_weight": "weights: weight for 'goal_fit' must be a finite number >= 0, got inf",
    "cli_overflow_weights": "weights: the weights must add up to a finite number",
    "cli_nan_hours": 'people[1] (id "B"): hours_per_month must be a finite number',
    "cli_bad_reference_date": "options: reference_date must be a YYYY-MM-DD date, got 'not-a-date'",
}


@pytest.mark.parametrize("name", sorted(REPRO_ERRORS))
def test_each_bad_input_reproducer_exits_with_code_2_and_a_clear_message(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "result.json"
    assert main(["solve", str(REPRO / f"{name}.json"), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert REPRO_ERRORS[name] in err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_capacity_too_large_for_the_solver_is_refused() -> None:
    from mentorbridge.matching_engine import Instance, InstanceError

    data = json.loads((REPRO / "cli_ok.json").read_text())
    data["mentors"][0]["capacity"] = 10**30
    with pytest.raises(InstanceError, match=r"capacity must be an integer 0\.\.1000000, got 1"):
        Instance.from_dict(data)


def test_an_output_folder_that_does_not_exist_is_refused_before_solving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorbridge.matching_engine import cli

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the instance was read before the output path was checked")

    monkeypatch.setattr(cli, "_load", never)
    missing = tmp_path / "missing" / "result.json"
    assert main(["solve", str(REPRO / "cli_ok.json"), "-o", str(missing), "-q"]) == 2
    assert "does not exist" in capsys.readouterr().err


PEAK_SCRIPT = """
import json, resource, sys
from mentorbridge.matching_engine import cli
plain = cli.result_json

def heavy(data):
    block = bytearray(256 * 1024 * 1024)  # a large result's serialisation, touched
    block[::4096] = b"x" * len(block[::4096])
    return plain(data)

cli.result_json = heavy
assert cli.main(["solve", sys.argv[1], "-o", sys.argv[2], "-q"]) == 0
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
"""


def test_peak_memory_in_the_written_result_covers_writing_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "result.json"
    done = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(REPRO / "cli_ok.json"), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = float(done.stdout.strip())
    written = json.loads(out.read_text())["stats"]["peak_memory_mb"]
    assert written >= peak - 1.0


def test_the_process_entry_point_writes_the_whole_result_to_a_pipe_before_it_exits(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    instance = _write(tmp_path, make_instance(30, 10, seed=4))
    out = tmp_path / "result.json"
    piped = subprocess.run(
        [sys.executable, "-m", "mentorbridge.matching_engine", "solve", instance, "-q"],
        capture_output=True,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert main(["solve", instance, "-o", str(out), "-q"]) == 0
    written, streamed = json.loads(out.read_bytes()), json.loads(piped.stdout)
    for result in (written, streamed):
        del result["stats"]["seconds"], result["stats"]["peak_memory_mb"]
    assert streamed == written


def test_the_process_entry_point_exits_2_with_the_message_on_invalid_input(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    instance = _write(tmp_path, {"format": "mentorbridge-instance/1", "people": 3})
    done = subprocess.run(
        [sys.executable, "-m", "mentorbridge.matching_engine", "solve", instance, "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")


def test_a_result_that_cannot_be_written_leaves_the_old_file_whole_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno
    import os

    instance = _write(tmp_path, make_instance(12, 5, seed=3))
    out = tmp_path / "result.json"
    out.write_text('{"old": true}')

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", disk_full)
    assert main(["solve", instance, "-o", str(out), "-q"]) == 1
    assert out.read_text() == '{"old": true}'  # not half a result
    assert sorted(p.name for p in tmp_path.iterdir()) == ["instance.json", "result.json"]
    assert "cannot write" in capsys.readouterr().err


def test_a_result_written_through_a_symlink_leaves_the_symlink(tmp_path: Path) -> None:
    instance = _write(tmp_path, make_instance(12, 5, seed=3))
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("")
    link.symlink_to(real)
    assert main(["solve", instance, "-o", str(link), "-q"]) == 0
    assert link.is_symlink()
    assert json.loads(real.read_text())["format"] == "mentorbridge-result/1"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_the_process_entry_point_says_why_when_stdout_is_full_and_exits_1(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    instance = _write(tmp_path, make_instance(12, 5, seed=3))
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "mentorbridge.matching_engine", "solve", instance, "-q"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.startswith("error: stdout: cannot write the result: ")
    assert "Traceback" not in done.stderr


def test_a_result_in_a_folder_that_takes_no_new_files_is_written_into_the_file_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    instance = _write(tmp_path, make_instance(12, 5, seed=3))
    out = tmp_path / "result.json"
    out.write_text("")

    def no_new_files(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", no_new_files)
    assert main(["solve", instance, "-o", str(out), "-q"]) == 0
    assert json.loads(out.read_text())["format"] == "mentorbridge-result/1"
