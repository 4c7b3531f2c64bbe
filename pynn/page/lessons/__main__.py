"""``python3 pynn/page/lessons`` prints the lessons' ``table()`` as JSON (the JavaScript tests read it
so): the package on the standard library alone, imported from its own folder, without pynn or numpy,
as build.py loads it."""
import json
import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # pynn/page/, where this package is "lessons"

import lessons  # noqa: E402  (from the folder just put first)

print(json.dumps(lessons.table()))
