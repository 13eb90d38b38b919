#!/usr/bin/env python3
"""Copies shared/golden/families into tests/data/families, trimmed to what the tests read.

For every family: the model/ folder as is, the README as PROVENANCE.md, and four of the ten
golden inputs (a short pair, the shortest single, a truncated pair and one more single) with
only the keys the tests use. Floats are written with 9 significant digits: the tests' tolerances
(1e-5 on attention, 1e-4 of a layer's max |attr|) are far above that rounding (about 1e-9).

Usage: python3 trim_goldens.py SHARED_FAMILIES_DIR [OUT_DIR]   (OUT_DIR defaults to this folder)
"""
import json
import os
import shutil
import sys

INPUTS = ["A02", "A04", "A08", "A10"]
KEYS = ["fixture", "family", "id", "max_length", "tokenization", "n", "tokens", "input_ids",
        "token_type_ids", "uses_token_type_ids", "position_ids", "relative_positions", "logits",
        "predicted", "predicted_label", "labels", "m", "attention", "attribution", "completeness"]


def rounded(value):
    if isinstance(value, float):
        return float("%.9g" % value)
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def main():
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    for family in sorted(os.listdir(src)):
        folder = os.path.join(src, family)
        if not os.path.isdir(folder):
            continue
        dest = os.path.join(out, family)
        if os.path.exists(os.path.join(dest, "model")):
            shutil.rmtree(os.path.join(dest, "model"))
        shutil.copytree(os.path.join(folder, "model"), os.path.join(dest, "model"))
        for name in INPUTS:
            with open(os.path.join(folder, name + ".json"), encoding="utf-8") as f:
                golden = json.load(f)
            trimmed = {k: rounded(golden[k]) for k in KEYS if k in golden}
            with open(os.path.join(dest, name + ".json"), "w", encoding="utf-8") as f:
                json.dump(trimmed, f, ensure_ascii=False, separators=(",", ":"))
                f.write("\n")
        with open(os.path.join(dest, "PROVENANCE.md"), "w", encoding="utf-8") as f:
            f.write("# %s: provenance\n\nCopied from `shared/golden/families/%s/` by "
                    "`tests/data/families/trim_goldens.py`:\n\n"
                    "- `model/`: the fixture's checkpoint folder, unchanged;\n"
                    "- %s: those golden files with only the keys the tests read, floats rounded "
                    "to 9 significant digits.\n\nThe fixture's README (conventions, tolerances, "
                    "how the references were made) is `../README.md`.\n"
                    % (family, family, ", ".join("`%s.json`" % n for n in INPUTS)))
    shutil.copy(os.path.join(src, "README.md"), os.path.join(out, "README.md"))


if __name__ == "__main__":
    main()
