"""Notebook rendering: plain SVG heatmaps (one <svg> per map) and the HTML around them.

Conventions follow the desktop app's figures: row = query i, column = key j; attention on a
sequential palette from 0, attribution on a diverging palette symmetric around 0 (red positive).
"""

from __future__ import annotations

import html
from typing import Optional, Sequence

import numpy as np

# viridis at 0, .25, .5, .75, 1 and RdBu (blue negative, white 0, red positive).
_SEQUENTIAL = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
_DIVERGING = [(33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)]


def _colour(stops, t: float) -> str:
    t = min(max(t, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(t), len(stops) - 2)
    f = t - i
    r, g, b = (round(a + (c - a) * f) for a, c in zip(stops[i], stops[i + 1]))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap_svg(matrix, tokens: Sequence[str], title: str = "", diverging: bool = False,
                cell: int = 14) -> str:
    """One n x n map as a standalone SVG string (row = query, column = key).

    diverging=False: colour 0 .. max (attention); True: -m .. +m with m = max |value|.
    """
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] != len(tokens):
        raise ValueError(f"heatmap_svg needs an n x n matrix for {len(tokens)} tokens, got {m.shape}")
    n = m.shape[0]
    label_w = 7 * max((len(t) for t in tokens), default=1) + 6
    top = 18 + label_w
    width, height = label_w + n * cell + 4, top + n * cell + 4
    if diverging:
        scale = float(np.max(np.abs(m))) if m.size else 0.0
        norm = (m / scale + 1.0) / 2.0 if scale > 0 else np.full(m.shape, 0.5)
        stops = _DIVERGING
    else:
        scale = float(np.max(m)) if m.size else 0.0
        norm = m / scale if scale > 0 else np.zeros(m.shape)
        stops = _SEQUENTIAL
    esc = [html.escape(t) for t in tokens]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="attrscope-heatmap" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" '
           f'font-size="10">',
           f'<text x="2" y="12" font-size="11">{html.escape(title)}</text>']
    for j, t in enumerate(esc):  # key labels, rotated, above the columns
        x = label_w + j * cell + cell * 0.7
        out.append(f'<text transform="translate({x:.1f},{top - 3}) rotate(-90)">{t}</text>')
    for i, t in enumerate(esc):
        y = top + i * cell + cell * 0.75
        out.append(f'<text x="{label_w - 3}" y="{y:.1f}" text-anchor="end">{t}</text>')
        for j in range(n):
            out.append(f'<rect x="{label_w + j * cell}" y="{top + i * cell}" width="{cell}" '
                       f'height="{cell}" fill="{_colour(stops, float(norm[i, j]))}">'
                       f'<title>{esc[i]} \u2192 {esc[j]}: {m[i, j]:.4g}</title></rect>')
    out.append("</svg>")
    return "".join(out)


def _head_map(arr, layer: int, head: Optional[int], reduce: str):
    block = np.asarray(arr)[layer]
    if head is not None:
        return block[head]
    return block.sum(axis=0) if reduce == "sum" else block.mean(axis=0)


def attribution_heatmap_svg(result, layer: int, head: Optional[int] = None,
                            quantity: str = "attribution") -> str:
    """SVG of one layer's map: quantity 'attribution' (head sum when head is None) or
    'attention' (head mean when head is None)."""
    if quantity not in ("attribution", "attention"):
        raise ValueError("quantity must be 'attribution' or 'attention'")
    which = "all heads" if head is None else f"head {head}"
    if quantity == "attribution":
        m = _head_map(result.attribution, layer, head, "sum")
        title = f"attribution to p({result.target_label}), layer {layer}, {which}"
        return heatmap_svg(m, result.tokens, title, diverging=True)
    m = _head_map(result.attention, layer, head, "mean")
    return heatmap_svg(m, result.tokens, f"attention, layer {layer}, {which}")


def _probs_table(labels, probs, mark: int) -> str:
    cells = "".join(f"<td>{'<b>' if i == mark else ''}{html.escape(l)} {p:.3f}"
                    f"{'</b>' if i == mark else ''}</td>" for i, (l, p) in enumerate(zip(labels, probs)))
    return f"<table><tr>{cells}</tr></table>"


def attribution_html(result) -> str:
    """_repr_html_ of Attribution: per computed layer, attention (head mean) beside attribution
    (head sum), plus the completeness check."""
    parts = [f"<div class='attrscope-result'><p><b>AttrScope attribution</b> to "
             f"p({html.escape(result.target_label)}) &mdash; {html.escape(result.rule)} rule, "
             f"m = {result.steps}, predicted {html.escape(result.predicted_label)}</p>",
             _probs_table(result.labels, result.probs, result.predicted)]
    comp = {c["layer"]: c for c in result.completeness}
    for layer in result.layers:
        c = comp[layer]
        parts.append(f"<p>layer {layer}: &Sigma; Attr = {c['sum_attr']:.4f}, "
                     f"F(A) &minus; F(0) = {c['delta']:.4f}</p><div style='display:flex;gap:12px'>")
        parts.append(attribution_heatmap_svg(result, layer, None, "attention"))
        parts.append(attribution_heatmap_svg(result, layer, None, "attribution"))
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def prediction_html(pred) -> str:
    """_repr_html_ of Prediction: probabilities and, when present, one attention map per layer."""
    parts = [f"<div class='attrscope-prediction'><p><b>AttrScope prediction</b>: "
             f"{html.escape(pred.predicted_label)}</p>",
             _probs_table(pred.labels, pred.probs, pred.predicted)]
    att = pred.attention
    if att.ndim == 4:
        parts.append("<div style='display:flex;flex-wrap:wrap;gap:12px'>")
        for layer in range(att.shape[0]):
            parts.append(heatmap_svg(att[layer].mean(axis=0), pred.tokens,
                                     f"attention, layer {layer}, all heads"))
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def importance_html(imp) -> str:
    """_repr_html_ of HeadImportance: the layers x heads attribution importance as a table."""
    a = imp.attribution if imp.attribution.size else imp.attention
    what = "attribution" if imp.attribution.size else "attention"
    rows = "".join("<tr><th>layer %d</th>%s</tr>" % (l, "".join(f"<td>{v:.3g}</td>" for v in row))
                   for l, row in enumerate(a))
    head = "".join(f"<th>head {h}</th>" for h in range(a.shape[1]))
    return (f"<div class='attrscope-importance'><p><b>Head importance</b> ({what}, "
            f"{imp.examples} examples)</p><table><tr><th></th>{head}</tr>{rows}</table></div>")
