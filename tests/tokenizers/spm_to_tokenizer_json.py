#!/usr/bin/env python3
"""Builds a tokenizer.json for a DeBERTa-v3 SentencePiece model the way transformers'
DebertaV2Converter does (Strip, Precompiled, Replace; Metaspace; Unigram; [CLS] $A [SEP]),
reading the protobuf wire format directly (no sentencepiece/protobuf packages needed).

usage: spm_to_tokenizer_json.py spm.model out/tokenizer.json
"""
import base64
import json
import struct
import sys


def varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def fields(buf):
    """Yields (field number, wire type, value) of one message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("wire type %d" % wire)
        yield num, wire, value


def main(model_path, out_path):
    data = open(model_path, "rb").read()
    vocab, charsmap, unk_id = [], b"", 0
    for num, _, value in fields(data):
        if num == 1:  # SentencePiece {1: piece, 2: score, 3: type}
            piece, score, kind = "", 0.0, 1
            for n, _, v in fields(value):
                if n == 1:
                    piece = v.decode("utf-8")
                elif n == 2:
                    score = struct.unpack("<f", v)[0]
                elif n == 3:
                    kind = v
            if kind == 2:
                unk_id = len(vocab)
            vocab.append([piece, score])
        elif num == 3:  # NormalizerSpec {2: precompiled_charsmap}
            for n, _, v in fields(value):
                if n == 2:
                    charsmap = v
    if not charsmap:
        sys.exit("no precompiled_charsmap in " + model_path)

    def added(i, content, normalized=False):
        return {"id": i, "content": content, "single_word": False, "lstrip": False,
                "rstrip": False, "normalized": normalized, "special": True}

    mask_id = len(vocab)
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(0, "[PAD]"), added(1, "[CLS]"), added(2, "[SEP]"),
                         added(3, "[UNK]", True), added(mask_id, "[MASK]")],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Strip", "strip_left": True, "strip_right": True},
            {"type": "Precompiled",
             "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
             "split": True}]},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}}},
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                    "split": True},
        "model": {"type": "Unigram", "unk_id": unk_id, "vocab": vocab, "byte_fallback": False},
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
        f.write("\n")
    print("vocab %d, unk_id %d, charsmap %d bytes" % (len(vocab), unk_id, len(charsmap)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
