"""``python3 pynn/page/lessons`` prints the lessons' ``table()`` as JSON (the JavaScript tests read it
so): the package on the standard library alone, imported from pynn/page/'s folder as build.py
imports it (pynn's __init__, which needs numpy, never runs)."""
import json
import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[2])  # pynn/, where pynn/page/ is the package "page"

from page import lessons  # noqa: E402  (from the folder just put first)

print(json.dumps(lessons.table()))
