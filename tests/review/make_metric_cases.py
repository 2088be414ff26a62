#!/usr/bin/env python3
"""Computes the reference values for `src/review/metrics.rs` with the packages people trust.

Every case below is written by hand; the expected outputs come from the packages, never from us:
  - span agreement: nervaluate's `Evaluator(...).evaluate()` (overall and per tag);
  - Cohen's kappa and percent agreement: scikit-learn's `cohen_kappa_score` and `accuracy_score`;
  - Krippendorff's alpha (nominal): the `krippendorff` package's `alpha`;
  - Fleiss' kappa: statsmodels' `fleiss_kappa(aggregate_raters(...)[0])`;
  - precision, recall and F1 from counts: scikit-learn's `precision_recall_fscore_support`.
Where a package returns NaN or raises, the expected value is `null` and `reference_outcome` says which.

Run it in a virtual environment:
    python3 -m venv /tmp/metrics-venv
    /tmp/metrics-venv/bin/pip install scikit-learn krippendorff nervaluate statsmodels numpy
    /tmp/metrics-venv/bin/python tests/review/make_metric_cases.py
It rewrites `tests/review/metric_cases.json` next to this script.
"""

import json
import math
import platform
import warnings
from importlib.metadata import version
from pathlib import Path

import krippendorff
import numpy as np
from nervaluate import Evaluator
from sklearn.metrics import accuracy_score, cohen_kappa_score, precision_recall_fscore_support
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

# NaN results come with RuntimeWarning / UndefinedMetricWarning; they are recorded as `null` instead.
warnings.simplefilter("ignore")

OUTPUT = Path(__file__).with_name("metric_cases.json")
PACKAGES = ["nervaluate", "scikit-learn", "krippendorff", "statsmodels", "numpy"]
# nervaluate's scheme names → ours.
SCHEMES = {"strict": "strict", "exact": "exact", "partial": "partial", "ent_type": "type"}
COUNTS = ["correct", "incorrect", "partial", "missed", "spurious", "possible", "actual"]
SCORES = ["precision", "recall", "f1"]


# --- span agreement -----------------------------------------------------------------------------


def span(start, end, label):
    """A half-open span [start, end) of code points, as Gloss stores it."""
    assert start < end, "nervaluate cannot express empty spans"
    return {"start": start, "end": end, "label": label}


def in_document_order(spans):
    """Gloss walks spans in document order (start, end, label); nervaluate gets the same order."""
    return sorted(spans, key=lambda s: (s["start"], s["end"], s["label"]))


def to_inclusive(spans):
    """Half-open [start, end) → nervaluate's inclusive end: both then cover exactly the same characters."""
    return [{"label": s["label"], "start": s["start"], "end": s["end"] - 1} for s in spans]


def to_nervaluate(spans):
    return to_inclusive(in_document_order(spans))


def labels_of(sides):
    return sorted({s["label"] for side in sides for s in side})


def scheme_result(result):
    out = {name: getattr(result, name) for name in COUNTS}
    out.update({name: float(getattr(result, name)) for name in SCORES})
    return out


def evaluate_spans(documents):
    """nervaluate over one or more documents, every label used being a tag."""
    tags = labels_of([doc[side] for doc in documents for side in ("reference", "other")])
    true = [to_nervaluate(doc["reference"]) for doc in documents]
    pred = [to_nervaluate(doc["other"]) for doc in documents]
    # loader="dict" explicitly: the default loader inspects true[0][0] and raises IndexError when the
    # first document has no true span.
    results = Evaluator(true, pred, tags=tags, loader="dict").evaluate()
    overall = {ours: scheme_result(results["overall"][theirs]) for theirs, ours in SCHEMES.items()}
    by_label = {
        tag: {ours: scheme_result(per_tag[theirs]) for theirs, ours in SCHEMES.items()}
        for tag, per_tag in sorted(results["entities"].items())
    }
    return {"overall": overall, "by_label": by_label}


def span_case(name, reference, other, note=""):
    return multi_document_case(name, [(reference, other)], note)


def multi_document_case(name, documents, note=""):
    docs = [{"reference": ref, "other": oth} for ref, oth in documents]
    return {"name": name, "note": note, "documents": docs, "expected": evaluate_spans(docs)}


def unsorted_case(name, reference, other):
    """Both sides are sorted before the walk; the note records what nervaluate says on the given order."""
    given = Evaluator([to_inclusive(reference)], [to_inclusive(other)], tags=labels_of([reference, other]), loader="dict")
    strict = given.evaluate()["overall"]["strict"]
    counts = ", ".join(f"{name}={getattr(strict, name)}" for name in COUNTS[:5])
    note = (
        "both sides are sorted by (start, end, label) before the walk and nervaluate is given that order; "
        f"on the order written here nervaluate's strict scheme would count {counts}"
    )
    return span_case(name, reference, other, note)


def realistic_article():
    """≈15 entity spans on a real-looking news paragraph; offsets are Python `str` (code-point) indices."""
    text = (
        "ISLAMABAD — Pakistan’s army chief, Gen. Asim Munir, met Taliban envoys in Kabul on Tuesday, "
        "officials said. The talks, brokered by Qatar, followed attacks that the Pakistani Taliban (TTP) "
        "claimed near Peshawar. “We will not tolerate safe havens,” said Khawaja Asif, the defence minister, "
        "speaking to Dawn News 🇵🇰. The United Nations urged restraint; Antonio Guterres called both sides."
    )

    def at(phrase, label, occurrence=0, trim_start=0, trim_end=0):
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(phrase, start + 1)
        return span(start + trim_start, start + len(phrase) - trim_end, label)

    reference = [
        at("ISLAMABAD", "LOC"),
        at("Pakistan", "LOC"),
        at("Gen. Asim Munir", "PER"),
        at("Taliban", "ORG"),
        at("Kabul", "LOC"),
        at("Qatar", "LOC"),
        at("Pakistani Taliban", "ORG"),
        at("TTP", "ORG"),
        at("Peshawar", "LOC"),
        at("Khawaja Asif", "PER"),
        at("Dawn News", "ORG"),
        at("The United Nations", "ORG"),
        at("Antonio Guterres", "PER"),
        at("Tuesday", "MISC"),
        at("defence minister", "MISC"),
    ]
    other = [
        at("ISLAMABAD", "LOC"),
        at("Pakistan’s army", "ORG"),  # longer and another label than the reference's LOC
        at("Gen. Asim Munir", "PER", trim_start=5),  # "Asim Munir": partial boundary
        at("Taliban", "ORG"),
        at("Kabul", "LOC"),
        at("Qatar", "ORG"),  # same place, another label
        at("Pakistani Taliban (TTP)", "ORG"),  # one span over two reference spans
        at("Peshawar", "LOC"),
        at("Khawaja Asif", "PER"),
        at("Dawn News", "ORG"),
        at("United Nations", "ORG"),  # without the article
        at("Antonio Guterres", "PER"),
        at("safe havens", "MISC"),  # spurious
    ]
    return reference, other


def span_cases():
    a = [span(0, 5, "PER"), span(10, 18, "ORG"), span(25, 30, "LOC")]
    long_claim = [span(0, 250, "CLAIM")]
    cases = [
        span_case("both_empty", [], [], "no annotation on either side: every count 0, every score 0.0"),
        span_case("perfect_agreement", a, a),
        span_case("reference_empty", [], a, "everything the other annotator tagged is spurious"),
        span_case("other_empty", a, [], "everything the reference tagged is missed"),
        span_case("single_label_single_span", [span(3, 9, "PER")], [span(3, 9, "PER")]),
        span_case(
            "total_disagreement",
            [span(0, 5, "PER"), span(20, 25, "LOC")],
            [span(6, 10, "PER"), span(30, 40, "ORG")],
            "disjoint spans: all missed and spurious",
        ),
        span_case("same_place_different_label", [span(4, 12, "PER")], [span(4, 12, "ORG")]),
        span_case("same_label_shifted_boundaries", [span(4, 12, "PER")], [span(6, 14, "PER")]),
        span_case(
            "touching_spans_do_not_overlap",
            [span(0, 5, "PER")],
            [span(5, 10, "PER")],
            "half-open [0,5) and [5,10) share no character, so nervaluate's inclusive [0,4] and [5,9] do not overlap",
        ),
        span_case("one_character_overlap", [span(0, 5, "PER")], [span(4, 10, "PER")]),
        span_case(
            "nested_spans",
            [span(0, 20, "ORG"), span(5, 10, "LOC")],
            [span(0, 20, "ORG"), span(5, 12, "LOC"), span(14, 18, "PER")],
            "spans nest inside each other on both sides",
        ),
        span_case(
            "nested_spans_swapped_labels",
            [span(0, 20, "ORG"), span(5, 10, "LOC")],
            [span(0, 20, "LOC"), span(5, 10, "ORG")],
        ),
        span_case(
            "one_prediction_overlapping_two_true_spans",
            [span(0, 5, "PER"), span(6, 12, "PER")],
            [span(0, 12, "PER")],
            "the prediction takes the first true span it overlaps; the second is missed",
        ),
        span_case(
            "two_predictions_overlapping_one_true_span",
            [span(0, 12, "PER")],
            [span(0, 5, "PER"), span(6, 12, "PER")],
            "the first prediction takes the true span; the second finds it taken and is spurious",
        ),
        span_case(
            "different_labels_at_the_same_place",
            [span(0, 8, "PER"), span(0, 8, "ORG")],
            [span(0, 8, "ORG")],
            "strict looks past the first true span to the exact label match",
        ),
        span_case(
            "different_labels_at_the_same_place_both_sides",
            [span(0, 8, "PER"), span(0, 8, "ORG")],
            [span(0, 8, "ORG"), span(0, 8, "PER")],
        ),
        span_case(
            "type_scheme_prefers_closest_boundaries",
            [span(0, 10, "PER"), span(2, 6, "PER")],
            [span(1, 6, "PER"), span(7, 10, "PER")],
            "type gives [1,6) the same-label true span with the smallest |Δstart|+|Δend|, [2,6), not the first "
            "one it overlaps, [0,10); that leaves [0,10) for [7,10)",
        ),
        span_case(
            "type_scheme_takes_the_first_of_equally_close_spans",
            [span(0, 6, "PER"), span(4, 10, "PER")],
            [span(2, 8, "PER"), span(8, 10, "PER")],
            "[2,8) is 4 away from both true spans and takes the first, [0,6); that leaves [4,10) for [8,10)",
        ),
        span_case(
            "a_near_miss_takes_the_first_overlapping_true_span",
            [span(0, 5, "PER"), span(6, 12, "PER")],
            [span(0, 12, "PER"), span(6, 12, "ORG")],
            "strict: [0,12) takes [0,5) as incorrect, which leaves [6,12) for the ORG prediction",
        ),
        span_case(
            "type_scheme_prefers_same_label_over_first_overlap",
            [span(0, 10, "ORG"), span(2, 6, "PER")],
            [span(1, 8, "PER")],
        ),
        span_case(
            "earlier_overlap_consumes_a_later_exact_match",
            [span(2, 8, "PER")],
            [span(0, 6, "PER"), span(2, 8, "PER")],
            "greedy walk in document order: [0,6) takes the true span as incorrect/partial before the exact "
            "match [2,8) is reached, which then counts as spurious",
        ),
        span_case(
            "duplicate_predictions",
            [span(0, 5, "PER")],
            [span(0, 5, "PER"), span(0, 5, "PER")],
            "a true span is matched once; the duplicate is spurious",
        ),
        unsorted_case(
            "input_not_in_document_order",
            [span(25, 30, "LOC"), span(2, 8, "PER")],
            [span(2, 8, "PER"), span(24, 30, "LOC"), span(0, 6, "PER")],
        ),
        span_case(
            "overlap_below_one_percent_of_a_long_true_span",
            long_claim,
            [span(248, 260, "CLAIM")],
            "2 shared characters of a 250-character true span is 0.8% < nervaluate's 1% minimum: no overlap",
        ),
        span_case(
            "overlap_of_exactly_one_percent",
            [span(0, 200, "CLAIM")],
            [span(198, 260, "CLAIM")],
            "2 shared characters of a 200-character true span is exactly 1%: an overlap",
        ),
        span_case(
            "overlap_percentage_is_relative_to_the_true_span",
            [span(248, 250, "CLAIM")],
            long_claim,
            "the long span is the prediction now: 2 shared characters are 100% of the true span",
        ),
        span_case("realistic_article", *realistic_article(), "a news paragraph with 15 reference spans"),
        multi_document_case(
            "several_documents",
            [
                (a, [span(0, 5, "PER"), span(10, 16, "ORG")]),
                ([], [span(3, 7, "MISC")]),
                ([span(0, 4, "LOC"), span(8, 20, "ORG")], [span(0, 4, "ORG"), span(8, 20, "ORG")]),
                ([], []),
            ],
            "counts add up over documents and the scores are computed from the sums",
        ),
    ]
    return cases


# --- categorical agreement ----------------------------------------------------------------------


def undefined(reason):
    return {"expected": None, "reference_outcome": reason}


def defined(value):
    value = float(value)
    if math.isnan(value):
        return undefined("NaN")
    return {"expected": value, "reference_outcome": "value"}


def computed(function, *args):
    try:
        return defined(function(*args))
    except Exception as error:  # the package refuses the input: recorded as null
        return undefined(f"raises {type(error).__name__}: {error}")


def as_category(label):
    """sklearn cannot sort None next to strings; token labels use None for `O`."""
    return "O" if label is None else label


def cohen_case(name, a, b, note=""):
    result = computed(lambda: cohen_kappa_score([as_category(x) for x in a], [as_category(x) for x in b]))
    return {"name": name, "note": note, "a": a, "b": b, **result}


def cohen_kappa_cases():
    tokens_a = [None, "PER", "PER", None, None, "ORG", None, "LOC", None, None, None, "ORG"]
    tokens_b = [None, "PER", None, None, None, "ORG", "ORG", "LOC", None, "PER", None, "LOC"]
    return [
        cohen_case("perfect_agreement", ["pos", "neg", "neu", "pos"], ["pos", "neg", "neu", "pos"]),
        cohen_case("sklearn_docstring_example", ["negative", "positive", "negative", "neutral", "positive"],
                   ["negative", "positive", "negative", "neutral", "negative"], "0.6875 in sklearn's docs"),
        cohen_case("chance_level", ["x", "x", "y", "y"], ["x", "y", "x", "y"], "p_o = p_e = 0.5"),
        cohen_case("total_disagreement", ["x", "y", "x", "y"], ["y", "x", "y", "x"]),
        cohen_case("single_identical_label_everywhere", ["x", "x", "x"], ["x", "x", "x"],
                   "p_e = 1: kappa is 0/0"),
        cohen_case("one_rater_constant", ["x", "x", "x", "x"], ["x", "y", "x", "x"]),
        cohen_case("unbalanced_categories", ["O"] * 17 + ["PER", "PER", "ORG"], ["O"] * 16 + ["PER", "PER", "O", "ORG"]),
        cohen_case("token_labels_with_none_as_o", tokens_a, tokens_b, "null is the O tag"),
        cohen_case("single_unit", ["x"], ["y"]),
        cohen_case("empty_input", [], []),
        cohen_case("different_lengths", ["x", "y"], ["x"]),
    ]


def percent_case(name, a, b):
    result = computed(lambda: accuracy_score([as_category(x) for x in a], [as_category(x) for x in b]))
    return {"name": name, "note": "", "a": a, "b": b, **result}


def percent_agreement_cases():
    return [
        percent_case("perfect_agreement", ["x", "y", "z"], ["x", "y", "z"]),
        percent_case("two_of_three", ["x", "y", "z"], ["x", "y", "y"]),
        percent_case("token_labels_with_none_as_o", [None, "PER", None, "ORG"], [None, None, None, "ORG"]),
        percent_case("total_disagreement", ["x", "y"], ["y", "x"]),
        percent_case("empty_input", [], []),
        percent_case("different_lengths", ["x", "y"], ["x"]),
    ]


def alpha_case(name, units, note=""):
    """`units`: one list per unit with one value per coder (null = missing); may be ragged."""
    coders = max((len(unit) for unit in units), default=0)
    domain = sorted({value for unit in units for value in unit if value is not None})
    code = {value: float(index) for index, value in enumerate(domain)}
    # The package wants coders in rows and units in columns, missing as NaN; pad ragged units with NaN.
    reliability = [[code[unit[c]] if c < len(unit) and unit[c] is not None else np.nan for unit in units]
                   for c in range(coders)]
    result = computed(lambda: krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal"))
    return {"name": name, "note": note, "units": units, **result}


def krippendorff_alpha_cases():
    # Krippendorff's own example (package docstring): 3 coders, 15 units, values 1–4 written as labels.
    coders = [
        [None, None, None, None, None, "c", "d", "a", "b", "a", "a", "c", "c", None, "c"],
        ["a", None, "b", "a", "c", "c", "d", "c", None, None, None, None, None, None, None],
        [None, None, "b", "a", "c", "d", "d", None, "b", "a", "a", "c", "c", None, "d"],
    ]
    classic = [list(unit) for unit in zip(*coders)]
    return [
        alpha_case("krippendorff_example_with_missing_values", classic, "0.691358 in the package's docs"),
        alpha_case("perfect_agreement", [["x", "x"], ["y", "y"], ["z", "z", "z"], ["x", None]]),
        alpha_case("chance_level_two_coders", [["x", "x"], ["x", "y"], ["y", "x"], ["y", "y"]]),
        alpha_case("total_disagreement", [["x", "y"], ["y", "x"]]),
        alpha_case("three_coders_unbalanced",
                   [["O", "O", "O"]] * 12 + [["PER", "PER", "O"], ["ORG", "ORG", "ORG"], ["PER", "PER", "PER"]]),
        alpha_case("ragged_units_padded_with_missing", [["x", "x", "y"], ["y", "y"], ["x"], ["x", "x", "x", "x"]],
                   "a unit with fewer coders is the same as one with missing values"),
        alpha_case("single_value_everywhere", [["x", "x"], ["x", "x"]], "one value in the domain"),
        alpha_case("no_unit_with_two_values", [["x", None], [None, "y"]], "no pairable unit"),
        alpha_case("one_pairable_value", [["x", "x"], ["x", "x"], ["y", None]],
                   "y is in the domain but never pairable: D_e = 0 and alpha is 0/0"),
        alpha_case("all_missing", [[None, None], [None, None]]),
        alpha_case("no_units", []),
    ]


def fleiss_case(name, ratings, note=""):
    domain = sorted({label for unit in ratings for label in unit})
    code = {value: index for index, value in enumerate(domain)}
    data = np.array([[code[label] for label in unit] for unit in ratings])
    result = computed(lambda: fleiss_kappa(aggregate_raters(data)[0]))
    return {"name": name, "note": note, "ratings": ratings, **result}


def fleiss_table_to_ratings(table, categories):
    """A subjects × categories count table back to raw ratings (one label per rater)."""
    return [[category for category, count in zip(categories, row) for _ in range(count)] for row in table]


def fleiss_kappa_cases():
    # Fleiss (1971) as on Wikipedia: 10 subjects, 14 raters, 5 categories; kappa ≈ 0.210.
    wikipedia = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]
    return [
        fleiss_case("wikipedia_fleiss_1971", fleiss_table_to_ratings(wikipedia, ["a", "b", "c", "d", "e"]),
                    "14 raters; 0.210 on Wikipedia"),
        fleiss_case("perfect_agreement_three_raters", [["x", "x", "x"], ["y", "y", "y"], ["z", "z", "z"]]),
        fleiss_case("three_raters", [["pos", "pos", "neg"], ["neg", "neg", "neg"], ["neu", "pos", "neu"],
                                     ["pos", "pos", "pos"], ["neg", "neu", "neg"]]),
        fleiss_case("four_raters_unbalanced", [["O", "O", "O", "O"]] * 9 + [["PER", "PER", "O", "PER"],
                                                                            ["ORG", "O", "O", "O"]]),
        fleiss_case("five_raters", [["a", "b", "a", "a", "c"], ["b", "b", "b", "b", "b"], ["c", "a", "b", "c", "c"],
                                    ["a", "a", "a", "b", "a"]]),
        fleiss_case("chance_level_three_raters", [["x", "x", "y"], ["x", "y", "y"], ["y", "x", "x"], ["y", "y", "x"]]),
        fleiss_case("total_disagreement_three_raters", [["x", "y", "z"], ["y", "z", "x"], ["z", "x", "y"]]),
        fleiss_case("two_raters", [["x", "x"], ["x", "y"], ["y", "y"]], "Fleiss' kappa also takes two raters"),
        fleiss_case("single_category_everywhere", [["x", "x", "x"], ["x", "x", "x"]], "p_e = 1: kappa is 0/0"),
        fleiss_case("one_rater", [["x"], ["y"]], "P_i = 0/0 for every unit"),
        fleiss_case("no_units", []),
    ]


# --- precision, recall and F1 from counts -------------------------------------------------------


def f1_case(name, true_positives, false_positives, false_negatives):
    # Rebuild labels: 1 = positive. One (0, 0) pair keeps the input non-empty; it never counts.
    y_true = [1] * true_positives + [0] * false_positives + [1] * false_negatives + [0]
    y_pred = [1] * true_positives + [1] * false_positives + [0] * false_negatives + [0]
    precision, recall, f1, _ = precision_recall_fscore_support(y_true, y_pred, labels=[1], average=None, zero_division=0)
    return {
        "name": name,
        "true_positives": true_positives,
        "false_positives": false_positives,
        "false_negatives": false_negatives,
        "expected": {"precision": float(precision[0]), "recall": float(recall[0]), "f1": float(f1[0])},
    }


def f1_score_cases():
    return [
        f1_case("all_zero", 0, 0, 0),
        f1_case("only_false_positives", 0, 3, 0),
        f1_case("only_false_negatives", 0, 0, 4),
        f1_case("perfect", 5, 0, 0),
        f1_case("mixed", 7, 2, 3),
        f1_case("no_true_positive", 0, 2, 5),
    ]


def to_json(value, indent=""):
    """Indented JSON that keeps each small object or list on one line, for readable diffs."""
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + len(indent) <= 200 or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = indent + " "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key, ensure_ascii=False)}: {to_json(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    items = [inner + to_json(item, inner) for item in value]
    return "[\n" + ",\n".join(items) + "\n" + indent + "]"


def main():
    cases = {
        "generated_by": "tests/review/make_metric_cases.py",
        "versions": {"python": platform.python_version(), **{name: version(name) for name in PACKAGES}},
        "span_agreement": span_cases(),
        "cohen_kappa": cohen_kappa_cases(),
        "percent_agreement": percent_agreement_cases(),
        "krippendorff_alpha_nominal": krippendorff_alpha_cases(),
        "fleiss_kappa": fleiss_kappa_cases(),
        "f1_scores": f1_score_cases(),
    }
    OUTPUT.write_text(to_json(cases) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
