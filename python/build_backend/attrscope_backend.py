"""In-tree PEP 517 backend for `pip install .` (Debian 12 has no scikit-build-core).

It configures the checkout with CMake (engine + Python module only), builds the attrscope_python
target, installs the `python` component into a staging folder and zips it as a wheel, with the
demo models inside the package (attrscope/models) so that load_model() works anywhere.
Standard library only; the build folder is build/wheel-<python tag> (ccache makes rebuilds
cheap). CMake options can be added with ATTRSCOPE_CMAKE_ARGS="-DFOO=bar ...".
"""

from __future__ import annotations

import base64
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NAME, VERSION = "attrscope", "0.1.0"
SUMMARY = "Self-attention attribution (Hao et al., AAAI 2021) for BERT classifiers"


def _tag() -> str:
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"{py}-{py}-{plat}"


def _metadata() -> str:
    return (f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\nSummary: {SUMMARY}\n"
            "Requires-Python: >=3.8\nRequires-Dist: numpy\n")


def _write_dist_info(target: str) -> str:
    info = os.path.join(target, f"{NAME}-{VERSION}.dist-info")
    os.makedirs(info, exist_ok=True)
    with open(os.path.join(info, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata())
    with open(os.path.join(info, "WHEEL"), "w", encoding="utf-8") as f:
        f.write(f"Wheel-Version: 1.0\nGenerator: attrscope_backend\nRoot-Is-Purelib: false\nTag: {_tag()}\n")
    return os.path.basename(info)


def _run(cmd):
    print("attrscope_backend:", " ".join(shlex.quote(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True)


def _build_package(stage: str) -> None:
    build = os.path.join(ROOT, "build", f"wheel-{_tag()}")
    cmake = shutil.which("cmake") or "cmake"
    configure = [cmake, "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                 "-DATTRSCOPE_BUILD_GUI=OFF", "-DATTRSCOPE_BUILD_TESTS=OFF",
                 "-DATTRSCOPE_BUILD_BENCH=OFF", "-DATTRSCOPE_PYTHON=ON",
                 f"-DPython_EXECUTABLE={sys.executable}", "-DATTRSCOPE_PYTHON_INSTALL_DIR=."]
    if shutil.which("ninja"):
        configure += ["-G", "Ninja"]
    configure += shlex.split(os.environ.get("ATTRSCOPE_CMAKE_ARGS", ""))
    _run(configure)
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
    # attrscope_changelog: the component also holds the .deb's doc files (not put in the wheel).
    _run([cmake, "--build", build, "--target", "attrscope_python", "attrscope_changelog", "-j", jobs])
    _run([cmake, "--install", build, "--component", "python", "--prefix", stage, "--strip"])
    shutil.rmtree(os.path.join(stage, "share"), ignore_errors=True)
    if not os.path.isfile(os.path.join(stage, NAME, "__init__.py")):
        raise RuntimeError("attrscope_backend: the CMake build did not produce the attrscope package "
                           "(is pybind11-dev installed? see packaging/install-deps.sh)")
    shutil.copytree(os.path.join(ROOT, "resources", "models"), os.path.join(stage, NAME, "models"))


def _record_line(path: str, arcname: str) -> str:
    with open(path, "rb") as f:
        data = f.read()
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


# --- PEP 517 hooks -------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _write_dist_info(metadata_directory)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    stage = os.path.join(ROOT, "build", f"wheel-stage-{_tag()}")
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(stage)
    _build_package(stage)
    info = _write_dist_info(stage)
    wheel = f"{NAME}-{VERSION}-{_tag()}.whl"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), "w", zipfile.ZIP_DEFLATED) as z:
        for folder, _, files in sorted(os.walk(stage)):
            for name in sorted(files):
                path = os.path.join(folder, name)
                arc = os.path.relpath(path, stage).replace(os.sep, "/")
                if arc == f"{info}/RECORD":
                    continue
                z.write(path, arc)
                records.append(_record_line(path, arc))
        records.append(f"{info}/RECORD,,")
        z.writestr(f"{info}/RECORD", "\n".join(records) + "\n")
    shutil.rmtree(stage, ignore_errors=True)
    return wheel


_SDIST_PARTS = ["pyproject.toml", "CMakeLists.txt", "CMakePresets.json", "README.md", "cmake",
                "core", "app", "ui", "python", "resources", "packaging", "docs/python.md"]


def build_sdist(sdist_directory, config_settings=None):
    base = f"{NAME}-{VERSION}"
    out = os.path.join(sdist_directory, base + ".tar.gz")

    def skip(info):
        parts = info.name.split("/")
        return None if "__pycache__" in parts else info

    with tarfile.open(out, "w:gz") as tar:
        for part in _SDIST_PARTS:
            path = os.path.join(ROOT, part)
            if os.path.exists(path):
                tar.add(path, arcname=f"{base}/{part}", filter=skip)
        pkg_info = os.path.join(sdist_directory, "PKG-INFO")
        with open(pkg_info, "w", encoding="utf-8") as f:
            f.write(_metadata())
        tar.add(pkg_info, arcname=f"{base}/PKG-INFO")
        os.remove(pkg_info)
    return os.path.basename(out)
