#!/usr/bin/env python3
"""SVG plots for docs/experiments.md from the JSON that attrscope-cli heads/prune write.

Standard library only (no matplotlib here). Usage:
    make_plots.py DATA_DIR OUT_DIR NAME TITLE
reads DATA_DIR/heads.json and DATA_DIR/prune.json and writes
OUT_DIR/NAME_pruning.svg, NAME_per_layer.svg and NAME_importance.svg.
"""
import json
import math
import sys
from html import escape

COLORS = {
    "attribution": "#d62728", "attention": "#1f77b4", "taylor": "#2ca02c",
    "taylor-loss": "#17becf", "accuracy": "#9467bd", "random": "#7f7f7f",
}
W, H, ML, MR, MT, MB = 700, 420, 60, 210, 40, 50


def frame(title, xlabel, ylabel, xticks, yticks, sx, sy):
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{(ML + W - MR) / 2}" y="22" text-anchor="middle" font-size="14">'
           f'{escape(title)}</text>']
    for v in yticks:
        y = sy(v)
        out.append(f'<line x1="{ML}" x2="{W - MR}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{ML - 6}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    for v, label in xticks:
        x = sx(v)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{MT}" y2="{H - MB}" stroke="#f0f0f0"/>')
        out.append(f'<text x="{x:.1f}" y="{H - MB + 16}" text-anchor="middle">{label}</text>')
    out.append(f'<rect x="{ML}" y="{MT}" width="{W - ML - MR}" height="{H - MT - MB}" '
               f'fill="none" stroke="#333"/>')
    out.append(f'<text x="{(ML + W - MR) / 2}" y="{H - 12}" text-anchor="middle">'
               f'{escape(xlabel)}</text>')
    out.append(f'<text x="16" y="{(MT + H - MB) / 2}" text-anchor="middle" '
               f'transform="rotate(-90 16 {(MT + H - MB) / 2})">{escape(ylabel)}</text>')
    return out


def polyline(points, color, dash=None, width=2):
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    d = f' stroke-dasharray="{dash}"' if dash else ""
    marks = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>'
                    for x, y in points)
    return f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="{width}"{d}/>' + marks


def legend(entries):
    out = []
    for i, (label, color, dash) in enumerate(entries):
        y = MT + 14 + 20 * i
        d = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{W - MR + 12}" x2="{W - MR + 40}" y1="{y}" y2="{y}" '
                   f'stroke="{color}" stroke-width="2"{d}/>')
        out.append(f'<text x="{W - MR + 46}" y="{y + 4}">{escape(label)}</text>')
    return out


def scales(xmin, xmax, ymin, ymax):
    sx = lambda v: ML + (v - xmin) / (xmax - xmin) * (W - ML - MR)
    sy = lambda v: H - MB - (v - ymin) / (ymax - ymin) * (H - MT - MB)
    return sx, sy


def y_range(values):
    """Axis limits rounded to a tick step, and the ticks: accuracies differ by a few points."""
    lo, hi = min(values), max(values)
    step = 0.1 if hi - lo > 0.3 else 0.05 if hi - lo > 0.1 else 0.02
    lo = math.floor(lo / step - 1e-9) * step
    hi = math.ceil(hi / step + 1e-9) * step
    ticks = [round(lo + i * step, 4) for i in range(int(round((hi - lo) / step)) + 1)]
    return lo, hi, ticks


def pruning_plot(prune, title, path):
    total = prune["num_layers"] * prune["num_heads"]
    values = [prune["base_accuracy"]]
    for name, c in prune["global"].items():
        values += c.get("accuracy", []) + c.get("min", []) + c.get("max", [])
    lo, hi, yticks = y_range(values)
    sx, sy = scales(0, 1, lo, hi)
    out = frame(title, "fraction of heads pruned (global ranking, least important first)",
                "accuracy", [(v / 10, f"{v / 10:g}") for v in range(0, 11, 2)], yticks, sx, sy)
    entries = []
    rnd = prune["global"].get("random")
    if rnd:
        xs = [n / total for n in rnd["num_pruned"]]
        band = [(sx(x), sy(v)) for x, v in zip(xs, rnd["max"])] + \
               [(sx(x), sy(v)) for x, v in reversed(list(zip(xs, rnd["min"])))]
        out.append('<polygon points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in band) +
                   '" fill="#7f7f7f" fill-opacity="0.2" stroke="none"/>')
        out.append(polyline([(sx(x), sy(v)) for x, v in zip(xs, rnd["mean"])], COLORS["random"],
                            "5,3"))
        entries.append((f"random ({len(rnd['seeds'])} seeds)", COLORS["random"], "5,3"))
    for name, c in prune["global"].items():
        if name == "random":
            continue
        xs = [n / total for n in c["num_pruned"]]
        out.append(polyline([(sx(x), sy(v)) for x, v in zip(xs, c["accuracy"])],
                            COLORS.get(name, "#000")))
        entries.append((name, COLORS.get(name, "#000"), None))
    out += legend(entries)
    out.append("</svg>")
    open(path, "w").write("\n".join(out) + "\n")


def per_layer_plot(prune, title, path):
    nh = prune["num_heads"]
    values = [prune["base_accuracy"]]
    for modes in prune["per_layer"].values():
        for c in modes.values():
            values += c["accuracy"]
    lo, hi, yticks = y_range(values)
    sx, sy = scales(0.5, nh + 0.5, lo, hi)
    out = frame(title, "k heads per layer", "accuracy", [(k, str(k)) for k in range(1, nh + 1)],
                yticks, sx, sy)
    base = prune["base_accuracy"]
    out.append(f'<line x1="{ML}" x2="{W - MR}" y1="{sy(base):.1f}" y2="{sy(base):.1f}" '
               f'stroke="#000" stroke-dasharray="2,3"/>')
    entries = [("no pruning", "#000", "2,3")]
    for ranking, modes in prune["per_layer"].items():
        for mode, c in modes.items():
            dash = None if mode == "keep-top-k" else "6,3"
            out.append(polyline([(sx(k), sy(v)) for k, v in zip(c["k"], c["accuracy"])],
                                COLORS.get(ranking, "#000"), dash))
            entries.append((f"{ranking}: {mode}", COLORS.get(ranking, "#000"), dash))
    out += legend(entries)
    out.append("</svg>")
    open(path, "w").write("\n".join(out) + "\n")


def importance_plot(heads, title, path):
    L, Hh = heads["num_layers"], heads["num_heads"]
    panels = [("attribution: mean signed max", heads["importance_mean"]),
              ("attention: mean max", heads["baselines"]["attention"]["importance_mean"])]
    if "taylor" in heads["baselines"]:
        panels.append(("taylor: logit-sum, per-layer norm",
                       heads["baselines"]["taylor"]["importance"]))
    cell = max(12, min(44, 300 // max(L, Hh)))
    pw = max(Hh * cell + 40, 230)
    width, height = 20 + pw * len(panels), 80 + L * cell
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14">{escape(title)}</text>']
    for p, (name, flat) in enumerate(panels):
        x0, y0 = 40 + p * pw, 50
        lo, hi = min(flat), max(flat)
        out.append(f'<text x="{x0 + Hh * cell / 2}" y="{y0 - 8}" text-anchor="middle">'
                   f'{escape(name)}</text>')
        for layer in range(L):
            # Layer 1 (bottom) is drawn at the bottom, as the model is usually pictured.
            y = y0 + (L - 1 - layer) * cell
            out.append(f'<text x="{x0 - 4}" y="{y + cell * 0.65:.1f}" text-anchor="end">'
                       f'L{layer + 1}</text>')
            for h in range(Hh):
                v = flat[layer * Hh + h]
                t = 0.0 if hi == lo else (v - lo) / (hi - lo)
                shade = int(255 - 200 * t)
                out.append(f'<rect x="{x0 + h * cell}" y="{y}" width="{cell}" height="{cell}" '
                           f'fill="rgb(255,{shade},{shade})" stroke="#ccc">'
                           f'<title>L{layer + 1} H{h + 1}: {v:.4g}</title></rect>')
        out.append(f'<text x="{x0 + Hh * cell / 2}" y="{y0 + L * cell + 14}" '
                   f'text-anchor="middle">heads 1..{Hh} (darker = larger)</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out) + "\n")


def main():
    data, out, name, title = sys.argv[1:5]
    heads = json.load(open(f"{data}/heads.json"))
    prune = json.load(open(f"{data}/prune.json"))
    pruning_plot(prune, f"{title}: global head pruning", f"{out}/{name}_pruning.svg")
    per_layer_plot(prune, f"{title}: per-layer top-k heads", f"{out}/{name}_per_layer.svg")
    importance_plot(heads, f"{title}: head importance", f"{out}/{name}_importance.svg")


if __name__ == "__main__":
    main()
