"""The English catalogue is complete, compiled and up to date with the sources."""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "workshop" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


def test_english_catalogue_translates_every_message(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "_l",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with open(pot, "rb") as f:
        source_ids = {m.id for m in read_po(f) if m.id}
    with open(PO, "rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(str(i) for i in source_ids - translated)
    assert not missing, f"{len(missing)} messages without English translation: {missing[:10]}"


def test_compiled_catalogue_matches_po():
    def key(value):  # plural messages: ids and strings are lists or tuples
        return tuple(value) if isinstance(value, list | tuple) else value

    with open(PO, "rb") as f:
        po = {key(m.id): key(m.string) for m in read_po(f) if m.id and m.string and not m.fuzzy}
    with open(MO, "rb") as f:
        mo = {key(m.id): key(m.string) for m in read_mo(f) if m.id}
    assert po == mo, "run: pybabel compile -d workshop/translations"
