"""Compiled row kernels (numba): score a demand against every mentor without dense matrices.

One demand's scores are built in a buffer of one row: the categorical factors come from a
per-demand table over *mentor classes* (mentors with the same level, timezone, language set,
department and location), then the sparse factors are added from posting lists (mentors
holding a wanted skill, mentors whose profile has a goal term, preference corrections).
Every caller (shortlist, certificate, explanations, suggestions) goes through `_fill_row`, so
a pair always gets the same integer score whatever path asks for it (a column subset gets
tables cut to its mentors, with the posting lists in the same order).

The kernels release the GIL; callers run blocks of rows on a thread pool.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import NDArray

I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
F32 = NDArray[np.float32]


class ScoreTables(NamedTuple):
    """Everything `_fill_row` reads, as flat arrays (built by `features.KernelTables`)."""

    const: F32  # per mentor: availability, weighted (a practical factor)
    mclass: I32  # per mentor: its class
    a_codes: I64  # per demand: its code in each categorical factor
    tables: F32  # per factor: weighted table (demand code x mentor code)
    class_b: I64  # per class: its mentor code in each factor
    g_ptr: I64  # goal fit: demand -> wanted skills (CSR) ...
    g_skill: I64
    g_w: F32  # ... with IDF weight x goal-fit weight
    s_ptr: I64  # skill -> mentors holding it (CSR) ...
    s_mentor: I64
    s_level: F32  # ... with proficiency / 5
    q_ptr: I64  # text: demand -> goal terms (CSR) ...
    q_term: I64
    q_w: F32  # ... with TF-IDF weight x text weight
    t_ptr: I64  # term -> mentor profiles holding it (CSR) ...
    t_mentor: I64
    t_w: F32
    t_dense_pos: I64  # per term: its row in t_dense, or -1 (posting list only) ...
    t_dense: F32  # ... the terms held by many profiles, dense over every mentor (0 elsewhere)
    dense_text: F32  # weighted embedding similarities of the block's rows, or 0 x 0
    p_ptr: I64  # preferences: demand -> mentors (CSR) ...
    p_col: I64
    p_delta: F32  # ... with the weighted change from the neutral preference
    reverse: bool  # reverse mentoring: seniority scaled by the mentor's skill strength
    sen_a: I64  # seniority codes of demands and mentors, and its weighted table
    sen_b: I64
    sen_table: F32
    gate_base: F32  # per demand: practical factors count (base + scale x relevance), at most
    gate_scale: F32  # ... fully; base 1, scale 0 where the gate is off (see features.py)
    pref_const: F32  # [neutral preference, weighted]: added to every pair, never gated


SCALE = 1_000_000
INELIGIBLE = -1
KEY_SHIFT = 32
LOW_MASK = (1 << KEY_SHIFT) - 1


@njit(cache=True, nogil=True)
def _class_sum_buffer(st, n_classes):
    """`_class_sums`'s buffer: the partial sums of every factor count, row 0 all zeros."""
    return np.zeros((st.a_codes.shape[1] + 1, n_classes), np.float32)


@njit(cache=True, nogil=True)
def _class_sums(d, st, csum, ckey, base):
    """csum[n_f, c] = sum over categorical factors f of tables[f, a_f(d), b_f(c)], and
    base[j] = const[j] + csum[n_f, class of j], the start of every mentor's score.

    `csum` holds the partial sums too (row f: the first f factors, summed in factor order;
    row 0 stays 0) and `ckey` the codes they were last computed for: a demand recomputes them
    from its first code that differs, so demands sharing their first codes (the callers visit
    them in category order) share that work. The sums are the same floats in any order of
    demands: each row of `csum` is the last one plus one factor, as a running sum would be.
    """
    a_codes = st.a_codes
    n_f = a_codes.shape[1]
    first = n_f
    for f in range(n_f):
        if ckey[f] != a_codes[d, f]:
            first = f
            break
    if first == n_f:
        return
    tables, class_b = st.tables, st.class_b
    for f in range(first, n_f):
        a = a_codes[d, f]
        ckey[f] = a
        for c in range(class_b.shape[0]):
            csum[f + 1, c] = csum[f, c] + tables[f, a, class_b[c, f]]
    const, mclass = st.const, st.mclass
    for j in range(base.shape[0]):
        base[j] = const[j] + csum[n_f, mclass[j]]


@njit(cache=True, nogil=True)
def _fill_row(d, r, buf, st, csum, ckey, strength, rel, base):
    """Float32 scores of demand d against every mentor of the tables, into buf.

    `st` is a `ScoreTables`; r is d's position in the caller's block (for a dense text
    block). Relevance (goal fit + text) is summed apart in `rel` when d's gate is on; the
    practical factors then count (gate_base + gate_scale x relevance) of their value, at most
    all of it. `csum`, `ckey` and `base` are the caller's buffers for `_class_sums`.
    """
    _class_sums(d, st, csum, ckey, base)
    floor = st.gate_base[d]
    scale = st.gate_scale[d]
    gated = floor < 1.0 or scale > 0.0
    neutral = st.pref_const[0]
    if gated:
        buf[:] = base
        rel[:] = 0.0
        target = rel
    else:
        for j in range(buf.shape[0]):
            buf[j] = base[j] + neutral
        target = buf
    # goal fit: wanted skills x mentors holding them
    for g in range(st.g_ptr[d], st.g_ptr[d + 1]):
        s = st.g_skill[g]
        w = st.g_w[g]
        for p in range(st.s_ptr[s], st.s_ptr[s + 1]):
            target[st.s_mentor[p]] += w * st.s_level[p]
    # text similarity: goal terms x mentor profiles holding them (or a dense block)
    if st.dense_text.shape[0] > 0:
        for j in range(buf.shape[0]):
            target[j] += st.dense_text[r, j]
    else:
        # a term many profiles hold is added as a dense row (0 where a profile lacks it:
        # adding w x 0 leaves a sum as it is, so the floats are those of its posting list)
        for q in range(st.q_ptr[d], st.q_ptr[d + 1]):
            t = st.q_term[q]
            w = st.q_w[q]
            k = st.t_dense_pos[t]
            if k >= 0:
                dense = st.t_dense[k]
                for j in range(target.shape[0]):
                    target[j] += w * dense[j]
            else:
                for p in range(st.t_ptr[t], st.t_ptr[t + 1]):
                    target[st.t_mentor[p]] += w * st.t_w[p]
    if gated:
        for j in range(buf.shape[0]):
            f = floor + scale * rel[j]
            if f > 1.0:
                f = np.float32(1.0)
            buf[j] = rel[j] + buf[j] * f + neutral
    # reverse mentoring: seniority counts only as far as the mentor is strong in the skill
    if st.reverse:
        for g in range(st.g_ptr[d], st.g_ptr[d + 1]):
            s = st.g_skill[g]
            for p in range(st.s_ptr[s], st.s_ptr[s + 1]):
                m = st.s_mentor[p]
                if st.s_level[p] > strength[m]:
                    strength[m] = st.s_level[p]
        a = st.sen_a[d]
        for g in range(st.g_ptr[d], st.g_ptr[d + 1]):
            s = st.g_skill[g]
            for p in range(st.s_ptr[s], st.s_ptr[s + 1]):
                m = st.s_mentor[p]
                if strength[m] > 0:
                    buf[m] += st.sen_table[a, st.sen_b[m]] * strength[m]
                    strength[m] = 0
    # explicit preferences
    for p in range(st.p_ptr[d], st.p_ptr[d + 1]):
        buf[st.p_col[p]] += st.p_delta[p]


@njit(cache=True, nogil=True)
def _to_units(buf, values, d, r_ptr, r_col, closed_list):
    """Integer scores (SCALE per unit, rounded) with removed pairs set to INELIGIBLE."""
    scale = np.float32(SCALE)
    half = np.float32(0.5)
    for k in range(values.shape[0]):
        v = np.int32(buf[k] * scale + half)
        values[k] = v if v < SCALE else SCALE
    for p in range(r_ptr[d], r_ptr[d + 1]):
        values[r_col[p]] = INELIGIBLE
    for i in range(closed_list.shape[0]):
        values[closed_list[i]] = INELIGIBLE


@njit(cache=True, nogil=True)
def score_rows_float(rows, out, st, n_classes, n_mentors):
    """out[r, :] = float scores of demand rows[r] against every mentor."""
    csum = _class_sum_buffer(st, n_classes)
    ckey = np.full(st.a_codes.shape[1], -1, np.int64)
    strength = np.zeros(n_mentors, np.float32)
    rel = np.empty(n_mentors, np.float32)
    base = np.empty(n_mentors, np.float32)
    for r in range(rows.shape[0]):
        _fill_row(rows[r], r, out[r], st, csum, ckey, strength, rel, base)


@njit(cache=True, nogil=True)
def score_rows_units(rows, out, st, rules, n_classes, n_mentors):
    """out[r, :] = integer scores (INELIGIBLE where removed) of rows[r] x every mentor."""
    r_ptr, r_col, closed_list = rules
    csum = _class_sum_buffer(st, n_classes)
    ckey = np.full(st.a_codes.shape[1], -1, np.int64)
    strength = np.zeros(n_mentors, np.float32)
    buf = np.empty(n_mentors, np.float32)
    rel = np.empty(n_mentors, np.float32)
    base = np.empty(n_mentors, np.float32)
    for r in range(rows.shape[0]):
        d = rows[r]
        _fill_row(d, r, buf, st, csum, ckey, strength, rel, base)
        _to_units(buf, out[r], d, r_ptr, r_col, closed_list)


@njit(cache=True, nogil=True)
def _heap_push_min(heap, size, key):
    i = size
    heap[i] = key
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= heap[i]:
            break
        heap[parent], heap[i] = heap[i], heap[parent]
        i = parent


@njit(cache=True, nogil=True)
def _heap_replace_min(heap, size, key):
    heap[0] = key
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        small = left
        right = left + 1
        if right < size and heap[right] < heap[left]:
            small = right
        if heap[i] <= heap[small]:
            break
        heap[i], heap[small] = heap[small], heap[i]
        i = small


@njit(cache=True, nogil=True)
def _mark_removed(buf, d, r_ptr, r_col, closed_list):
    """Removed pairs get a negative float score (real scores are >= 0)."""
    for p in range(r_ptr[d], r_ptr[d + 1]):
        buf[r_col[p]] = np.float32(-1.0)
    for i in range(closed_list.shape[0]):
        buf[closed_list[i]] = np.float32(-1.0)


@njit(cache=True, nogil=True)
def tie_rotation(d, n_mentors):
    """Where demand d starts its order among tied mentors (a multiplicative hash of d)."""
    if n_mentors <= 1:
        return 0
    return (np.int64(d) * np.int64(2654435761)) % np.int64(n_mentors)


@njit(cache=True, nogil=True)
def _untie(key, rot, n_m):
    t = LOW_MASK - (key & LOW_MASK)
    j = t + rot
    return j - n_m if j >= n_m else j


TIE_FULL = 1 << 32  # a column floor's tie share that keeps every tied demand
SAMPLE_STRIDE = 4  # every how many mentors the row's threshold sample takes one
HIST_SHIFT = 12  # score units per bin of the sample's histogram: 2^12
HIST_BINS = (SCALE >> HIST_SHIFT) + 1


@njit(cache=True, nogil=True)
def _units_row(buf, values):
    """values[j] = the integer score of buf[j] (as `_to_units`: INELIGIBLE where buf[j] < 0,
    the removed pairs); returns how many are eligible. Branch-free: the compiler vectorises it.
    """
    scale = np.float32(SCALE)
    half = np.float32(0.5)
    count = np.int64(0)
    for j in range(buf.shape[0]):
        x = buf[j]
        v = min(np.int32(x * scale + half), np.int32(SCALE))
        values[j] = v if x >= 0 else np.int32(INELIGIBLE)
        count += np.int64(x >= 0)
    return count


@njit(cache=True, nogil=True)
def _candidates(values, column_floor, need, hist, cand):
    """The mentors of a row the exact selection has to look at (into cand, ascending; returns
    how many, and the threshold `low`).

    A sample of every SAMPLE_STRIDE-th mentor gives a threshold `low` with at least `need`
    sample scores at or above it (the lower edge of their histogram bin), so at least `need`
    of the row's scores are >= low: with need = k + ranked + 1, every top-k mentor and the best
    score left out are >= low, and the mentors below it (and not above their column floor)
    change nothing. With too few eligible sample scores, low is 0: every eligible mentor is a
    candidate. The pass over the row is branch-free.
    """
    n = values.shape[0]
    hist[:] = 0
    for j in range(0, n, SAMPLE_STRIDE):
        v = values[j]
        if v >= 0:
            hist[v >> HIST_SHIFT] += 1
    low = np.int32(0)
    seen = 0
    for b in range(hist.shape[0] - 1, -1, -1):
        seen += hist[b]
        if seen >= need:
            low = np.int32(b << HIST_SHIFT)
            break
    m = np.int64(0)
    for j in range(n):
        v = values[j]
        cand[m] = j
        m += np.int64(v >= low) | np.int64(v > column_floor[j])
    return m, low


@njit(cache=True, nogil=True)
def _tie_kept(d, j, share):
    """Whether the shortlist keeps demand d's pair with mentor j where it ties one unit above
    the mentor's column floor: all of them with share 2^32, else those whose hash (a fixed mix
    of d and j: the same on every thread and run) falls below `share`."""
    if share >= TIE_FULL:
        return True
    x = np.uint64(d) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(j) * np.uint64(0xC2B2AE3D27D4EB4F)
    x ^= x >> np.uint64(31)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(29)
    return np.int64(x & np.uint64(0xFFFFFFFF)) < share


@njit(cache=True, nogil=True)
def _select_row(d, r, values, cand, n_cand, low, count, k, keys, is_ranked, ranked, outputs,
                column_floor, above, n_out):  # fmt: skip
    """One row of `shortlist_rows` (integer scores in values, removed pairs INELIGIBLE; the
    mentors that can change anything in cand, and `low`, see `_candidates`): returns the new
    count of entries above their floor.

    Each mentor gets a unique key (score, then the tie order); the row's top k are the k
    largest keys (a bounded min-heap, then a sort of those k), the best score left out is the
    largest among the other keys of mentors the row does not rank."""
    rk_ptr, rk_col = ranked
    top_cols, top_scores, excluded, eligible, ranked_scores = outputs
    out_rows, out_cols, out_scores = above
    room = out_rows.shape[0]
    for p in range(rk_ptr[d], rk_ptr[d + 1]):
        is_ranked[rk_col[p]] = True
        ranked_scores[p] = values[rk_col[p]]
    n_m = values.shape[0]
    # Ties are broken by mentor position rotated by a per-demand offset, so demands that tie
    # on many alike mentors list different ones (a plain "lower mentor first" made every
    # demand list the same few and left the rest of a tied group unreachable).
    rot = tie_rotation(d, n_m)
    size = 0
    best_out = INELIGIBLE
    floor, share = column_floor
    for i in range(n_cand):
        j = cand[i]
        v = values[j]
        if v < 0:
            continue
        if v > floor[j] and (v > floor[j] + 1 or _tie_kept(d, j, share[j])):
            if n_out < room:
                out_rows[n_out] = d
                out_cols[n_out] = j
                out_scores[n_out] = v
            n_out += 1
        if v >= low:
            t = j - rot if j >= rot else j - rot + n_m
            key = (np.int64(v) << KEY_SHIFT) | (LOW_MASK - t)
            # the k largest keys in a min-heap; the others are out: a bounded heap, not
            # np.partition, whose quickselect degrades on the nearly sorted keys of a row of
            # ties (all 6,000 mentors of a row tied: 585 us a row instead of 15)
            if size < k:
                _heap_push_min(keys, size, key)
                size += 1
                continue
            if k > 0 and key > keys[0]:
                out = keys[0]
                _heap_replace_min(keys, size, key)
                key = out
            ov = key >> KEY_SHIFT
            if ov > best_out and not is_ranked[_untie(key, rot, n_m)]:
                best_out = ov
    top = np.sort(keys[:size])[::-1]
    excluded[r] = best_out
    eligible[r] = count
    for i in range(k):
        top_cols[r, i] = -1
        top_scores[r, i] = INELIGIBLE
    for i in range(top.shape[0]):
        top_cols[r, i] = _untie(top[i], rot, n_m)
        top_scores[r, i] = np.int32(top[i] >> KEY_SHIFT)
    for p in range(rk_ptr[d], rk_ptr[d + 1]):
        is_ranked[rk_col[p]] = False
    return n_out


@njit(cache=True, nogil=True)
def shortlist_rows(
    rows,
    st,
    rules,
    n_classes,
    n_mentors,
    k,
    ranked,
    top_cols,
    top_scores,
    excluded,
    eligible,
    ranked_scores,
    column_floor,
    out_rows,
    out_cols,
    out_scores,
):
    """Score each demand row against every mentor and select from it in the same pass (the
    row stays in cache): its top-k eligible mentors (score desc; ties from a per-demand rotation
    of the mentor order, see `tie_rotation`), its best
    score left out (top-k and ranked mentors aside), its eligible count, the scores of its
    ranked mentors; and every entry scoring above its mentor's floor (`column_floor` = (floors,
    tie shares): of the entries one unit above a floor, those `_tie_kept` keeps), written to
    out_* as far as they reach. Returns how many entries were above their floor (the caller
    retries with larger out_* if that is more).
    """
    r_ptr, r_col, closed_list = rules
    outputs = (top_cols, top_scores, excluded, eligible, ranked_scores)
    above = (out_rows, out_cols, out_scores)
    csum = _class_sum_buffer(st, n_classes)
    ckey = np.full(st.a_codes.shape[1], -1, np.int64)
    strength = np.zeros(n_mentors, np.float32)
    buf = np.empty(n_mentors, np.float32)
    is_ranked = np.zeros(n_mentors, np.bool_)
    rel = np.empty(n_mentors, np.float32)
    base = np.empty(n_mentors, np.float32)
    values = np.empty(n_mentors, np.int32)
    cand = np.empty(n_mentors, np.int32)
    keys = np.empty(n_mentors, np.int64)
    hist = np.empty(HIST_BINS, np.int64)
    rk_ptr = ranked[0]
    n_out = 0
    for r in range(rows.shape[0]):
        d = rows[r]
        _fill_row(d, r, buf, st, csum, ckey, strength, rel, base)
        _mark_removed(buf, d, r_ptr, r_col, closed_list)
        count = _units_row(buf, values)
        need = k + (rk_ptr[d + 1] - rk_ptr[d]) + 1
        n_cand, low = _candidates(values, column_floor[0], need, hist, cand)
        n_out = _select_row(
            d, r, values, cand, n_cand, low, count, k, keys, is_ranked, ranked, outputs,
            column_floor, above, n_out,
        )  # fmt: skip
    return n_out


ADD_COL_BITS = 21
ADD_COL_MASK = (1 << ADD_COL_BITS) - 1
ADD_OFFSET = 1 << 41
MAX_MENTORS = 1 << ADD_COL_BITS
MAX_REDUCED = 1 << 41


@njit(cache=True, nogil=True)
def certify_rows(
    rows,
    st,
    rules,
    n_classes,
    listed,
    prices,
    pricing,
    best_listed,
    add_limit,
    outputs,
):
    """Exact pass of the certificate: score each demand of `rows` against the mentors of the
    tables (a `ColumnView`'s) and select from the row in the same pass, integer arithmetic.

    For row r with listed mentors L(r), a left-out mentor j has reduced value
    v + bonus - p_j (removed pairs and pairs with v < threshold do not count). Writes the best
    reduced value over listed (`best_listed`) and left-out mentors, up to `add_limit` left-out
    mentors whose reduced value exceeds best_listed - margin (largest first, lower mentor
    first), and the best reduced value and best score of the left-out mentors not added.
    Keys pack (reduced + 2^41) << 21 | mentor: the caller keeps |reduced| < 2^41 and fewer
    than 2^21 mentors.

    `listed` = (indptr, cols, group, mark_ptr, mark_pos): the shortlist's CSR rows (all
    mentors), each mentor's group (its class representative, or itself), and per group the
    view positions a listed member marks as listed. `pricing` = (bonus, threshold, margin).
    """
    r_ptr, r_col, closed_list = rules
    sl_ptr, sl_cols, group, mark_ptr, mark_pos = listed
    bonus, threshold, margin = pricing
    full_best, left_reduced, excluded, add_cols, add_scores = outputs
    n_mentors = prices.shape[0]
    csum = _class_sum_buffer(st, n_classes)
    ckey = np.full(st.a_codes.shape[1], -1, np.int64)
    strength = np.zeros(n_mentors, np.float32)
    buf = np.empty(n_mentors, np.float32)
    rel = np.empty(n_mentors, np.float32)
    base = np.empty(n_mentors, np.float32)
    row = np.empty(n_mentors, np.int32)
    is_listed = np.zeros(n_mentors, np.bool_)
    heap = np.empty(max(add_limit, 1), np.int64)
    low = max(threshold, 0)
    neg = np.iinfo(np.int64).min
    for r in range(rows.shape[0]):
        d = rows[r]
        _fill_row(d, r, buf, st, csum, ckey, strength, rel, base)
        _to_units(buf, row, d, r_ptr, r_col, closed_list)
        for p in range(sl_ptr[d], sl_ptr[d + 1]):
            g = group[sl_cols[p]]
            for q in range(mark_ptr[g], mark_ptr[g + 1]):
                is_listed[mark_pos[q]] = True
        floor = np.int64(np.floor(best_listed[r] - margin))
        best = neg
        size = 0
        left = neg
        left_v = INELIGIBLE
        for j in range(n_mentors):
            v = row[j]
            if v < low or is_listed[j]:
                continue
            red = np.int64(v) + bonus - prices[j]
            if red > best:
                best = red
            if red > floor and add_limit > 0:
                key = ((red + ADD_OFFSET) << ADD_COL_BITS) | (ADD_COL_MASK - j)
                if size < add_limit:
                    _heap_push_min(heap, size, key)
                    size += 1
                    continue
                if key > heap[0]:
                    old = heap[0]
                    _heap_replace_min(heap, size, key)
                    oj = ADD_COL_MASK - (old & ADD_COL_MASK)
                    ored = (old >> ADD_COL_BITS) - ADD_OFFSET
                    if ored > left:
                        left = ored
                    if row[oj] > left_v:
                        left_v = row[oj]
                    continue
            if red > left:
                left = red
            if v > left_v:
                left_v = v
        fb = best_listed[r]
        if best != neg and np.float64(best) > fb:
            fb = np.float64(best)
        full_best[r] = fb if fb > 0.0 else 0.0
        left_reduced[r] = np.float64(left) if left != neg else -np.inf
        excluded[r] = left_v
        for i in range(add_limit):
            add_cols[r, i] = -1
            add_scores[r, i] = INELIGIBLE
        keys = np.sort(heap[:size])[::-1]
        for i in range(size):
            j = ADD_COL_MASK - (keys[i] & ADD_COL_MASK)
            add_cols[r, i] = j
            add_scores[r, i] = row[j]
        for p in range(sl_ptr[d], sl_ptr[d + 1]):
            g = group[sl_cols[p]]
            for q in range(mark_ptr[g], mark_ptr[g + 1]):
                is_listed[mark_pos[q]] = False


@njit(cache=True, nogil=True)
def listed_best(indptr, cols, scores, usable, prices, pair, out):
    """out[d] = max(0, the best reduced value of demand d's listed mentors): score + bonus -
    p_j - q, over the entries with a score >= threshold of the demands in `usable`.

    `usable` = (active, threshold, bonus); `pair` = (demand_mentee, width, group, keys,
    key_prices): the pair price q of (mentee, group[j]) from the sorted intermediate-node
    keys mentee * width + group (those with a positive price), 0 where there is none.
    """
    active, threshold, bonus = usable
    demand_mentee, width, group, keys, key_prices = pair
    n_keys = keys.shape[0]
    for d in range(indptr.shape[0] - 1):
        best = 0.0
        if active[d]:
            lo = 0
            hi = n_keys
            base = np.int64(demand_mentee[d]) * width
            if n_keys:  # this mentee's keys: one search per demand, then a short run
                lo = np.searchsorted(keys, base)
                hi = np.searchsorted(keys, base + width)
            for p in range(indptr[d], indptr[d + 1]):
                v = scores[p]
                if v < threshold:
                    continue
                j = cols[p]
                red = np.float64(v + bonus) - prices[j]
                q = 0.0
                if hi > lo:
                    key = base + group[j]
                    for k in range(lo, hi):
                        if keys[k] == key:
                            q = key_prices[k]
                            break
                red = red - q
                if red > best:
                    best = red
        out[d] = best


@njit(cache=True, nogil=True)
def shortest_distances(starts, dst, weight, dist, seed_below):
    """Shortest distances from a virtual root with an arc of cost dist[v] to every node v
    with dist[v] < seed_below (FIFO label correcting; `dist` is lowered in place; nodes the
    root does not reach keep their value).

    Arcs are sorted by source (`starts` is the CSR pointer). Returns False when a negative
    cycle keeps labels falling.
    """
    return distances_within(starts, dst, weight, dist, seed_below, -1) >= 0


@njit(cache=True, nogil=True)
def mentee_repeats(rows, cols, mentee_of, limit, n_demands, width):
    """The flow network's intermediate nodes in one pass, for arcs whose mentees come in runs
    (rows sorted, each mentee's demands consecutive): per mentee, the mentors it reaches by
    more arcs than limit[mentor]. Returns (keys mentee * width + mentor of those, sorted;
    each arc's head: n_demands + its mentor, or n_demands + width + 1 + its key's position).

    The same as sorting every arc's key and counting repeats (`flow._keys_over_limit`), at a
    fraction of the cost: the mentors of one mentee are counted in a table reset after it."""
    n = rows.shape[0]
    count = np.zeros(width, np.int64)
    slot = np.full(width, -1, np.int64)
    heads = np.empty(n, np.int64)
    keys = np.empty(n, np.int64)
    n_keys = 0
    sink = n_demands + width
    start = 0
    while start < n:
        mentee = mentee_of[rows[start]]
        end = start + 1
        while end < n and mentee_of[rows[end]] == mentee:
            end += 1
        for k in range(start, end):
            count[cols[k]] += 1
        first = n_keys
        for k in range(start, end):
            j = cols[k]
            if count[j] > limit[j] and slot[j] < 0:
                slot[j] = 0
                keys[n_keys] = j
                n_keys += 1
        if n_keys > first:  # this mentee's repeated mentors in mentor order, numbered
            keys[first:n_keys] = np.sort(keys[first:n_keys])
            for t in range(first, n_keys):
                slot[keys[t]] = t
                keys[t] = mentee * width + keys[t]
        for k in range(start, end):
            j = cols[k]
            heads[k] = sink + 1 + slot[j] if slot[j] >= 0 else n_demands + j
        for k in range(start, end):
            count[cols[k]] = 0
            slot[cols[k]] = -1
        start = end
    return keys[:n_keys].copy(), heads


@njit(cache=True, nogil=True)
def group_by_source(src, n_nodes):
    """(starts, order): arcs `order` grouped by source, stable, with CSR pointers `starts`."""
    starts = np.zeros(n_nodes + 1, np.int64)
    for a in range(src.shape[0]):
        starts[src[a] + 1] += 1
    for v in range(n_nodes):
        starts[v + 1] += starts[v]
    fill = starts[:-1].copy()
    order = np.empty(src.shape[0], np.int64)
    for a in range(src.shape[0]):
        order[fill[src[a]]] = a
        fill[src[a]] += 1
    return starts, order


@njit(cache=True, nogil=True)
def reversed_residual(n_nodes, pair_tail, pair_head, pair_cost, used, tails, heads, room, flow):
    """A flow's residual graph reversed (head -> tail), grouped by source as (CSR pointer,
    heads, weights), for distances to the sink (`rounds.duals_on`): every pair arc reversed at
    its cost (a pair arc carries at most its demand's supply: never full) and each `used` one
    forward at minus its cost (its residual arc back), then each other arc (`tails`, `heads`,
    cost 0) reversed where it has `room` and forward where it carries `flow`. One pass to
    count and one to fill: no concatenated copies and no sort (the arcs of each source come in
    the order `group_by_source` gives those four parts concatenated)."""
    starts = np.zeros(n_nodes + 1, np.int64)
    n_pair = pair_tail.shape[0]
    for i in range(n_pair):
        starts[pair_head[i] + 1] += 1
        if used[i]:
            starts[pair_tail[i] + 1] += 1
    for t in range(tails.shape[0]):
        if room[t]:
            starts[heads[t] + 1] += 1
        if flow[t]:
            starts[tails[t] + 1] += 1
    for v in range(n_nodes):
        starts[v + 1] += starts[v]
    fill = starts[:-1].copy()
    dst = np.empty(starts[n_nodes], np.int64)
    weight = np.empty(starts[n_nodes], np.int64)
    for i in range(n_pair):
        a = fill[pair_head[i]]
        dst[a] = pair_tail[i]
        weight[a] = pair_cost[i]
        fill[pair_head[i]] += 1
        if used[i]:
            a = fill[pair_tail[i]]
            dst[a] = pair_head[i]
            weight[a] = -pair_cost[i]
            fill[pair_tail[i]] += 1
    for t in range(tails.shape[0]):
        if room[t]:
            a = fill[heads[t]]
            dst[a] = tails[t]
            weight[a] = 0
            fill[heads[t]] += 1
        if flow[t]:
            a = fill[tails[t]]
            dst[a] = heads[t]
            weight[a] = 0
            fill[tails[t]] += 1
    return starts, dst, weight


@njit(cache=True, nogil=True)
def distances_within(
    starts: I64, dst: I64, weight: I64, dist: I64, seed_below: int, budget: int
) -> int:
    """`shortest_distances` with a budget of arc scans (none when negative): FIFO label
    correcting from the nodes with dist[v] < seed_below, lowering `dist` in place. Returns the
    arcs scanned, or -1 when that passes `budget` or a node is taken more often than there are
    nodes (a negative cycle; with a budget, also a flow far from optimal: the caller solves
    instead)."""
    n_nodes = dist.shape[0]
    queue = np.empty(n_nodes + 1, np.int64)
    queued = np.zeros(n_nodes, np.bool_)
    passes = np.zeros(n_nodes, np.int64)
    size = 0
    for v in range(n_nodes):
        if dist[v] < seed_below:
            queue[size] = v
            queued[v] = True
            size += 1
    head = 0
    tail = size
    cap = n_nodes + 1
    scanned = 0
    while size > 0:
        u = queue[head]
        head = head + 1 if head + 1 < cap else 0
        size -= 1
        queued[u] = False
        passes[u] += 1
        if passes[u] > n_nodes + 1:
            return -1
        scanned += starts[u + 1] - starts[u]
        if 0 <= budget < scanned:
            return -1
        du = dist[u]
        for a in range(starts[u], starts[u + 1]):
            v = dst[a]
            candidate = du + weight[a]
            if candidate < dist[v]:
                dist[v] = candidate
                if not queued[v]:
                    queued[v] = True
                    queue[tail] = v
                    tail = tail + 1 if tail + 1 < cap else 0
                    size += 1
    return scanned


def arcs_by_source_from(parts: list[I64], n_nodes: int) -> tuple[I64, I64, I64]:
    """Arcs [src, dst, weight] grouped by source (`group_by_source`) as (CSR pointer, heads,
    weights), from a list this empties: given the only references, each array goes once its
    sorted copy is made (four arrays of the arcs' length at once, not six: 100,000 x 30,000
    with `goal_fit` alone, a repair's start on 11 M arcs: 0.17 GB less at the run's peak)."""
    src, dst, weight = parts
    parts.clear()
    starts, order = group_by_source(src, n_nodes)
    del src
    dst = dst[order]
    weight = weight[order]
    return starts, dst, weight


@njit(cache=True, nogil=True)
def listed_scores(indptr, cols, scores, rows, wanted):
    """Score of each pair (rows[i], wanted[i]) in a CSR shortlist, INELIGIBLE if not listed."""
    out = np.full(rows.shape[0], INELIGIBLE, np.int64)
    for i in range(rows.shape[0]):
        d = rows[i]
        for p in range(indptr[d], indptr[d + 1]):
            if cols[p] == wanted[i]:
                out[i] = scores[p]
                break
    return out


@njit(cache=True, nogil=True)
def ranked_in_runs(keys, width, stride):
    """Per element of sorted `keys`, whether its place in its run of equal keys is below
    `width` or a multiple of `stride` (`shortlist._split_reserve`; no temporaries)."""
    n = keys.shape[0]
    out = np.empty(n, np.bool_)
    rank = 0
    for i in range(n):
        if i == 0 or keys[i] != keys[i - 1]:
            rank = 0
        else:
            rank += 1
        out[i] = rank < width or rank % stride == 0
    return out


@njit(cache=True, nogil=True)
def mark_ranked_by_column(rows, cols, values, n_cols, width, stride, keep):
    """keep[i] = True for each entry whose place among its column's entries, by value
    descending and then row ascending, is below `width` or a multiple of `stride` (as
    `ranked_in_runs` on entries sorted by (column, value descending, row)). The entries are
    put in column order by counting (no sort of them all), then each column's own entries are
    sorted: a few hundred at a time instead of millions at once."""
    n = cols.shape[0]
    start = np.zeros(n_cols + 1, np.int64)
    for i in range(n):
        start[cols[i] + 1] += 1
    for j in range(n_cols):
        start[j + 1] += start[j]
    fill = start[:n_cols].copy()
    order = np.empty(n, np.int64)
    for i in range(n):
        j = cols[i]
        order[fill[j]] = i
        fill[j] += 1
    for j in range(n_cols):
        a, b = start[j], start[j + 1]
        m = b - a
        if m <= width:  # every place is below width
            for t in range(a, b):
                keep[order[t]] = True
            continue
        seg = order[a:b]
        seg = seg[np.argsort(rows[seg], kind="mergesort")]
        down = np.empty(m, np.int64)
        for t in range(m):
            down[t] = -values[seg[t]]
        by_value = np.argsort(down, kind="mergesort")  # stable: rows ascending among ties
        for r in range(m):
            if r < width or r % stride == 0:
                keep[seg[by_value[r]]] = True


@njit(cache=True, nogil=True)
def pairs_listed(indptr, cols, rows, wanted, n_cols):
    """Whether each pair (rows[i], wanted[i]) is in a CSR shortlist: a row's mentors marked in
    a table of n_cols while its pairs are looked up (pairs in row order mark each row once;
    any order gives the same answer). No temporaries of the shortlist's length."""
    out = np.zeros(rows.shape[0], np.bool_)
    mark = np.zeros(n_cols, np.bool_)
    current = -1
    for i in range(rows.shape[0]):
        d = rows[i]
        if d != current:
            if current >= 0:
                for p in range(indptr[current], indptr[current + 1]):
                    mark[cols[p]] = False
            for p in range(indptr[d], indptr[d + 1]):
                mark[cols[p]] = True
            current = d
        out[i] = mark[wanted[i]]
    return out


@njit(cache=True, nogil=True)
def first_in_row_groups(rows, group, values, previous, n_groups):
    """For arcs whose rows come in runs, per arc whether it is the first of its (row, group)
    (arcs of group -1 are always kept), whether it or a later arc of its group was `previous`,
    and whether every group's arcs have one value. One pass, no sort: a table of the row
    each group was last seen in (`flow._solve_hub_network`)."""
    n = rows.shape[0]
    keep = np.ones(n, np.bool_)
    chosen = previous.copy()
    seen_row = np.full(n_groups, -1, np.int64)
    seen_at = np.zeros(n_groups, np.int64)
    equal = True
    for k in range(n):
        g = group[k]
        if g < 0:
            continue
        r = rows[k]
        if seen_row[g] == r:
            keep[k] = False
            first = seen_at[g]
            if values[first] != values[k]:
                equal = False
            if previous[k]:
                chosen[first] = True
        else:
            seen_row[g] = r
            seen_at[g] = k
    return keep, chosen, equal


@njit(cache=True, nogil=True)
def within_slack(rows, cols, values, prices, row_best, slack):
    """Per arc, whether values - prices[col] >= row_best[row] - slack (`rounds._within_slack`)
    in one pass: the array expressions made four float64 temporaries of the arcs' length
    (100,000 x 30,000 `profiles`: 20 M arcs, 0.65 GB at the run's peak)."""
    n = rows.shape[0]
    out = np.empty(n, np.bool_)
    for k in range(n):
        out[k] = values[k] - prices[cols[k]] >= row_best[rows[k]] - slack
    return out


@njit(cache=True, nogil=True)
def takes_class(rows, cols, assigned, rep):
    """Per arc, whether its demand is assigned a member of the arc's mentor's class
    (`rounds.takes_last`), in one pass without temporaries."""
    n = rows.shape[0]
    out = np.empty(n, np.bool_)
    for k in range(n):
        hit = assigned[rows[k]]
        out[k] = hit >= 0 and rep[hit] == rep[cols[k]]
    return out


@njit(cache=True, nogil=True)
def pair_keys_in(rows, cols, row_group, col_group, width, pool):
    """Per arc, whether row_group[row] * width + col_group[col] is in `pool` (sorted), by
    binary search, with no temporaries of the arcs' length (`flow._solve_by_hub`: at 100,000
    x 30,000 `profiles` the array expressions took 0.7 GB at the run's peak)."""
    n = rows.shape[0]
    out = np.zeros(n, np.bool_)
    m = pool.shape[0]
    if m == 0:
        return out
    lowest, highest = pool[0], pool[m - 1]
    for k in range(n):
        key = row_group[rows[k]] * width + col_group[cols[k]]
        if key < lowest or key > highest:
            continue
        lo, hi = 0, m
        while lo < hi:
            mid = (lo + hi) >> 1
            if pool[mid] < key:
                lo = mid + 1
            else:
                hi = mid
        out[k] = lo < m and pool[lo] == key
    return out


@njit(cache=True, nogil=True)
def lists_class(indptr, cols, rep, rows, members):
    """Per pair (rows[k], members[k]), whether that row already lists a mentor of the
    member's class (`certificate.certify`), by a scan of the row: the key arrays of every
    listed pair (20 M at 100,000 x 30,000 `profiles`) took 0.35 GB at the run's peak."""
    n = rows.shape[0]
    out = np.zeros(n, np.bool_)
    for k in range(n):
        d = rows[k]
        c = rep[members[k]]
        for p in range(indptr[d], indptr[d + 1]):
            if rep[cols[p]] == c:
                out[k] = True
                break
    return out


@njit(cache=True, nogil=True)
def reserve_best(rows, cols, scores, prices, active, low, bonus, best, margin, k):
    """The certificate's tier 1 (`certificate._reserve_pass`) in one pass over the reserve
    pairs (`rows` sorted): each row's best reduced value score + bonus - price including its
    pairs (eligible: an active row, score >= `low`), and, of its pairs within `margin` of the
    row's `best` before them, the `k` largest (ties: mentor order, then reserve order) as
    positions in (row, reduced value descending, mentor) order. A selection through a buffer
    of each row's k first, not a sort: 100,000 x 30,000 with `goal_fit` alone holds 10-17 M
    reserve pairs, 7-13 M of them within the margin, and sorting those took 2.4-6.4 s a
    certificate."""
    n = rows.shape[0]
    full = best.copy()
    take = np.empty(n, np.int64)
    n_take = 0
    kk = max(k, 0)
    buffer = np.empty(max(kk, 1), np.int64)
    value = np.empty(max(kk, 1), np.float64)
    start = 0
    while start < n:
        r = rows[start]
        end = start + 1
        while end < n and rows[end] == r:
            end += 1
        if active[r]:
            floor = best[r] - margin
            top = full[r]
            size = 0
            for i in range(start, end):
                if scores[i] < low:
                    continue
                reduced = (scores[i] + bonus) - prices[cols[i]]
                if reduced > top:
                    top = reduced
                if not reduced > floor or kk == 0:
                    continue
                if size == kk and not (
                    reduced > value[kk - 1]
                    or (reduced == value[kk - 1] and cols[i] < cols[buffer[kk - 1]])
                ):
                    continue
                at = size if size < kk else kk - 1
                while at > 0 and (
                    reduced > value[at - 1]
                    or (reduced == value[at - 1] and cols[i] < cols[buffer[at - 1]])
                ):
                    buffer[at] = buffer[at - 1]
                    value[at] = value[at - 1]
                    at -= 1
                buffer[at] = i
                value[at] = reduced
                if size < kk:
                    size += 1
            full[r] = top
            for t in range(size):
                take[n_take] = buffer[t]
                n_take += 1
        start = end
    return full, take[:n_take].copy()
