"""Checks Gloss's exports with the tools that read them.

Usage: check_exports.py EXPORT_FOLDER...   (each folder as written by tests/interop/run)
"""

import csv
import json
import re
import sys
from pathlib import Path

import spacy
from label_studio_sdk.label_interface import LabelInterface
from seqeval.metrics import f1_score
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import IOB2

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def project_texts(folder):
    project = json.loads((folder / "project.gloss.json").read_text(encoding="utf-8"))
    return {document["sha256"]: document["text"] for document in project["documents"]}, project


def check_jsonl(folder, nlp):
    mapped = strict = 0
    for number, line in enumerate((folder / "export.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        text = record["text"]
        doc = nlp(text)
        for span in record["spans"]:
            where = f"{folder.name} jsonl line {number} span {span['id']}"
            check(text[span["start"]:span["end"]] == span["text"], f"{where}: Python slice differs")
            expanded = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="expand")
            check(expanded is not None and span["text"] in expanded.text, f"{where}: spaCy char_span cannot cover it")
            mapped += 1
            if span["kind"] == "entity":
                exact = doc.char_span(span["start"], span["end"], label=span["label"])
                check(exact is not None, f"{where}: entity {span['text']!r} is not on spaCy token boundaries")
                strict += exact is not None
    return f"jsonl: {mapped} spans slice exactly and map with spaCy char_span ({strict} entities on exact spaCy token boundaries)"


def read_conll(path):
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        token, tag = line.split("\t")
        if token == "-DOCSTART-":
            continue
        current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def check_conll(folder, expected_chunks):
    summary = []
    for kind in ("entity", "claim", "sentiment"):
        sentences = read_conll(folder / f"{kind}.conll")
        tags = [[tag for _, tag in sentence] for sentence in sentences]
        check(all(len(token) > 0 and not re.search(r"\s", token) for s in sentences for token, _ in s), f"{folder.name} {kind}: bad token")
        score = f1_score(tags, tags, mode="strict", scheme=IOB2) if any(t != "O" for s in tags for t in s) else 1.0
        check(score == 1.0, f"{folder.name} {kind}: seqeval strict IOB2 rejects the tags")
        chunks = get_entities(tags)
        check(len(chunks) <= expected_chunks[kind], f"{folder.name} {kind}: more chunks than annotations")
        summary.append(f"{kind} {len(chunks)} chunks")
    return "conll: seqeval reads every layer in strict IOB2 (" + ", ".join(summary) + ")"


def check_brat(folder):
    count = 0
    for ann in sorted((folder / "brat").glob("*.ann")):
        text = ann.with_suffix(".txt").open(encoding="utf-8", newline="").read()
        ids = set()
        lines = ann.read_text(encoding="utf-8").splitlines()
        for line in lines:
            if line.startswith("T"):
                ident, middle, quoted = line.split("\t")
                label, offsets = middle.split(" ", 1)
                fragments = [tuple(map(int, part.split())) for part in offsets.split(";")]
                where = f"{ann.name} {ident}"
                check(all(0 <= s < e <= len(text) for s, e in fragments), f"{where}: offsets outside the text")
                check(" ".join(text[s:e] for s, e in fragments) == quoted, f"{where}: text differs from the slice")
                check(all("\n" not in text[s:e] and "\r" not in text[s:e] for s, e in fragments), f"{where}: a fragment holds a line break")
                check(all(a[1] <= b[0] for a, b in zip(sorted(fragments), sorted(fragments)[1:])), f"{where}: fragments overlap")
                ids.add(ident)
                count += 1
        for line in lines:
            if line[0] in "RA#":
                refs = re.findall(r"\bT\d+\b", line.split("\t")[1])
                check(all(ref in ids for ref in refs), f"{ann.name}: {line!r} refers to a missing id")
    return f"brat: {count} text-bound annotations follow brat's rules"


def check_w3c(folder, texts):
    collection = json.loads((folder / "export.jsonld").read_text(encoding="utf-8"))
    checked = 0
    for item in collection["first"]["items"]:
        targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
        for target in targets:
            if not isinstance(target, dict) or "selector" not in target:
                continue
            text = texts[target["source"].rsplit(":", 1)[1]]
            position = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
            quote = next(s for s in target["selector"] if s["type"] == "TextQuoteSelector")
            start, end = position["start"], position["end"]
            check(text[start:end] == quote["exact"], f"{item['id']}: exact differs from the text at its position")
            check(text[:start].endswith(quote.get("prefix", "")), f"{item['id']}: prefix differs")
            check(text[end:].startswith(quote.get("suffix", "")), f"{item['id']}: suffix differs")
            checked += 1
    return f"w3c: {checked} selectors quote the text at their positions"


def check_labelstudio(folder):
    config = (folder / "tasks.label-config.xml").read_text(encoding="utf-8")
    interface = LabelInterface(config)
    # The validator must be able to say no, or passing it proves nothing.
    bogus = {"result": [{"id": "x", "from_name": "label", "to_name": "text", "type": "labels",
                         "value": {"start": 0, "end": 1, "text": "x", "labels": ["NO_SUCH_LABEL"]}}]}
    check(interface.validate_prediction(bogus, return_errors=True), "Label Studio's validator accepted an unknown label")
    tasks = json.loads((folder / "tasks.json").read_text(encoding="utf-8"))
    regions = 0
    for task in tasks:
        # What LabelInterface.validate_task checks of the data (its own call is broken in 2.1.2).
        for tag in interface.objects:
            check(not tag.value_is_variable or task["data"].get(tag.value_name) is not None, f"task {task['id']}: no data for {tag.value_name}")
        for annotation in task["annotations"]:
            errors = interface.validate_prediction({"result": annotation["result"]}, return_errors=True)
            check(not errors, f"task {task['id']}: Label Studio rejects the result: {errors[:3]}")
            for result in annotation["result"]:
                value = result.get("value", {})
                if result["type"] == "labels":
                    check(task["data"]["text"][value["start"]:value["end"]] == value["text"], f"task {task['id']} {result['id']}: text differs")
                    regions += 1
    return f"labelstudio: {len(tasks)} tasks pass Label Studio's validation ({regions} regions)"


def check_csv(folder, project):
    rows = list(csv.DictReader((folder / "export.csv").open(encoding="utf-8", newline="")))
    texts = {document["id"]: document["text"] for document in project["documents"]}
    for row in rows:
        if row["fragments"]:
            parts = [tuple(map(int, fragment.split("-"))) for fragment in row["fragments"].split(";")]
            expected = " … ".join(texts[row["document"]][s:e] for s, e in parts)
            check(row["text"].lstrip("'") == expected.lstrip("'") or row["text"] == "'" + expected, f"csv {row['id']}: text differs")
    return f"csv: {len(rows)} rows read back with Python's csv module"


def main():
    nlp = spacy.blank("en")
    for folder in map(Path, sys.argv[1:]):
        texts, project = project_texts(folder)
        annotations = [a for document in project["documents"] for a in document["annotations"]]
        expected = {kind: sum(len(a.get("fragments", [])) for a in annotations if a["kind"] == kind) for kind in ("entity", "claim", "sentiment")}
        print(f"{folder.name}:")
        for line in (
            check_jsonl(folder, nlp),
            check_conll(folder, expected),
            check_brat(folder),
            check_w3c(folder, texts),
            check_labelstudio(folder),
            check_csv(folder, project),
        ):
            print("  " + line)
    if failures:
        print(f"\n{len(failures)} interop failure(s):")
        for failure in failures[:50]:
            print("  " + failure)
        sys.exit(1)
    print("all exports read correctly in their consumers")


if __name__ == "__main__":
    main()
