"""Notebook rendering: one standalone SVG per heatmap, valid XML, colours from the data."""

import re
import xml.etree.ElementTree as ET

import numpy as np

import attrscope

A, B = "A man is playing a guitar.", "A man is not playing a guitar."


def svgs(html):
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def test_attribution_html_has_two_heatmaps_per_layer(golden_model):
    r = golden_model.attribute(A, B, steps=3, layers=[0, 2])
    html = r._repr_html_()
    maps = svgs(html)
    assert len(maps) == 4 == html.count("<svg")  # attention + attribution for layers 0 and 2
    n = len(r.tokens)
    for s in maps:
        root = ET.fromstring(s)
        cells = [e for e in root.iter("{http://www.w3.org/2000/svg}rect")]
        assert len(cells) == n * n
    # The attribution map's most positive cell is drawn in the darkest red.
    attr = r.attribution[2].sum(axis=0)
    i, j = np.unravel_index(np.argmax(attr), attr.shape)
    cells = list(ET.fromstring(maps[3]).iter("{http://www.w3.org/2000/svg}rect"))
    if attr[i, j] >= np.abs(attr).max():
        assert cells[i * n + j].get("fill") == "#b2182b"


def test_prediction_html_has_one_heatmap_per_layer(golden_model):
    p = golden_model.predict(A, B)
    assert len(svgs(p._repr_html_())) == golden_model.num_layers
    assert len(svgs(golden_model.predict(A, attention=False)._repr_html_())) == 0


def test_heatmap_svg_escapes_tokens():
    s = attrscope.heatmap_svg(np.eye(2), ["<a>", "&"], title="t")
    root = ET.fromstring(s)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<a>" in texts and "&" in texts


def test_tree_svg(golden_model):
    t = golden_model.attribute(A, B, steps=3).tree(0.2)
    assert "<svg" in t._repr_svg_()
