// The settings table exactly as build.py writes it into dist/settings.js: pynn/page/settings.py
// run as a script (it needs only the standard library).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import { addEnglish } from "../../web/lang/text.js";

const SETTINGS_PY = fileURLToPath(new URL("../../pynn/page/settings.py", import.meta.url));

export const TABLE = JSON.parse(
  execFileSync(process.env.PYTHON ?? "python3", [SETTINGS_PY], { encoding: "utf8", timeout: 30_000 }),
);
// The English of the texts the table names by id, for t(), as web/main.js hands it over.
addEnglish(TABLE.texts);
