"""Errors are attrscope.Error with the one-line message attrscope-cli prints after 'error: '."""

import subprocess

import pytest

import attrscope
from conftest import GOLDEN

MODEL = str(GOLDEN / "model")


def cli_error(cli, *args):
    out = subprocess.run([cli, "--quiet", *args], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    prefix = "attrscope-cli: error: "
    line = out.stderr.strip().splitlines()[-1]
    assert line.startswith(prefix)
    return line[len(prefix):]


def test_missing_model_folder(cli, tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(attrscope.Error) as e:
        attrscope.Model(missing)
    assert str(e.value) == cli_error(cli, "predict", "--model", missing, "--text-a", "x")
    assert isinstance(e.value, RuntimeError) and "\n" not in str(e.value)


def test_broken_config(cli, tmp_path):
    (tmp_path / "config.json").write_text("{ not json")
    with pytest.raises(attrscope.Error) as e:
        attrscope.Model(str(tmp_path))
    assert str(e.value) == cli_error(cli, "predict", "--model", str(tmp_path), "--text-a", "x")


@pytest.mark.parametrize("option,kwargs", [
    (["--target", "maybe"], {"target": "maybe"}),
    (["--target", "7"], {"target": 7}),
    (["--layers", "9"], {"layers": [9]}),
])
def test_bad_attribution_options(golden_model, cli, option, kwargs):
    with pytest.raises(attrscope.Error) as e:
        golden_model.attribute("a man", "a dog", steps=2, **kwargs)
    assert str(e.value) == cli_error(cli, "attribute", "--model", MODEL, "--text-a", "a man",
                                     "--text-b", "a dog", "--steps", "2", *option)


def test_bad_rule(golden_model, cli):
    # The CLI refuses it while parsing its options (usage error, exit 2); Python names it too.
    with pytest.raises(attrscope.Error, match="trapezoid"):
        golden_model.attribute("a man", "a dog", steps=2, rule="trapezoid")
    out = subprocess.run([cli, "--quiet", "attribute", "--model", MODEL, "--text-a", "a man",
                          "--rule", "trapezoid"], capture_output=True, text=True)
    assert out.returncode == 2 and "trapezoid" in out.stderr


def test_bad_result_file(cli, tmp_path):
    bad = tmp_path / "r.json"
    bad.write_text('{"tokens": []}')
    with pytest.raises(attrscope.Error) as e:
        attrscope.read_result(bad)
    assert str(e.value) == cli_error(cli, "tree", "--result", str(bad))


def test_bad_dataset(tmp_path):
    f = tmp_path / "d.tsv"
    f.write_text("sentence\tlabel\n")
    with pytest.raises(attrscope.Error, match="d.tsv"):
        attrscope.load_dataset(str(f), "sst2")
    with pytest.raises(attrscope.Error):
        attrscope.load_dataset(str(f), "no-such-format")


def test_unknown_device(cli):
    with pytest.raises(attrscope.Error) as e:
        attrscope.load_model(MODEL, device="tpu")
    assert "tpu" in str(e.value) and "\n" not in str(e.value)
    out = subprocess.run([cli, "--quiet", "predict", "--model", MODEL, "--text-a", "x", "--device",
                          "tpu"], capture_output=True, text=True)
    assert out.returncode == 2 and "tpu" in out.stderr  # a usage error in the CLI
    assert attrscope.load_model(MODEL, device="cpu").device == "cpu"
    assert "cpu" in attrscope.available_devices()
