"""build.py's editor step: CodeMirror 6 and esbuild pinned in tools/editor/, bundled into one ES
module in dist/vendor/ that exports what web/teaching/editor.js imports, cached by its inputs."""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"


def load_build_module():
    spec = importlib.util.spec_from_file_location("pynn_build_editor", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build_py = load_build_module()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    stage = tmp_path_factory.mktemp("stage")
    return stage, build_py.bundle_editor(CACHE, stage)


def test_every_package_is_pinned_to_one_version_and_locked_at_it():
    pinned = json.loads((build_py.EDITOR_DIR / "package.json").read_text())["dependencies"]
    assert {"@codemirror/view", "@codemirror/state", "@codemirror/lang-python", "esbuild"} <= set(pinned)
    lock = json.loads((build_py.EDITOR_DIR / "package-lock.json").read_text())["packages"]
    for name, version in pinned.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version!r}"
        assert lock[f"node_modules/{name}"]["version"] == version
        assert lock[f"node_modules/{name}"]["integrity"].startswith("sha512-")


def test_the_bundle_exports_what_the_editor_imports(bundled):
    stage, info = bundled
    bundle = stage / info["bundle"]
    assert info["bundle"] == "vendor/codemirror.js" and bundle.stat().st_size == info["bytes"] > 100_000
    text = bundle.read_text()
    assert not re.search(r"^\s*import\b|\bimport\(", text, re.MULTILINE), "one self-contained module"
    imports = re.search(r"import \{([^}]*)\} from \"\.\./vendor/codemirror\.js\"", (ROOT / "web" / "teaching/editor.js").read_text())
    names = [name.strip() for name in imports.group(1).split(",") if name.strip()]
    exported = re.findall(r"\bas (\w+)\b", text[text.rindex("export{"):])
    assert set(names) <= set(exported), set(names) - set(exported)


def test_a_second_bundle_comes_from_the_cache(bundled, tmp_path, monkeypatch):
    def refuse(command, cwd):
        raise AssertionError(f"ran {command} although the bundle is cached")

    monkeypatch.setattr(build_py, "run", refuse)
    again = build_py.bundle_editor(CACHE, tmp_path)
    stage, info = bundled
    assert again == info
    assert (tmp_path / info["bundle"]).read_bytes() == (stage / info["bundle"]).read_bytes()
