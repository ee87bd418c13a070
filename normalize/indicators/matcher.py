"""Indicator labels as read (clean, wrapped, OCR-garbled) to catalogue ids.

`match_label` judges one label on its own, like `rapidfuzz.process.extractOne`.
`match_rows` judges the rows of one table together: ids rise down the table and a
printed row number is strong evidence, so a row whose label OCR destroyed still gets
the id its place implies, with its low label score kept for the review queue.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from normalize.indicators.catalogue import Catalogue, load_catalogue
from normalize.text.fold import fold_ocr

log = logging.getLogger(__name__)

# Points (on the 0-100 label scale) for a printed row number equal to the id: more
# than the gap between look-alike indicators (12 and 14 differ by ~8 points), less
# than the gap between a clean label and a wrong one (~30 points).
NUMBER_BONUS = 40.0
# Points lost per id skipped between two consecutive rows; a table lists its rows in
# order, so a jump needs a reason, but a row the reader dropped must stay possible.
GAP_PENALTY = 1.0
# A row left without an id: only when there are more rows than ids.
UNASSIGNED_PENALTY = 1000.0
# Labels shorter than this (folded characters) are too short to tell indicators
# apart, whatever they match: "Tỷ lệ người dân" is in nine names.
FULL_EVIDENCE_CHARS = 30

# How much more a sentence's label weighs its own words found in the name (precision) than
# the name's words it leaves out (recall): a report names an indicator by a third or half of
# its catalogue words ("người dân, doanh nghiệp được tuyên truyền, tập huấn kỹ năng số cơ
# bản" is 14 of its 33). At 1/3, such a label scores 90 where its neighbours stay under 75
# (12 against 14, which differ by "doanh nghiệp"/"người dân": 98 against 89) and the seeds'
# narrative figures under 70; at 1/2 it fell to 78, under the prose reader's 82 (bench_fidelity
# --prose, 60 reports of seed 100).
ORDERED_BETA = 1 / 3
# Words shared in any order count this much of words shared in order: a sentence may name
# an indicator by its words turned round (16: 91 -> 86, over the prose reader's 82), and the
# narrative figures of the prose family stay under 70 either way (bench_fidelity --prose).
BAG_WEIGHT = 0.95
_WORD = re.compile(r"\w+")

Scorer = Callable[[str, str], float]


@dataclass(frozen=True)
class Match:
    """An indicator id for a label, with the evidence a reviewer needs.

    `score` is always the label's similarity (0-100) to the chosen indicator, even when
    the id came from the row's place in its table (`by_position`); `runner_up_*` is the
    best other indicator for the same label.
    """

    indicator_id: int
    name: str  # canonical name of the indicator
    score: float
    runner_up_id: int | None = None
    runner_up_score: float = 0.0
    matched: str = ""  # the catalogue wording (name or variant) closest to the label
    by_position: bool = False  # the id is not the label's own best: order or number chose it

    @property
    def margin(self) -> float:
        return self.score - self.runner_up_score


def similarity(query: str, choice: str) -> float:
    """Similarity (0-100) of two folded strings, tolerant of labels that are longer than
    the choice (a suffix "/tổng số dân…") or only a fragment of it (a wrapped cell's
    first line); a fragment scores at most 95 and less the shorter it is."""
    if not query or not choice:
        return 0.0
    whole = fuzz.ratio(query, choice)
    shorter = min(len(query), len(choice))
    partial = fuzz.partial_ratio(query, choice)
    if len(query) < len(choice):
        partial *= 0.9 + 0.1 * shorter / len(choice)
    else:
        partial *= 0.95
    partial *= min(1.0, shorter / FULL_EVIDENCE_CHARS)
    return max(whole, partial, 0.95 * fuzz.token_sort_ratio(query, choice))


def ordered_words(query: str, choice: str) -> float:
    """Similarity (0-100) of a label that is the choice with words left out or changed, as a
    report words an indicator in a sentence ("hộ gia đình thanh toán tiền điện không dùng
    tiền mặt" for "… bằng phương thức thanh toán không dùng tiền mặt"): the words both have
    in the same order (or, a little less, in any order), weighed against the label's length
    three times as much as against the choice's (an F-measure, ORDERED_BETA), and less for a
    label too short to tell indicators apart."""
    q, c = _WORD.findall(query), _WORD.findall(choice)
    if not q or not c:
        return 0.0
    in_order = _f_measure(LCSseq.similarity(q, c), len(q), len(c))
    # the same words in another order ("địa điểm quan trọng trong xã có điểm phát Wifi công
    # cộng" for "Có điểm phát Wifi công cộng tại các địa điểm quan trọng …"), a little less
    any_order = BAG_WEIGHT * _f_measure(sum((Counter(q) & Counter(c)).values()), len(q), len(c))
    return 100.0 * max(in_order, any_order) * min(1.0, len(query) / FULL_EVIDENCE_CHARS)


def _f_measure(common: int, n_query: int, n_choice: int) -> float:
    if not common:
        return 0.0
    precision, recall = common / n_query, common / n_choice
    beta2 = ORDERED_BETA ** 2
    return (1 + beta2) * precision * recall / (beta2 * precision + recall)


def sentence_similarity(query: str, choice: str) -> float:
    """`similarity`, or `ordered_words` when that is higher: the scorer for labels taken from sentences."""
    return max(similarity(query, choice), ordered_words(query, choice))


@lru_cache(maxsize=8)
def _choices(catalogue: Catalogue, processor: Callable[[str], str]) -> tuple[tuple[int, str, str], ...]:
    """(id, wording, processed wording) for every name and variant."""
    return tuple((ind.id, text, processor(text)) for ind in catalogue for text in ind.names)


def _scores(
    text: str, catalogue: Catalogue, scorer: Scorer, processor: Callable[[str], str]
) -> dict[int, tuple[float, str]]:
    """Best score and wording per indicator id."""
    query = processor(text)
    best: dict[int, tuple[float, str]] = {ind.id: (0.0, ind.name) for ind in catalogue}
    if not query:
        return best
    for indicator_id, wording, key in _choices(catalogue, processor):
        score = float(scorer(query, key))
        if score > best[indicator_id][0]:
            best[indicator_id] = (score, wording)
    return best


def label_scores(
    text: str,
    *,
    catalogue: Catalogue | None = None,
    scorer: Scorer = similarity,
    processor: Callable[[str], str] = fold_ocr,
) -> dict[int, float]:
    """The label's score against every indicator, by id."""
    catalogue = catalogue or load_catalogue()
    return {k: s for k, (s, _) in _scores(text, catalogue, scorer, processor).items()}


def _build(
    catalogue: Catalogue, scores: dict[int, tuple[float, str]], chosen: int, by_position: bool = False
) -> Match:
    score, wording = scores[chosen]
    others = [(s, k) for k, (s, _) in scores.items() if k != chosen]
    runner_score, runner_id = max(others, key=lambda sk: (sk[0], -sk[1]), default=(0.0, None))
    return Match(
        indicator_id=chosen,
        name=catalogue.get(chosen).name,
        score=round(score, 2),
        runner_up_id=runner_id,
        runner_up_score=round(runner_score, 2),
        matched=wording,
        by_position=by_position,
    )


def _best_id(scores: dict[int, tuple[float, str]]) -> int:
    return max(scores, key=lambda k: (scores[k][0], -k))


def match_label(
    text: str,
    *,
    catalogue: Catalogue | None = None,
    score_cutoff: float = 0.0,
    scorer: Scorer = similarity,
    processor: Callable[[str], str] = fold_ocr,
) -> Match | None:
    """The indicator whose name or variant is closest to `text`; None when the label is
    empty or its best score is below `score_cutoff`."""
    catalogue = catalogue or load_catalogue()
    if not processor(text or ""):
        return None
    scores = _scores(text, catalogue, scorer, processor)
    best = _best_id(scores)
    if scores[best][0] < score_cutoff:
        return None
    return _build(catalogue, scores, best)


def _assign(gains: list[list[float]]) -> list[int | None]:
    """Strictly increasing column per row (or None) maximising the total gain.

    gains[i][j] is the gain of putting row i on id index j. Skipping ids between two
    rows costs GAP_PENALTY each; skipping ids before the first row or after the last
    is free, as a page may hold only part of a table.
    """
    n, m = len(gains), len(gains[0]) if gains else 0
    # best[j + 1]: best total so far with the last assigned row on index j (0: none yet)
    neg = float("-inf")
    best = [0.0] + [neg] * m
    back: list[list[int | None]] = []  # per row: for each state, the previous state or None if unassigned
    for i in range(n):
        new = [v - UNASSIGNED_PENALTY for v in best]
        choice: list[int | None] = [None] * (m + 1)
        for j in range(m):
            for prev in range(j + 1):  # prev state: 0 (none) or index prev-1 < j
                if best[prev] == neg:
                    continue
                gap = 0 if prev == 0 else j - prev
                total = best[prev] + gains[i][j] - GAP_PENALTY * gap
                if total > new[j + 1]:
                    new[j + 1], choice[j + 1] = total, prev
        back.append(choice)
        best = new
    state = max(range(m + 1), key=lambda s: (best[s], -s))
    out: list[int | None] = [None] * n
    for i in range(n - 1, -1, -1):
        prev = back[i][state]
        if prev is None:
            continue  # row i left unassigned; the state carries over
        out[i], state = state - 1, prev
    return out


def _number_bonus(scores: dict[int, tuple[float, str]]) -> float:
    """A printed row number counts as much as the label is unsure: a table may hold a
    subset of the 16 indicators numbered 1, 2, 3…, and a clear label must win there,
    while a label OCR turned to noise leaves the number (and the order) to decide."""
    top = max((s for s, _ in scores.values()), default=0.0)
    return NUMBER_BONUS * max(0.0, min(1.0, (100.0 - top) / 50.0))


def match_rows(
    rows: Sequence[tuple[int | None, str]],
    *,
    catalogue: Catalogue | None = None,
    scorer: Scorer = similarity,
    processor: Callable[[str], str] = fold_ocr,
) -> list[Match | None]:
    """Ids for the indicator rows of one table, `(number, label)` in document order.

    Ids strictly increase down the table; a row's gain for an id is its label score
    plus a bonus when its printed number is that id (see `_number_bonus`). A row is None only when no
    increasing assignment can reach it (more rows than indicators).
    """
    catalogue = catalogue or load_catalogue()
    ids = catalogue.ids
    all_scores = [_scores(text or "", catalogue, scorer, processor) for _, text in rows]
    gains = [
        [scores[k][0] + (_number_bonus(scores) if number == k else 0.0) for k in ids]
        for (number, _), scores in zip(rows, all_scores)
    ]
    assigned = _assign(gains)
    matches: list[Match | None] = []
    for (number, text), scores, j in zip(rows, all_scores, assigned):
        if j is None:
            log.warning("row %r (%s) gets no indicator id: more rows than indicators", number, (text or "")[:40])
            matches.append(None)
            continue
        chosen = ids[j]
        by_position = _best_id(scores) != chosen
        if by_position:
            log.debug("row %r %r: id %s by position (label prefers %s)", number, (text or "")[:40], chosen, _best_id(scores))
        matches.append(_build(catalogue, scores, chosen, by_position))
    return matches
