"""Shared fixtures. Test data comes from tests/data (ATTRSCOPE_TEST_DATA_DIR, set by CTest; by
default the checkout's tests/data next to this folder), never from ../shared."""

import json
import os
import pathlib
import shutil

import pytest

import attrscope

HERE = pathlib.Path(__file__).resolve().parent
DATA = pathlib.Path(os.environ.get("ATTRSCOPE_TEST_DATA_DIR", HERE.parent.parent / "tests" / "data"))
GOLDEN = DATA / "golden" / "tiny-uncased-3cls"
GOLDEN_IDS = ["A03", "A08"]


@pytest.fixture(scope="session")
def golden_model():
    return attrscope.Model(str(GOLDEN / "model"))


@pytest.fixture(scope="session")
def golden():
    cache = {}

    def load(name):
        if name not in cache:
            with open(GOLDEN / name, encoding="utf-8") as f:
                cache[name] = json.load(f)
        return cache[name]

    return load


@pytest.fixture(scope="session")
def cli():
    """attrscope-cli: $ATTRSCOPE_CLI (the build tree's, set by CTest) or the one on PATH."""
    path = os.environ.get("ATTRSCOPE_CLI") or shutil.which("attrscope-cli")
    if not path:
        pytest.skip("attrscope-cli not found (set ATTRSCOPE_CLI)")
    return path


def text_b(inp):
    """text_b of a golden "input" object (None for a single sentence)."""
    return inp.get("text_b") or None
