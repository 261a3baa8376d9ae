"""Where the browser tests put their screenshots: docs/screenshots/ when MOTCUA_SCREENSHOTS=1 (to
refresh the pictures in the docs), a temporary folder otherwise, so a test run leaves the tree clean
while still rendering every screenshot."""

import os
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"


def screenshot_dir() -> Path:
    if os.environ.get("MOTCUA_SCREENSHOTS") == "1":
        return DOCS
    return Path(tempfile.mkdtemp(prefix="motcua-screenshots-"))
