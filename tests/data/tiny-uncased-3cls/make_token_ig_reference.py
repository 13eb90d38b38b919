#!/usr/bin/python3
"""Float64 reference for token-level integrated gradients (tests/core/test_explanations.cpp).

A plain re-implementation of BertForSequenceClassification in float64 PyTorch (Debian's
python3-torch), loading model/model.safetensors (float32 weights, upcast), and Captum's
LayerIntegratedGradients semantics on the embedding block's output: the path runs from the
baseline's embedding output x' to the input's x, attribution per token = sum_d (x - x')_d *
sum_k w_k dF/dx_d(x' + a_k (x - x')), F = softmax probability of the predicted class,
Gauss-Legendre points on [0, 1]. Baselines: "pad" (every non-special id -> [PAD] = 0, [CLS]/[SEP],
positions and segments kept) and "zero" (x' = 0).
Run (Debian python3): /usr/bin/python3 make_token_ig_reference.py > token_ig_reference.json
"""
import json, os, struct, sys
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        assert meta["dtype"] == "F32", meta["dtype"]
        b, e = meta["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype="<f4").reshape(meta["shape"])
        out[name] = torch.tensor(arr.astype(np.float64))
    return out


cfg = json.load(open(os.path.join(HERE, "model", "config.json")))
W = load_safetensors(os.path.join(HERE, "model", "model.safetensors"))
L, H, d = cfg["num_hidden_layers"], cfg["num_attention_heads"], cfg["hidden_size"]
eps = cfg["layer_norm_eps"]
dh = d // H


def ln(x, p):
    return torch.nn.functional.layer_norm(x, (d,), W[p + ".weight"], W[p + ".bias"], eps)


def lin(x, p):
    return x @ W[p + ".weight"].T + W[p + ".bias"]


def embed(ids, segs):
    n = len(ids)
    x = (W["bert.embeddings.word_embeddings.weight"][ids]
         + W["bert.embeddings.position_embeddings.weight"][torch.arange(n)]
         + W["bert.embeddings.token_type_embeddings.weight"][segs])
    return ln(x, "bert.embeddings.LayerNorm")


def encoder_probs(e):  # e [B, n, d] -> class probabilities [B, C]
    h = e
    B, n, _ = h.shape
    for l in range(L):
        p = f"bert.encoder.layer.{l}."
        split = lambda t: t.view(B, n, H, dh).transpose(1, 2)
        q, k, v = (split(lin(h, p + "attention.self." + s)) for s in ("query", "key", "value"))
        a = torch.softmax(q @ k.transpose(-1, -2) / dh ** 0.5, -1)
        ctx = (a @ v).transpose(1, 2).reshape(B, n, d)
        x = ln(lin(ctx, p + "attention.output.dense") + h, p + "attention.output.LayerNorm")
        inter = torch.nn.functional.gelu(lin(x, p + "intermediate.dense"))
        h = ln(lin(inter, p + "output.dense") + x, p + "output.LayerNorm")
    pooled = torch.tanh(lin(h[:, 0], "bert.pooler.dense"))
    return torch.softmax(lin(pooled, "classifier"), -1)


def ig(ids, segs, target, baseline, m):
    ids_t, segs_t = torch.tensor(ids), torch.tensor(segs)
    x = embed(ids_t, segs_t)
    if baseline == "pad":
        ref = torch.tensor([i if i in (101, 102) else 0 for i in ids])
        base = embed(ref, segs_t)
    else:
        base = torch.zeros_like(x)
    nodes, weights = np.polynomial.legendre.leggauss(m)
    alphas = torch.tensor(0.5 * (nodes + 1.0))
    w = torch.tensor(0.5 * weights)
    X = (base[None] + alphas[:, None, None] * (x - base)[None]).requires_grad_(True)
    p = encoder_probs(X)[:, target]
    (g,) = torch.autograd.grad((p * w).sum(), X)
    attr = ((x - base) * g.sum(0)).sum(-1)
    with torch.no_grad():
        f = encoder_probs(torch.stack([x, base]))[:, target]
    return attr.tolist(), float(f[0]), float(f[1])


golden = os.environ.get("GOLDEN", os.path.join(HERE, "..", "..", "..", "..", "shared", "golden",
                                               "tiny-uncased-3cls"))
cases = []
for name in ("A09", "A04", "A02"):
    g = json.load(open(os.path.join(golden, name + ".json")))
    ids, segs = g["input_ids"], g["segment_ids"]
    with torch.no_grad():
        probs = encoder_probs(embed(torch.tensor(ids), torch.tensor(segs))[None])[0]
    target = int(torch.argmax(probs))
    case = {"id": name, "tokens": g["tokens"], "input_ids": ids, "segment_ids": segs,
            "target": target, "probs": probs.tolist()}
    for baseline in ("pad", "zero"):
        for m in (50, 400):
            attr, fx, fb = ig(ids, segs, target, baseline, m)
            case[f"{baseline}_m{m}"] = {"token_attr": attr, "f_input": fx, "f_baseline": fb}
    cases.append(case)

json.dump({"generator": "make_token_ig_reference.py", "torch": torch.__version__,
           "dtype": "float64", "rule": "gauss-legendre", "target": "predicted class (float64)",
           "cases": cases}, sys.stdout, indent=1)
print()
