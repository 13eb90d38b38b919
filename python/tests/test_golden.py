"""Golden equality through Python: the official code's maps, completeness and step
probabilities for the tiny fixture, with the C++ tests' tolerances (maps 1e-5, scalars 5e-5),
and NumPy shapes and dtypes."""

import json

import numpy as np
import pytest

import attrscope
from conftest import GOLDEN_IDS, text_b


@pytest.mark.parametrize("gid", GOLDEN_IDS)
@pytest.mark.parametrize("rule", ["left", "right"])
def test_attribution_matches_official_code(golden_model, golden, gid, rule):
    g = golden(gid + ".json")
    r = golden_model.attribute(g["input"]["text_a"], text_b(g["input"]), steps=20, rule=rule)
    assert r.tokens == g["tokens"]
    assert r.target == g["predicted"]
    assert np.max(np.abs(r.attribution - np.asarray(g["attribution"][rule]))) <= 1e-5
    for c, ref, steps in zip(r.completeness, g["completeness"][rule], g["step_probs"][rule]):
        for key in ("sum_attr", "f_full", "f_zero"):
            assert abs(c[key] - ref[key]) <= 5e-5
    assert np.max(np.abs(r.step_probs - np.asarray(g["step_probs"][rule]))) <= 5e-5
    # The fixture states its points: left k/m for k = 0..m-1, right k/m for k = 1..m.
    k = np.arange(20) + (1 if rule == "right" else 0)
    assert g["alphas"][rule].startswith("k/m for k=" + ("1..m" if rule == "right" else "0..m-1"))
    assert np.max(np.abs(r.alphas - k / 20)) <= 1e-12


@pytest.mark.parametrize("gid", GOLDEN_IDS)
def test_prediction_matches_official_code(golden_model, golden, gid):
    g = golden(gid + ".json")
    p = golden_model.predict(g["input"]["text_a"], text_b(g["input"]))
    assert p.tokens == g["tokens"]
    assert p.encoding["input_ids"].tolist() == g["input_ids"]
    assert p.encoding["segment_ids"].tolist() == g["segment_ids"]
    assert np.max(np.abs(p.logits - np.asarray(g["logits"]))) <= 5e-5
    assert np.max(np.abs(p.probs - np.asarray(g["probs"]))) <= 5e-5
    assert p.predicted == g["predicted"] and p.predicted_label == g["predicted_label"]
    assert np.max(np.abs(p.attention - np.asarray(g["attention"]))) <= 5e-5


def test_shapes_and_dtypes(golden_model, golden):
    g = golden("A08.json")
    n, L, H = g["n"], golden_model.num_layers, golden_model.num_heads
    r = golden_model.attribute(g["input"]["text_a"], text_b(g["input"]), steps=5, layers=[3, 1])
    assert r.attribution.dtype == np.float32 and r.attribution.shape == (L, H, n, n)
    assert r.attention.dtype == np.float32 and r.attention.shape == (L, H, n, n)
    assert r.step_probs.dtype == np.float64 and r.step_probs.shape == (2, 5)
    assert r.alphas.dtype == np.float64 and r.alphas.shape == (5,)
    assert r.probs.dtype == np.float32 and r.probs.shape == (3,)
    assert r.encoding["input_ids"].dtype == np.int64
    assert r.layers == [1, 3]
    # Layers not computed are zero; computed ones are not.
    assert not r.attribution[0].any() and not r.attribution[2].any()
    assert r.attribution[1].any() and r.attribution[3].any()
    # Arrays are copies: writing to one leaves the result unchanged.
    a = r.attribution
    a[:] = 0
    assert r.attribution[1].any()
    p = golden_model.predict("a man", attention=False)
    assert p.attention.shape == (0,)


def golden_result_json(g, rule):
    """A result file in attrscope-cli's format holding the official code's arrays."""
    return json.dumps({
        "format": "attrscope-result", "format_version": 1, "tokens": g["tokens"],
        "input_ids": g["input_ids"], "segment_ids": g["segment_ids"], "logits": g["logits"],
        "probs": g["probs"], "predicted": g["predicted"], "labels": ["contradiction", "entailment", "neutral"],
        "settings": {"steps": 20, "rule": rule}, "attention": g["attention"],
        "attribution": g["attribution"][rule]})


@pytest.mark.parametrize("gid", GOLDEN_IDS)
def test_tree_matches_official_code(golden, gid):
    g, ref = golden(gid + ".json"), golden("tree_" + gid + ".json")
    assert ref["source_field"].startswith("attribution.left")
    t = attrscope.Attribution.from_json(golden_result_json(g, "left")).tree(ref["tau"])
    assert t.root == ref["root"]
    assert [list(e) for e in t.edges] == ref["edges"]
    assert t.node_state == ref["node_state"]
    assert np.max(np.abs(np.asarray(t.heights) - np.asarray(ref["heights"]))) <= 1e-9
