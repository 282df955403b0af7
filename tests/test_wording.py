"""One French voice, and English that reads as English (docs/style.md).

Scans the catalogue (every message extracted from Python and templates, so
also the JSON i18n blocks that the JavaScript reads), the text that templates
write outside ``_()``, the JavaScript for hard-coded French or French
punctuation, and the message table of ``maps/``.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from maps.i18n import ENGLISH

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "workshop" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
NBSP = "\u00a0"

STRAIGHT_APOSTROPHE = re.compile(r"[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]")
# a space that may break (or no space) before ; : ! ? », or after «
FRENCH_SPACING = re.compile(
    r"(?:[^\S\u00a0\u202f]|[\wÀ-ÿ)»%])[;!?»]|[^\S\u00a0\u202f]:|«(?![\u00a0\u202f])"
)
# before a colon, no space is fine only in times and addresses ("10:30", "http://")
COLON_WITHOUT_SPACE = re.compile(r"[\wÀ-ÿ)»]:(?!\d|//)")
ENGLISH_SPACING = re.compile(r"[\s\u00a0\u202f][;:!?](?!\w)")
FRENCH_LOOKING = re.compile(
    r"[éèàùâêîôûçœÉÈÀ]|\b(le|la|les|des|du|une?|et|ou|pas|vous|votre)\b", re.I
)
# the same in both languages
SAME_IN_ENGLISH = {
    "+1 min",
    "+5 min",
    "min",
    "PDF",
    "Markdown",
    "CSV",
    "XLSX",
    "Association",
    "Orange",
    "Violet",
    "Contact",
    "Date",
    "Code",
    "Notes",
    "Console",
    "Projection",
    "Type",
    "Message",
    "Total",
    "Points",
    "page",
    "post-it",
    "Post-it",
    "Description",
    "Feedback",
    "Export",
    "Format",
    "Action",
    "Source",
    "Markdown (.md)",
    "Excel (.xlsx)",
    "Question",
    "Questions",
    "Propositions",
    "Clarification",
    "Contributions",
    "Note",
    "Couleur",
}


def _text(m):
    return m.id if isinstance(m.id, str) else " ".join(m.id)


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
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
        return [m for m in read_po(f) if m.id]


@pytest.fixture(scope="module")
def catalogue():
    with open(PO, "rb") as f:
        return [m for m in read_po(f) if m.id]


def _french_problems(text: str) -> list[str]:
    found = []
    if STRAIGHT_APOSTROPHE.search(text):
        found.append("apostrophe droite")
    if FRENCH_SPACING.search(text) or COLON_WITHOUT_SPACE.search(text.replace("%(", "")):
        found.append("espace insécable manquante")
    return found


def test_checks_catch_what_they_should():
    assert _french_problems("l'atelier")
    assert (
        _french_problems("Sujet : x") and _french_problems("Prêt ?") and _french_problems("« x »")
    )
    assert _french_problems("Sujet: x")
    assert not _french_problems(f"L’atelier{NBSP}: «{NBSP}x{NBSP}» ?".replace(" ?", NBSP + "?"))
    assert not _french_problems("à 10:30, http://exemple.org")
    assert ENGLISH_SPACING.search("Topic : x") and not ENGLISH_SPACING.search("Topic: x")


def test_french_messages_are_typographic(source_messages):
    bad = [(_text(m), p) for m in source_messages for p in _french_problems(_text(m))]
    assert not bad, f"{len(bad)} messages à corriger (docs/style.md) : {bad[:8]}"


def test_english_messages_use_english_punctuation(catalogue):
    bad = []
    for m in catalogue:
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        for s in strings:
            if s and (ENGLISH_SPACING.search(s) or "«" in s or "»" in s or NBSP in s):
                bad.append(s)
    assert not bad, bad[:8]


def test_no_message_is_left_in_french(catalogue):
    same = [
        _text(m)
        for m in catalogue
        if m.string == m.id and _text(m) not in SAME_IN_ENGLISH and FRENCH_LOOKING.search(_text(m))
    ]
    assert not same, f"untranslated: {same[:8]}"


def _template_text(path: Path) -> str:
    t = path.read_text()
    t = re.sub(r'<script type="application/json".*?</script>', " ", t, flags=re.S)
    t = re.sub(r"\{%\s*block\s+(body_class|body_attrs)\s*%\}.*?\{%\s*endblock\s*%\}", " ", t)
    t = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", t, flags=re.S)
    t = re.sub(r"<style.*?</style>|<script.*?</script>", " ", t, flags=re.S)
    return re.sub(r"<[^>]*>", " ", t, flags=re.S)


# language names are written in their own language; file formats are names
TEMPLATE_WORDS_ALLOWED = {"FR", "EN", "Français", "English", "PDF", "Markdown", "CSV", "XLSX"}


def test_templates_add_no_french_punctuation_of_their_own():
    """A colon written in the template would stay French in English."""
    bad = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for line in _template_text(path).splitlines():
            if re.search(r"(^|\s)[:;!?](\s|$)", line):
                bad.append((path.relative_to(ROOT).as_posix(), line.strip()))
    assert not bad, bad[:10]


def test_templates_write_words_only_through_the_catalogue():
    bad = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for word in re.findall(r"\S*[A-Za-zÀ-ÿ]{2,}\S*", _template_text(path)):
            if word not in TEMPLATE_WORDS_ALLOWED:
                bad.append((path.relative_to(ROOT).as_posix(), word))
    assert not bad, bad[:10]


JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def test_javascript_has_no_french_text_or_french_punctuation():
    bad = []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if line.lstrip().startswith(("//", "/*", "*")):
                continue
            for s in JS_STRING.findall(line):
                if re.search(r"[éèàùâêîôûç]", s) or re.search(r"\s[;:!?](\s|$)", s):
                    bad.append(f"{path.name}:{n}: {s!r}")
    assert not bad, bad[:10]


def test_maps_messages_are_typographic_and_english_is_english():
    for fr, en in ENGLISH.items():
        assert not _french_problems(fr), fr
        assert not ENGLISH_SPACING.search(en) and "«" not in en, en


def test_inclusive_role_names(source_messages):
    """Role names are doublets (docs/style.md), never the masculine alone."""
    ids = {_text(m) for m in source_messages}
    assert {
        "Porteur ou porteuse",
        "Contributeur ou contributrice",
        "Animateur ou animatrice",
    } <= ids
    masculine_only = re.compile(
        r"\b(le|du|au|un|seul|des|les) (porteur|contributeur|animateur)s?\b(?! ou| et)", re.I
    )
    bad = sorted(i for i in ids if masculine_only.search(i))
    assert not bad, bad[:8]


def test_modules_read_their_texts_through_workshop_texts():
    """So that a change of the atelier's language reaches them without reload."""
    bad = []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        if path.name in ("live.js", "join.js"):  # live.js defines it; join.js runs before
            continue
        if re.search(r"JSON\.parse\([^)]*textContent\)", path.read_text()):
            bad.append(path.name)
    assert not bad, bad


MESSAGE_CALLS = {"MapInputError", "BadParameter", "UsageError", "echo", "tr", "ntr", "_h"}


def _call_name(func) -> str:
    return func.attr if hasattr(func, "attr") else getattr(func, "id", "")


def _literal(node) -> str | None:
    """A string argument as written (f-string fields as « x »)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
    return None


def test_command_and_map_error_messages_are_typographic():
    """The messages the commands print and the errors maps/ raises (shown on
    the console when a map is imported) are not in the catalogue: read them
    where they are written."""
    import ast

    sources = [*sorted((ROOT / "maps").glob("*.py")), ROOT / "workshop" / "cli.py"]
    bad, seen = [], 0
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and _call_name(node.func) in MESSAGE_CALLS:
                for arg in node.args[:2]:
                    text = _literal(arg)
                    if text and re.search(r"[A-Za-zÀ-ÿ]{3}", text):
                        seen += 1
                        bad += [(path.name, text, p) for p in _french_problems(text)]
    assert seen > 40, seen  # the scan reads them
    assert not bad, bad[:8]


def test_shipped_modeles_are_typographic():
    """The modèles’ activities are French content that
    lands on screens as it is written."""
    from workshop.deroule.modeles import MODELES

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list | tuple):
            for v in value:
                yield from strings(v)

    texts = [t for _name, doc in MODELES.values() for t in strings(doc) if " " in t]
    assert len(texts) > 10, texts
    bad = [(t, p) for t in texts for p in _french_problems(t)]
    assert not bad, bad[:8]
