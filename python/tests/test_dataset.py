"""Dataset studies from Python, checked against per-example computations through the same
module: head importance = sum over examples of each head's signed maximum attribution against
the gold label; accuracy = share of predictions equal to the gold label."""

import json

import numpy as np
import pytest

import attrscope

ROWS = [
    ("A man is playing a guitar.", "A man is not playing a guitar.", "contradiction"),
    ("A woman is slicing an onion.", "A woman is cutting an onion.", "entailment"),
    ("A child is reading a book.", "A child is sleeping on a sofa.", "neutral"),
]


@pytest.fixture
def pairs(tmp_path):
    f = tmp_path / "pairs.tsv"
    f.write_text("sentence1\tsentence2\tlabel\n" + "".join(f"{a}\t{b}\t{l}\n" for a, b, l in ROWS))
    return attrscope.load_dataset(str(f), "glue-pair")


def test_load_dataset(pairs):
    assert len(pairs) == 3 and pairs.is_pair
    assert pairs[1]["text_b"] == ROWS[1][1] and pairs[-1]["label"] == "neutral"
    with pytest.raises(IndexError):
        pairs[3]


def test_head_importance_is_the_sum_of_per_example_maxima(golden_model, pairs):
    seen = []
    imp = golden_model.head_importance(pairs, examples=0, steps=4, progress=seen.append)
    L, H = golden_model.num_layers, golden_model.num_heads
    assert imp.attribution.shape == (L, H) and imp.attribution.dtype == np.float64
    assert imp.attention.shape == (L, H) and imp.complete and imp.examples == 3
    assert seen and seen[-1]["done"] == seen[-1]["total"]
    expected = np.zeros((L, H))
    expected_att = np.zeros((L, H))
    for a, b, label in ROWS:
        r = golden_model.attribute(a, b, steps=4, rule="left", target=label)
        expected += r.attribution.reshape(L, H, -1).max(axis=2)
        expected_att += r.attention.reshape(L, H, -1).max(axis=2)
    assert np.max(np.abs(imp.attribution - expected)) <= 1e-5
    assert np.max(np.abs(imp.attention - expected_att)) <= 1e-5
    assert np.allclose(imp.attribution_mean, imp.attribution / 3)
    j = json.loads(imp.to_json())  # attrscope-cli heads' layout: flat, layer-major
    assert j["num_layers"] == L and j["examples"] == 3 and j["settings"]["rule"] == "left"
    assert np.allclose(j["importance"], imp.attribution.ravel(), rtol=0, atol=1e-12)
    assert np.allclose(j["baselines"]["attention"]["importance"], imp.attention.ravel(), rtol=0, atol=1e-12)


def test_evaluate_with_and_without_head_mask(golden_model, pairs):
    e = golden_model.evaluate(pairs)
    preds = [golden_model.predict(a, b).predicted for a, b, _ in ROWS]
    labels = [golden_model.labels.index(l) for _, _, l in ROWS]
    assert e["predictions"].tolist() == preds and e["labels"].tolist() == labels
    assert e["accuracy"] == pytest.approx(np.mean(np.equal(preds, labels)))
    ones = np.ones((golden_model.num_layers, golden_model.num_heads))
    assert golden_model.evaluate(pairs, head_mask=ones)["mean_loss"] == pytest.approx(e["mean_loss"])
    with pytest.raises(attrscope.Error, match="head_mask must have shape"):
        golden_model.evaluate(pairs, head_mask=np.ones((2, 2)))
