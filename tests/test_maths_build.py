"""build.py's maths stage: KaTeX from `npm pack`, hash-checked, its module minified into
dist/vendor/katex/ with its CSS cut to the woff2 fonts it ships; cached; left out of what the
service worker fetches at install."""
from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"


def load_build_module():
    spec = importlib.util.spec_from_file_location("pynn_build_maths", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build_py = load_build_module()


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    stage = tmp_path_factory.mktemp("stage")
    return stage, build_py.stage_maths(CACHE, stage)


def test_katex_is_pinned_to_one_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", build_py.KATEX_VERSION)
    assert build_py.KATEX_NPM_SPEC == f"katex@{build_py.KATEX_VERSION}"
    assert re.fullmatch(r"[0-9a-f]{128}", build_py.KATEX_TARBALL_SHA512)


def test_the_stage_writes_katexs_module_css_and_woff2_fonts(staged):
    stage, info = staged
    assert info["module"] == "vendor/katex/katex.js" and info["css"] == "vendor/katex/katex.css"
    module = (stage / info["module"]).read_text()
    assert module.startswith(f"// KaTeX {build_py.KATEX_VERSION} (MIT")
    assert not re.search(r"^\s*import\b|\bimport\(", module, re.MULTILINE), "one self-contained module"
    assert re.search(r"\bas default\b", module[module.rindex("export{"):]), "web/inside/typeset.js imports its default"
    assert re.search(r"\bas render\b", module[module.rindex("export{"):])
    fonts = {path.name for path in (stage / "vendor" / "katex" / "fonts").iterdir()}
    assert fonts and all(name.endswith(".woff2") for name in fonts)
    css = (stage / info["css"]).read_text()
    named = re.findall(r"url\(([^)]*)\)", css)
    assert len(named) == css.count("@font-face") == len(fonts)
    assert {name.removeprefix("fonts/") for name in named} == fonts
    assert sorted(info["files"]) == sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())


def test_a_css_naming_a_font_not_shipped_fails_the_build():
    css = '@font-face{font-family:K;src:url(fonts/K-Regular.woff2) format("woff2"),url(fonts/K-Regular.woff) format("woff")}'
    assert build_py.woff2_only(css, {"K-Regular.woff2"}) == '@font-face{font-family:K;src:url(fonts/K-Regular.woff2) format("woff2")}'
    with pytest.raises(build_py.BuildError, match="does not ship"):
        build_py.woff2_only(css, {"Other.woff2"})
    with pytest.raises(build_py.BuildError, match="no @font-face"):
        build_py.woff2_only("body{}", set())


def test_a_second_stage_comes_from_the_cache(staged, tmp_path, monkeypatch):
    def refuse(command, cwd):
        raise AssertionError(f"ran {command} although KaTeX is cached")

    monkeypatch.setattr(build_py, "run", refuse)
    stage, info = staged
    again = build_py.stage_maths(CACHE, tmp_path)
    assert again == info
    assert (tmp_path / info["module"]).read_bytes() == (stage / info["module"]).read_bytes()


def test_a_tampered_tarball_fails_the_build(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copyfile(CACHE / build_py.KATEX_TARBALL, cache / build_py.KATEX_TARBALL)
    with (cache / build_py.KATEX_TARBALL).open("ab") as tarball:
        tarball.write(b"\0")
    with pytest.raises(build_py.BuildError, match="sha512"):
        build_py.stage_maths(cache, tmp_path / "stage")


def test_the_service_worker_leaves_katex_to_first_use(tmp_path):
    # Fetched at install, KaTeX would add its bytes to every first visit; sw.js keeps it once used.
    assert "TABLE.on_first_use" in (ROOT / "web" / "sw.js").read_text()
    stage = tmp_path
    shutil.copyfile(ROOT / "web" / "sw.js", stage / "sw.js")
    build_py.stamp_service_worker(stage, "0123456789abcdef")
    assert f'"on_first_use": ["{build_py.KATEX_DIR}/", ' in (stage / "sw.js").read_text()
    assert '"../vendor/katex/katex.js"' in (ROOT / "web" / "inside/typeset.js").read_text()
