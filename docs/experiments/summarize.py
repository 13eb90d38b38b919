#!/usr/bin/env python3
"""Markdown tables for docs/experiments.md from one run folder of run_experiments.sh.

Usage: summarize.py RUN_DIR   (reads heads.json, prune.json, triggers.json, *.seconds)
"""
import json
import os
import sys


def load(d, name):
    with open(os.path.join(d, name)) as f:
        return json.load(f)


def seconds(d, name):
    p = os.path.join(d, name + ".seconds")
    return open(p).read().strip() if os.path.exists(p) else "?"


def pct(x):
    return f"{100 * x:.1f}"


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):  # average ranks for ties
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else float("nan")


def main():
    d = sys.argv[1]
    heads, prune, trig = load(d, "heads.json"), load(d, "prune.json"), load(d, "triggers.json")
    L, H = prune["num_layers"], prune["num_heads"]
    base = prune["base_accuracy"]
    print(f"Model {L} layers x {H} heads; {prune['examples']} evaluation examples; "
          f"accuracy without pruning {pct(base)} %.\n")
    print("Wall times (s): heads " + seconds(d, "heads") + ", prune " + seconds(d, "prune") +
          ", triggers mine " + seconds(d, "mine") + ", evaluate " + seconds(d, "triggers") +
          f"; attribution pass alone {heads['timings']['attribution_seconds']:.1f} s for "
          f"{heads['examples']} examples.\n")

    imps = {"attribution": heads["importance"]}
    for k, v in heads["baselines"].items():
        imps[k] = [0.0 if x is None else x for x in v["importance"]]
    names = list(imps)
    print("Spearman rank correlation between the head importances:\n")
    print("| | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for a in names:
        print(f"| {a} | " + " | ".join(f"{spearman(imps[a], imps[b]):.2f}" for b in names) + " |")
    print()

    g = prune["global"]
    names = [n for n in g if n != "random"]
    rates = g[names[0]]["rates"]
    counts = g[names[0]]["num_pruned"]
    print("| ranking | " + " | ".join(f"{r:g} ({c})" for r, c in zip(rates, counts)) +
          " | mean |")
    print("|---" * (len(rates) + 2) + "|")
    for n in names:
        acc = g[n]["accuracy"]
        print(f"| {n} | " + " | ".join(pct(a) for a in acc) + f" | {pct(sum(acc) / len(acc))} |")
    if "random" in g:
        r = g["random"]
        print(f"| random (mean of {len(r['seeds'])}) | " +
              " | ".join(f"{pct(m)} ± {pct(s)}" for m, s in zip(r["mean"], r["std"])) +
              f" | {pct(sum(r['mean']) / len(r['mean']))} |")
    print("\nAccuracy (%) by prune rate (number of heads masked); 'mean' = average over the "
          "rates (area under the curve).\n")

    print("| ranking | mode | " + " | ".join(f"k={k}" for k in range(1, H + 1)) + " |")
    print("|---" * (H + 2) + "|")
    for ranking, modes in prune["per_layer"].items():
        for mode, c in modes.items():
            print(f"| {ranking} | {mode} | " +
                  " | ".join(f"{pct(a)} ({100 * a / base:.0f} %)" for a in c["accuracy"]) + " |")
    print("\nPer-layer experiment: accuracy % (share of the unpruned accuracy).\n")

    print("Trigger evaluation: clean accuracy per label " +
          ", ".join(f"{k} {pct(v)} % (n={trig['class_counts'][k]})"
                    for k, v in trig["clean_accuracy"].items()) +
          f"; {trig['qualifying_patterns']} patterns with a1+a2 >= "
          f"{trig['options']['threshold']}, the strongest {trig['evaluated_patterns']} "
          "evaluated.\n")
    print("| # | inserted (A / B) | mined pair | a1+a2 | " +
          " | ".join(f"{k} drop" for k in trig["labels"]) + " | mean drop |")
    print("|---" * (5 + len(trig["labels"])) + "|")
    seen = set()
    for t in trig["strongest"]:
        ins = " ".join(t["inserted_tokens_a"]) + " / " + " ".join(t["inserted_tokens_b"])
        if ins in seen:  # the same words at another relative position: show the strongest
            continue
        if len(seen) == 10:
            break
        seen.add(ins)
        pair = " ← ".join(t["top1pattern"])
        print(f"| {t['pattern_index']} | {ins} | {pair} | {sum(t['max_combined_attr']):.3f} | " +
              " | ".join(pct(t["drop"][k]) for k in trig["labels"]) + f" | {pct(t['mean_drop'])} |")
    drops = [p["mean_drop"] for p in trig["patterns"]]
    if drops:
        print(f"\nMean drop over all {len(drops)} evaluated patterns: "
              f"{pct(sum(drops) / len(drops))} points; patterns with a positive mean drop: "
              f"{sum(1 for x in drops if x > 0)}.")


if __name__ == "__main__":
    main()
