"""to_json() is attrscope-cli's JSON for the same computation."""

import json
import math
import subprocess

import attrscope
from conftest import GOLDEN

A = "A man is playing a guitar."
B = "A man is not playing a guitar."


def run_cli(cli, *args):
    out = subprocess.run([cli, "--quiet", *args], capture_output=True, text=True, check=True)
    return out.stdout


def assert_same(a, b, path="$"):
    """Equal structure, keys, strings and integers; floats within 1e-5, the C++ golden tests'
    map tolerance (two processes may use different thread counts, so sums differ in order)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), path
        for k in a:
            assert_same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-5), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def test_predict_json_equals_cli(golden_model, cli):
    mine = json.loads(golden_model.predict(A, B).to_json())
    theirs = json.loads(run_cli(cli, "predict", "--model", str(GOLDEN / "model"),
                                "--text-a", A, "--text-b", B))
    assert_same(mine, theirs)


def test_attribute_json_equals_cli(golden_model, cli, tmp_path):
    out = tmp_path / "r.json"
    run_cli(cli, "attribute", "--model", str(GOLDEN / "model"), "--text-a", A, "--text-b", B,
            "--steps", "7", "--rule", "gauss-legendre", "--layers", "0,2-3", "--target", "neutral",
            "--out", str(out))
    theirs = json.loads(out.read_text())
    r = golden_model.attribute(A, B, steps=7, rule="gauss-legendre", layers=[0, 2, 3], target="neutral")
    mine = json.loads(r.to_json())
    for j in (mine, theirs):
        del j["timings"]  # wall-clock seconds and the chosen chunk size
    assert_same(mine, theirs)
    # Reading the CLI's file back gives the same arrays and tree JSON as the CLI's tree command.
    back = attrscope.read_result(out)
    assert back.layers == [0, 2, 3] and back.target_label == "neutral"
    assert abs(back.attribution - r.attribution).max() <= 1e-6
    tree_cli = run_cli(cli, "tree", "--result", str(out), "--threshold", "0.3")
    assert back.tree(0.3).to_json() == tree_cli


def test_save_round_trip(golden_model, tmp_path):
    r = golden_model.attribute(A, B, steps=3)
    r.save(str(tmp_path / "x.json"))
    back = attrscope.read_result(tmp_path / "x.json")
    assert back.tokens == r.tokens and back.labels == r.labels
    assert (back.attribution == r.attribution).all()
    r.save_jsonl(str(tmp_path / "jsonl"))
    lines = (tmp_path / "jsonl" / "attr_zero_base_exp0.json").read_text().splitlines()
    assert len(lines) == golden_model.num_layers
    r.tree(0.2).save(str(tmp_path / "t.dot"))
    assert (tmp_path / "t.dot").read_text().startswith("digraph")
