"""AttrScope from Python: self-attention attribution (Hao et al., AAAI 2021) for BERT classifiers.

    import attrscope
    model = attrscope.load_model()            # the sick-nli demo model, or load_model("DIR")
    r = model.attribute("A man is playing a guitar.", "A man is not playing a guitar.")
    r.attribution.shape                       # (layers, heads, n, n), float32
    r                                         # in a notebook: attention and attribution heatmaps

Results are NumPy arrays and plain Python values; to_json() gives attrscope-cli's JSON. Errors
are attrscope.Error with the engine's one-line message; Ctrl-C cancels a running computation.
"""

from __future__ import annotations

import os
import tempfile
from typing import Optional

from . import _html
from ._core import (Attribution, Dataset, Error, HeadImportance, Model, Prediction, Tree,
                    available_devices, find_demo_model, load_dataset, set_threads, thread_count)

__version__ = "0.1.0"
__all__ = ["Attribution", "Dataset", "Error", "HeadImportance", "Model", "Prediction", "Tree",
           "available_devices", "demo_model_path", "find_demo_model", "heatmap_svg", "load_dataset", "load_model",
           "read_result", "set_threads", "thread_count"]

heatmap_svg = _html.heatmap_svg


def demo_model_path(name: str = "sick-nli") -> str:
    """Folder of a shipped demo model: $ATTRSCOPE_MODELS, the models inside a pip-installed
    package, the install prefix (/usr/share/attrscope/models) or the source tree; '' if none."""
    bundled = os.path.join(os.path.dirname(__file__), "models", name)
    if not os.environ.get("ATTRSCOPE_MODELS") and os.path.isfile(os.path.join(bundled, "config.json")):
        return bundled
    return find_demo_model(name)


def load_model(path: Optional[str] = None, device: str = "cpu") -> Model:
    """Loads a Hugging Face BERT checkpoint folder (without a path, the sick-nli demo model)
    onto device: "cpu", "cuda" or "cuda:N" (see available_devices())."""
    if path is None:
        path = demo_model_path("sick-nli")
        if not path:
            raise Error("no model given and the sick-nli demo model was not found "
                        "(set ATTRSCOPE_MODELS or pass a folder)")
    model = Model(os.fspath(path))
    if device != "cpu":
        model.device = device
    return model


def read_result(path) -> Attribution:
    """Reads a result JSON written by Attribution.save() or attrscope-cli attribute --out."""
    return Attribution.load(os.fspath(path))


def _tree_svg(tree: Tree) -> str:
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "tree.svg")
        tree.save(out)
        with open(out, encoding="utf-8") as f:
            return f.read()


Attribution._repr_html_ = _html.attribution_html
Attribution.heatmap_svg = _html.attribution_heatmap_svg
Prediction._repr_html_ = _html.prediction_html
HeadImportance._repr_html_ = _html.importance_html
Tree.svg = _tree_svg
Tree._repr_svg_ = _tree_svg
