"""The type stubs shipped beside the module name exactly its public classes, functions and
attributes, and docstrings are present."""

import ast
import os

import attrscope


def stub_tree():
    path = os.path.join(os.path.dirname(attrscope.__file__), "__init__.pyi")
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read())


def test_stub_lists_the_public_api():
    tree = stub_tree()
    top = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    assert top - {"ProgressCallback"} == set(attrscope.__all__)
    for c in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name != "Error"):
        cls = getattr(attrscope, c.name)
        stubbed = {n.name for n in c.body if isinstance(n, ast.FunctionDef)}
        stubbed |= {n.target.id for n in c.body if isinstance(n, ast.AnnAssign)}
        real = {n for n in dir(cls) if not n.startswith("__") and not n.startswith("_pybind11")}
        assert real == stubbed - {"__init__", "__len__", "__getitem__"}, c.name


def test_docstrings():
    assert attrscope.__doc__ and attrscope.Model.attribute.__doc__
    for name in ("predict", "attribute", "head_importance", "evaluate", "encode"):
        assert len(getattr(attrscope.Model, name).__doc__) > 80, name
