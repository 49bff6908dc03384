"""The shortlist pass: exact top-k per demand, the reserve, and the bounds the certificate uses."""

from __future__ import annotations

import numpy as np
import pytest

from mentorbridge.matching_engine import Instance, arrays, kernels
from mentorbridge.matching_engine import shortlist as shortlist_module
from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.model import compile_model
from mentorbridge.matching_engine.shortlist import (
    INELIGIBLE,
    MENTOR_RESERVE,
    ColumnView,
    build_shortlist,
    scored_rows,
)
from tests.matching_engine.synthetic import make_instance, make_tie_instance

KINDS = ["traditional", "reverse", "peer", "group"]


def _features(kind: str = "traditional", seed: int = 4, mentees: int = 60, mentors: int = 25):
    data = make_instance(mentees, mentors, seed=seed, kind=kind, overlap=0.2)
    return Features(compile_model(Instance.from_dict(data)))


@pytest.mark.parametrize("kind", KINDS)
def test_a_column_view_scores_exactly_like_full_rows(kind: str) -> None:
    features = _features(kind)
    model = features.model
    rows = np.arange(model.n_demands, dtype=np.int64)
    full = scored_rows(features, rows)
    rng = np.random.default_rng(1)
    for size in (1, 7, model.n_mentors):
        cols = np.sort(rng.choice(model.n_mentors, size, replace=False))
        assert np.array_equal(ColumnView(features, cols).score(rows), full[:, cols])


@pytest.mark.parametrize("kind", KINDS)
def test_a_column_view_split_over_threads_scores_exactly_like_full_rows(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shortlist_module, "PARALLEL_CELLS", 1)
    monkeypatch.setattr(shortlist_module, "worker_count", lambda: 3)
    features = _features(kind)
    model = features.model
    rows = np.arange(model.n_demands, dtype=np.int64)[::-1].copy()  # any order, split anywhere
    full = scored_rows(features, rows)
    cols = np.arange(1, model.n_mentors, 2, dtype=np.int64)
    assert np.array_equal(ColumnView(features, cols).score(rows), full[:, cols])
    assert np.array_equal(ColumnView(features, cols).score(rows[:2]), full[:2, cols])


def test_integer_scores_round_the_float_scores_and_mark_removed_pairs() -> None:
    features = _features()
    model = features.model
    rows = np.arange(model.n_demands, dtype=np.int64)
    values = scored_rows(features, rows)
    floats = features.score_block(rows)
    eligible = values >= 0
    assert np.abs(values[eligible] - floats[eligible].astype(np.float64) * 1e6).max() <= 0.6
    assert (values[model.pair_rows, model.pair_cols] == INELIGIBLE).all()


@pytest.mark.parametrize("k", [1, 5, 40])
def test_each_demand_lists_its_best_k_eligible_mentors(k: int) -> None:
    features = _features(seed=7)
    model = features.model
    values = scored_rows(features, np.arange(model.n_demands, dtype=np.int64))
    shortlist = build_shortlist(features, k)
    for d in range(model.n_demands):
        row = values[d]
        order = np.lexsort((np.arange(len(row)), -row))
        best = [int(j) for j in order[:k] if row[j] >= 0]
        listed = set(shortlist.row(d)[0].tolist())
        assert set(best) <= listed
        left_out = [int(row[j]) for j in range(len(row)) if row[j] >= 0 and j not in listed]
        assert shortlist.excluded_best[d] >= max(left_out, default=INELIGIBLE)
        assert shortlist.eligible_count[d] == int((row >= 0).sum())


@pytest.mark.parametrize("floors", ["every row", "sampled", "sampled, spread"])
def test_every_pair_above_a_mentors_column_bound_is_listed_or_in_the_reserve(
    monkeypatch: pytest.MonkeyPatch, floors: str
) -> None:
    features = _features(mentees=300, mentors=30, seed=11)
    model = features.model
    if floors != "every row":  # floors from 100 of the rows, each mentor's 2 best of them
        monkeypatch.setattr(shortlist_module, "SAMPLE_ROWS", 100)
        monkeypatch.setattr(shortlist_module, "MENTOR_RESERVE", 8)
        monkeypatch.setattr(shortlist_module, "MENTOR_SIDE_MAX", 2)
    values = scored_rows(features, np.arange(model.n_demands, dtype=np.int64))
    shortlist = build_shortlist(features, 3, spread=floors == "sampled, spread")
    kept = set(zip(shortlist.rows.tolist(), shortlist.cols.tolist(), strict=True))
    reserve = set(
        zip(shortlist.reserve_rows.tolist(), shortlist.reserve_cols.tolist(), strict=True)
    )
    assert not kept & reserve
    for d, j in zip(*np.nonzero(values >= 0), strict=True):
        if (int(d), int(j)) not in kept | reserve:
            assert values[d, j] <= shortlist.column_excluded[j]
    for d, j, s in zip(
        shortlist.reserve_rows, shortlist.reserve_cols, shortlist.reserve_scores, strict=True
    ):
        assert values[d, j] == s


def test_spread_mentors_get_column_floors_with_more_sampled_rows_above_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    features = _features(mentees=300, mentors=30, seed=11)
    monkeypatch.setattr(shortlist_module, "SAMPLE_ROWS", 100)
    plain, _ = shortlist_module.column_floors(features, 8)  # 2 of the 100 sampled rows asked
    deeper, _ = shortlist_module.column_floors(features, 8, shortlist_module.MIN_SAMPLE_HITS)
    assert (deeper <= plain).all() and (deeper < plain).any()
    sample = np.sort(np.random.default_rng(0).choice(features.model.n_demands, 100, False))
    above = (scored_rows(features, sample) > deeper).sum(axis=0)
    assert (above >= shortlist_module.MIN_SAMPLE_HITS).all()


def test_the_shortlist_does_not_depend_on_the_thread_count(monkeypatch) -> None:
    features = _features(mentees=120, mentors=40, seed=5)
    one = build_shortlist(features, 6)
    monkeypatch.setattr("mentorbridge.matching_engine.shortlist.worker_count", lambda: 3)
    three = build_shortlist(features, 6)
    assert np.array_equal(one.indptr, three.indptr)
    assert np.array_equal(one.cols, three.cols)
    assert np.array_equal(one.reserve_rows, three.reserve_rows)
    assert np.array_equal(one.reserve_cols, three.reserve_cols)


def test_scores_of_finds_listed_pairs_and_marks_the_others_ineligible() -> None:
    features = _features(seed=5)
    model = features.model
    shortlist = build_shortlist(features, 5)
    rows = np.repeat(np.arange(model.n_demands, dtype=np.int64), model.n_mentors)
    cols = np.tile(np.arange(model.n_mentors, dtype=np.int64), model.n_demands)
    found = shortlist.scores_of(rows, cols)
    for d, j, score in zip(rows.tolist(), cols.tolist(), found.tolist(), strict=True):
        expected = shortlist.score_of(d, j)
        assert score == (INELIGIBLE if expected is None else expected)


def test_mentors_tied_at_their_column_floor_keep_their_tied_demands() -> None:
    # every mentee has the same profile, so more demands tie at each mentor's best score than
    # the mentor side keeps
    data = make_instance(400, 6, seed=3, overlap=0.0)
    template = data["mentees"][0]
    people = {p["id"]: p for p in data["people"]}
    first = people[template["id"]]
    for person in data["people"]:
        person["manager"] = None
    for mentee in data["mentees"]:
        mentee.update({k: v for k, v in template.items() if k != "id"})
        mentee["opt_out_mentors"] = []
        people[mentee["id"]].update({k: v for k, v in first.items() if k != "id"})
    features = Features(compile_model(Instance.from_dict(data)))
    values = scored_rows(features, np.arange(features.model.n_demands, dtype=np.int64))
    top = np.sort(values, axis=0)[::-1]
    assert (top[MENTOR_RESERVE] == top[MENTOR_RESERVE // 2]).all()  # a tie spans the depth
    shortlist = build_shortlist(features, 1)
    listed = np.bincount(shortlist.cols, minlength=features.model.n_mentors)
    open_mentors = features.model.capacity > 0
    assert (listed[open_mentors] > 0).all()


def test_a_tie_that_floods_a_mentors_column_keeps_a_share_of_its_demands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # every pair scores alike: keeping every demand tied at a column floor would keep every
    # pair (20,000 x 6,000: 168 M pairs, 14 GB); a hashed share of about TIE_KEEP times the
    # depth is kept instead, and the tied score bounds the rest
    monkeypatch.setattr(shortlist_module, "MENTOR_RESERVE", 8)
    data = make_tie_instance(600, 12, seed=2, style="all_equal", capacity=(1, 3), k=3)
    features = Features(compile_model(Instance.from_dict(data)))
    values = scored_rows(features, np.arange(features.model.n_demands, dtype=np.int64))
    open_mentors = features.model.capacity > 0
    tied = values[:, open_mentors].max()
    assert (values[values >= 0] == tied).all()
    depth = max(shortlist_module.mentor_side_width(features.model.capacity), 8)
    floors, share = shortlist_module.column_floors(features, depth)
    assert (floors[open_mentors] == tied - 1).all()
    assert (share[open_mentors] < shortlist_module.TIE_FULL).all()
    shortlist = build_shortlist(features, 3)
    assert (shortlist.column_excluded[open_mentors] == tied).all()
    kept = {(int(d), int(j)) for d, j in zip(shortlist.rows, shortlist.cols, strict=True)}
    kept |= set(zip(shortlist.reserve_rows.tolist(), shortlist.reserve_cols.tolist(), strict=True))
    side = np.array([sum(1 for d, j in kept if j == m) for m in range(features.model.n_mentors)])
    eligible = (values >= 0).sum(axis=0)
    # the rows' own top 3 aside, each column keeps about TIE_KEEP x depth of its tie
    assert (side[open_mentors] < eligible[open_mentors] // 2).all()
    assert (side[open_mentors] >= depth).all()


def test_a_tie_within_its_room_keeps_all_the_tied_demands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shortlist_module, "MENTOR_RESERVE", 8)
    monkeypatch.setattr(shortlist_module, "TIE_ROOM", 200)
    data = make_tie_instance(300, 12, seed=2, style="all_equal", capacity=(1, 3), k=3)
    features = Features(compile_model(Instance.from_dict(data)))
    values = scored_rows(features, np.arange(features.model.n_demands, dtype=np.int64))
    depth = max(shortlist_module.mentor_side_width(features.model.capacity), 8)
    floors, share = shortlist_module.column_floors(features, depth)
    open_mentors = features.model.capacity > 0
    assert (floors[open_mentors] == values[:, open_mentors].max() - 1).all()
    assert (share == shortlist_module.TIE_FULL).all()


def test_a_tied_pair_is_kept_or_not_the_same_way_every_time() -> None:
    from mentorbridge.matching_engine.kernels import TIE_FULL, _tie_kept

    half = TIE_FULL // 2
    picks = [_tie_kept(d, j, half) for d in range(200) for j in range(50)]
    assert picks == [_tie_kept(d, j, half) for d in range(200) for j in range(50)]
    assert 0.4 < sum(picks) / len(picks) < 0.6
    assert all(_tie_kept(d, 3, TIE_FULL) for d in range(100))
    assert not any(_tie_kept(d, 3, 0) for d in range(100))


def test_merges_in_a_row_give_the_entries_a_shortlist_built_from_all_of_them_has() -> None:
    features = _features(seed=6)
    model = features.model
    shortlist = build_shortlist(features, 3)
    every = scored_rows(features, np.arange(model.n_demands, dtype=np.int64)).astype(np.int64)
    rng = np.random.default_rng(2)
    rows, cols = shortlist.rows.copy(), shortlist.cols.copy()
    for _ in range(3):  # each merge after the first starts from the keys the last one kept
        new_rows = rng.integers(0, model.n_demands, 40)
        new_cols = rng.integers(0, model.n_mentors, 40)
        keep = every[new_rows, new_cols] >= 0
        new_rows, new_cols = new_rows[keep], new_cols[keep]
        shortlist.merge(new_rows, new_cols, every[new_rows, new_cols])
        rows, cols = np.concatenate([rows, new_rows]), np.concatenate([cols, new_cols])
        fresh = build_shortlist(features, 3)
        fresh.rebuild(rows, cols, every[rows, cols])
        assert np.array_equal(shortlist.indptr, fresh.indptr)
        assert np.array_equal(shortlist.cols, fresh.cols)
        assert np.array_equal(shortlist.scores, fresh.scores)
        assert np.array_equal(shortlist._sorted_keys(), fresh._sorted_keys())


@pytest.mark.parametrize("packed", [True, False])
def test_a_merge_takes_out_of_the_reserve_exactly_the_pairs_it_lists(packed: bool) -> None:
    features = _features(seed=6)
    model = features.model
    shortlist = build_shortlist(features, 3)
    every = scored_rows(features, np.arange(model.n_demands, dtype=np.int64)).astype(np.int64)
    listed = set(zip(shortlist.rows.tolist(), shortlist.cols.tolist(), strict=True))
    unlisted = [
        (d, j) for d in range(model.n_demands) for j in range(model.n_mentors)
        if (d, j) not in listed and every[d, j] >= 0
    ]  # fmt: skip
    rng = np.random.default_rng(3)
    chosen = rng.permutation(len(unlisted))[:60]
    r_rows = np.array([unlisted[i][0] for i in chosen], np.int64)
    r_cols = np.array([unlisted[i][1] for i in chosen], np.int64)
    shortlist.set_reserve(r_rows, r_cols, every[r_rows, r_cols])
    if not packed:  # the three arrays of ids too large for one key
        shortlist._reserve = (
            shortlist.reserve_rows, shortlist.reserve_cols, shortlist.reserve_scores
        )  # fmt: skip
        shortlist._reserve_key = None
    reserve = list(
        zip(shortlist.reserve_rows.tolist(), shortlist.reserve_cols.tolist(), strict=True)
    )
    # half the reserve's pairs, some listed pairs again and some pairs in neither
    taken = r_rows[::2], r_cols[::2]
    again = shortlist.rows[:25], shortlist.cols[:25]
    others = [unlisted[i] for i in rng.permutation(len(unlisted))[:40] if i not in set(chosen)]
    rows = np.concatenate([taken[0], again[0], np.array([d for d, _ in others], np.int64)])
    cols = np.concatenate([taken[1], again[1], np.array([j for _, j in others], np.int64)])
    added = shortlist.merge(rows, cols, every[rows, cols])
    given = set(zip(rows.tolist(), cols.tolist(), strict=True))
    assert added == len(given - listed)
    assert set(zip(shortlist.rows.tolist(), shortlist.cols.tolist(), strict=True)) == listed | given
    left = list(zip(shortlist.reserve_rows.tolist(), shortlist.reserve_cols.tolist(), strict=True))
    assert left == [pair for pair in reserve if pair not in given]
    assert shortlist.reserve_scores.tolist() == [int(every[d, j]) for d, j in left]


@pytest.mark.parametrize("seed", range(8))
def test_merged_keys_and_their_entries_are_those_of_numpy_union_and_bincount(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_rows = int(rng.integers(1, 40))
    scale = shortlist_module.SCALE

    def keys(n: int) -> np.ndarray:
        rows, cols = rng.integers(0, n_rows, n), rng.integers(0, 2**21, n)
        scores = rng.integers(0, scale + 1, n)
        return np.unique((rows << 41) | ((scale - scores) << 21) | cols)

    old, new = keys(int(rng.integers(0, 200))), keys(int(rng.integers(0, 200)))
    new = np.union1d(new, old[: int(rng.integers(0, len(old) + 1))])  # some keys in both
    key = shortlist_module.merged_keys(old, new)
    assert key.tolist() == np.union1d(old, new).tolist()
    indptr, cols, scores = shortlist_module.unpacked_keys(key, n_rows)
    counts = np.bincount(key >> 41, minlength=n_rows)
    assert indptr.tolist() == [0, *np.cumsum(counts).tolist()]
    assert cols.tolist() == (key & (2**21 - 1)).tolist()
    assert scores.tolist() == (scale - ((key >> 21) & (2**20 - 1))).tolist()


@pytest.mark.parametrize("seed", range(8))
def test_the_reserve_pairs_given_in_a_merge_are_those_with_a_given_demand_and_mentor(
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    n_rows, n_m, scale = int(rng.integers(1, 30)), int(rng.integers(1, 50)), shortlist_module.SCALE

    def pairs(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows, cols = rng.integers(0, n_rows, n), rng.integers(0, n_m, n)
        _, first = np.unique(rows * n_m + cols, return_index=True)
        return rows[first], cols[first], rng.integers(0, scale + 1, len(first))

    r_rows, r_cols, r_scores = pairs(int(rng.integers(0, 300)))
    reserve = np.sort((r_rows << 41) | (r_cols << 20) | r_scores)
    e_rows, e_cols, e_scores = pairs(int(rng.integers(0, 300)))
    entries = np.sort((e_rows << 41) | ((scale - e_scores) << 21) | e_cols)  # any scores
    given = shortlist_module.reserve_given(reserve, entries, n_m)
    entry_pairs = set(zip(e_rows.tolist(), e_cols.tolist(), strict=True))
    want = [((k >> 41), (k >> 20) & (2**21 - 1)) in entry_pairs for k in reserve.tolist()]
    assert given.tolist() == want


@pytest.mark.parametrize("seed", range(4))
def test_the_pairs_listed_kernel_agrees_with_the_shortlists_rows_in_any_order(seed: int) -> None:
    data = make_instance(60, 20, seed=seed, capacity=(1, 3))
    features = Features(compile_model(Instance.from_dict(data)), None)
    shortlist = build_shortlist(features, 3)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, features.model.n_demands, 500).astype(np.int64)
    cols = rng.integers(0, features.model.n_mentors, 500).astype(np.int64)
    listed = {(d, int(j)) for d in range(features.model.n_demands) for j in shortlist.row(d)[0]}
    want = [(int(d), int(j)) in listed for d, j in zip(rows, cols, strict=True)]
    for order in (np.arange(500), np.argsort(rows, kind="stable")):
        found = kernels.pairs_listed(
            shortlist.indptr, shortlist.cols, rows[order], cols[order], features.model.n_mentors
        )
        assert found.tolist() == [want[k] for k in order]


def test_the_rank_in_runs_kernel_lists_the_first_of_each_run_and_every_strideth_after() -> None:
    keys = np.sort(np.random.default_rng(3).integers(0, 40, 2_000)).astype(np.int64)
    rank = arrays.group_rank(keys)
    want = (rank < 5) | (rank % 7 == 0)
    assert kernels.ranked_in_runs(keys, 5, 7).tolist() == want.tolist()


@pytest.mark.parametrize("first_row", [0, 2**22])
def test_the_reserve_reads_back_its_pairs_in_demand_and_mentor_order_packed_or_not(
    first_row: int,
) -> None:
    data = make_instance(30, 10, seed=2, capacity=(1, 3))
    shortlist = build_shortlist(Features(compile_model(Instance.from_dict(data)), None), 2)
    rng = np.random.default_rng(first_row)
    rows = (first_row + rng.integers(0, 50, 300)).astype(np.int64)
    cols = rng.integers(0, 40, 300).astype(np.int64)
    pairs = {(int(d), int(j)) for d, j in zip(rows, cols, strict=True)}
    rows = np.array([d for d, _ in pairs], np.int64)
    cols = np.array([j for _, j in pairs], np.int64)
    scores = (rows * 7 + cols * 13) % 1000
    shortlist.set_reserve(rows, cols, scores)
    # ids past what one key holds keep three arrays; either way the same pairs, in order
    assert (shortlist._reserve_key is None) == (first_row >= 2**22)
    want = sorted(zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True))
    got = list(
        zip(
            shortlist.reserve_rows.tolist(),
            shortlist.reserve_cols.tolist(),
            shortlist.reserve_scores.tolist(),
            strict=True,
        )
    )
    assert got == want
    assert shortlist.reserve_size == len(want)
    keep = shortlist.reserve_cols % 2 == 0
    shortlist.drop_reserve(keep)
    assert shortlist.reserve_cols.tolist() == [j for _, j, _ in want if j % 2 == 0]
    assert shortlist.reserve_size == int(keep.sum())
