# Type stubs for attrscope (the _core extension and the Python helpers).
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

class Error(RuntimeError): ...

ProgressCallback = Callable[[Dict[str, object]], object]

class Prediction:
    tokens: List[str]
    encoding: Dict[str, object]
    logits: npt.NDArray[np.float32]
    probs: npt.NDArray[np.float32]
    predicted: int
    predicted_label: str
    labels: List[str]
    attention: npt.NDArray[np.float32]
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...

class Tree:
    root: int
    threshold: float
    tokens: List[str]
    edges: List[Tuple[int, int, int]]
    edge_weights: npt.NDArray[np.float32]
    heights: List[float]
    node_state: List[int]
    nodes: List[int]
    def empty(self) -> bool: ...
    def to_json(self) -> str: ...
    def to_dot(self, layer_base: int = 1) -> str: ...
    def save(self, path: str, layer_base: int = 1) -> None: ...
    def svg(self) -> str: ...
    def _repr_svg_(self) -> str: ...

class Attribution:
    @staticmethod
    def from_json(text: str) -> Attribution: ...
    @staticmethod
    def load(path: str) -> Attribution: ...
    tokens: List[str]
    encoding: Dict[str, object]
    labels: List[str]
    target: int
    target_label: str
    predicted: int
    predicted_label: str
    logits: npt.NDArray[np.float32]
    probs: npt.NDArray[np.float32]
    rule: str
    steps: int
    device: str
    model_path: str
    num_layers: int
    num_heads: int
    layers: List[int]
    attention: npt.NDArray[np.float32]
    attribution: npt.NDArray[np.float32]
    completeness: List[Dict[str, float]]
    step_probs: npt.NDArray[np.float64]
    alphas: npt.NDArray[np.float64]
    seconds: float
    def to_json(self) -> str: ...
    def save(self, path: str) -> None: ...
    def save_jsonl(self, dir: str, index: int = 0) -> None: ...
    def tree(self, threshold: float = 0.4) -> Tree: ...
    def heatmap_svg(self, layer: int, head: Optional[int] = None,
                    quantity: str = "attribution") -> str: ...
    def _repr_html_(self) -> str: ...

class Dataset:
    path: str
    format: str
    split: str
    labels: List[str]
    is_pair: bool
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> Dict[str, object]: ...

class HeadImportance:
    attribution: npt.NDArray[np.float64]
    attribution_mean: npt.NDArray[np.float64]
    attention: npt.NDArray[np.float64]
    attention_mean: npt.NDArray[np.float64]
    examples: int
    complete: bool
    seconds: float
    def to_json(self) -> str: ...
    def _repr_html_(self) -> str: ...

class Model:
    def __init__(self, path: str) -> None: ...
    path: str
    weights_file: str
    config: Dict[str, object]
    labels: List[str]
    num_layers: int
    num_heads: int
    max_length: int
    warnings: List[str]
    device: str
    def encode(self, text_a: str, text_b: Optional[str] = None,
               max_length: int = 0) -> Dict[str, object]: ...
    def predict(self, text_a: str, text_b: Optional[str] = None, *, max_length: int = 0,
                attention: bool = True) -> Prediction: ...
    def attribute(self, text_a: str, text_b: Optional[str] = None, *, steps: int = 20,
                  rule: str = "right", target: Union[str, int] = "predicted",
                  layers: Optional[Sequence[int]] = None, max_length: int = 0,
                  memory_mb: float = 1024.0, chunk: int = 0,
                  progress: Optional[ProgressCallback] = None) -> Attribution: ...
    def head_importance(self, dataset: Dataset, *, examples: int = 200, steps: int = 20,
                        rule: str = "left", attribution: bool = True, max_length: int = 0,
                        progress: Optional[ProgressCallback] = None) -> HeadImportance: ...
    def evaluate(self, dataset: Dataset, *, head_mask: Optional[npt.ArrayLike] = None,
                 batch_size: int = 64, limit: int = 0, max_length: int = 0) -> Dict[str, object]: ...

def load_model(path: Optional[str] = None, device: str = "cpu") -> Model: ...
def read_result(path: str) -> Attribution: ...
def load_dataset(path: str, format: str, split: str = "", limit: int = 0) -> Dataset: ...
def demo_model_path(name: str = "sick-nli") -> str: ...
def find_demo_model(name: str = "sick-nli") -> str: ...
def available_devices() -> List[str]: ...
def set_threads(threads: int) -> None: ...
def thread_count() -> int: ...
def heatmap_svg(matrix: npt.ArrayLike, tokens: Sequence[str], title: str = "",
                diverging: bool = False, cell: int = 14) -> str: ...
