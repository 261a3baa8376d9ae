"""What a reader of a PDF sees, through poppler-utils: the text, the embedded fonts, the page size.

Tests fail (never skip) without poppler-utils: a PDF nobody opened is not checked.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is missing: install poppler-utils (apt-get install poppler-utils) to check the PDFs")
    return path


def _run(name: str, content: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(content)
        done = subprocess.run([_tool(name), *args, str(path), *(["-"] if name == "pdftotext" else [])],
                              capture_output=True, text=True, check=True)
    return done.stdout


def pdf_text(content: bytes) -> str:
    """The extracted text, in drawing order, with runs of white space made single spaces.

    Drawing order (-raw) keeps the text of one table cell together even when it wraps; the default
    reading order interleaves the lines of neighbouring cells.
    """
    return " ".join(_run("pdftotext", content, "-raw", "-enc", "UTF-8").split())


def pdf_fonts(content: bytes) -> list[str]:
    """Names of the fonts in the PDF, without the subset tag ("ABCDEF+Motcua-Noto-Serif" → "Motcua-Noto-Serif")."""
    lines = _run("pdffonts", content).splitlines()[2:]
    return [line.split()[0].split("+", 1)[-1] for line in lines if line.strip()]


def pdf_info(content: bytes) -> dict[str, str]:
    pairs = (line.split(":", 1) for line in _run("pdfinfo", content).splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}
