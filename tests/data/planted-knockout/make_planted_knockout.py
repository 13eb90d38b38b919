#!/usr/bin/python3
"""A hand-built one-layer BERT whose prediction is a monotone function of the attention mass
left in the [CLS] row: every value vector is the same u (value weight 0, bias u), the output
projection is the identity, the FFN is zero, [CLS]'s input h0 is orthogonal to u, so after the
LayerNorm the u-component is s / sqrt(0.5 + 0.5 s^2) with s = sum_j A[0][j] (increasing in s);
the pooler reads that component and the classifier turns it into the logit of "high".
Knocking out attention entries (all >= 0) can only lower s, so p(high) can only fall: every
ranking's deletion curve must be monotone. Q and K are random (seeded), so the attention
pattern is uneven. Writes config.json, vocab.txt, model.safetensors into this folder.
Run: /usr/bin/python3 make_planted_knockout.py (numpy only)."""
import json, os, struct
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "e", "f", "g"]
V, d, P = len(vocab), 4, 16
rng = np.random.default_rng(17)
W = {}
emb = rng.normal(0, 1, (V, d)).astype(np.float32)
emb[2] = [1, -1, 0, 0]  # [CLS]: h0 = LN(1, -1, 0, 0), orthogonal to u
W["bert.embeddings.word_embeddings.weight"] = emb
pos = rng.normal(0, 1, (P, d)).astype(np.float32)
pos[0] = 0
W["bert.embeddings.position_embeddings.weight"] = pos
W["bert.embeddings.token_type_embeddings.weight"] = np.zeros((2, d), np.float32)
ones, zeros = np.ones(d, np.float32), np.zeros(d, np.float32)
for ln in ("bert.embeddings.LayerNorm", "bert.encoder.layer.0.attention.output.LayerNorm",
           "bert.encoder.layer.0.output.LayerNorm"):
    W[ln + ".weight"], W[ln + ".bias"] = ones, zeros
p = "bert.encoder.layer.0."
W[p + "attention.self.query.weight"] = rng.normal(0, 2, (d, d)).astype(np.float32)
W[p + "attention.self.query.bias"] = zeros
W[p + "attention.self.key.weight"] = rng.normal(0, 2, (d, d)).astype(np.float32)
W[p + "attention.self.key.bias"] = zeros
W[p + "attention.self.value.weight"] = np.zeros((d, d), np.float32)
W[p + "attention.self.value.bias"] = np.array([0, 0, 1, -1], np.float32)  # u
W[p + "attention.output.dense.weight"] = np.eye(d, dtype=np.float32)
W[p + "attention.output.dense.bias"] = zeros
W[p + "intermediate.dense.weight"] = np.zeros((d, d), np.float32)
W[p + "intermediate.dense.bias"] = zeros
W[p + "output.dense.weight"] = np.zeros((d, d), np.float32)
W[p + "output.dense.bias"] = zeros
pool = np.zeros((d, d), np.float32)
pool[0] = [0, 0, 0.5, -0.5]
W["bert.pooler.dense.weight"], W["bert.pooler.dense.bias"] = pool, zeros
W["classifier.weight"] = np.array([[0, 0, 0, 0], [3, 0, 0, 0]], np.float32)
W["classifier.bias"] = np.zeros(2, np.float32)

header, blobs, off = {}, [], 0
for name in sorted(W):
    b = np.ascontiguousarray(W[name], dtype="<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(W[name].shape), "data_offsets": [off, off + len(b)]}
    blobs.append(b)
    off += len(b)
h = json.dumps(header).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(os.path.join(HERE, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
with open(os.path.join(HERE, "vocab.txt"), "w") as f:
    f.write("\n".join(vocab) + "\n")
json.dump({"architectures": ["BertForSequenceClassification"], "model_type": "bert",
           "vocab_size": V, "hidden_size": d, "num_hidden_layers": 1, "num_attention_heads": 2,
           "intermediate_size": d, "hidden_act": "gelu", "max_position_embeddings": P,
           "type_vocab_size": 2, "layer_norm_eps": 1e-12, "pad_token_id": 0,
           "id2label": {"0": "low", "1": "high"}, "label2id": {"low": 0, "high": 1}},
          open(os.path.join(HERE, "config.json"), "w"), indent=1)
