import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
from click.testing import CliRunner

import maps
from maps.cli import map_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("ext", ["svg", "gexf", "graphml", "json", "pdf", "png"])
def test_exports_deterministic(tmp_path, mulhouse, ext):
    a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
    maps.export(mulhouse, a, date="2024-01-01")
    maps.export(mulhouse, b, date="2024-01-01")
    assert a.read_bytes() == b.read_bytes()


def test_svg_keeps_text(tmp_path, mulhouse):
    out = tmp_path / "m.svg"
    maps.export(mulhouse, out, date="2024-01-01")
    svg = out.read_text(encoding="utf-8")
    assert "Déclencher l" in svg and "Carré des associations" in svg
    assert "<dc:date>" not in svg


def test_gexf_graphml_attributes(tmp_path, mulhouse):
    for ext in ("gexf", "graphml"):
        out = tmp_path / f"m.{ext}"
        maps.export(mulhouse, out)
        g = nx.read_gexf(out) if ext == "gexf" else nx.read_graphml(out)
        node = g.nodes["tuba"]
        assert node["label"] == "Tubà"
        assert node["kind"] == "autre"
        assert node["stages"] == "declencher,organiser"
        assert "description" in node
        assert g.number_of_edges() == 23
        assert {d["kind"] for *_, d in g.edges(data=True)} == {"membre", "partenaire", "accompagne"}
    assert "lastmodifieddate" not in (tmp_path / "m.gexf").read_text(encoding="utf-8")


def test_json_node_link(tmp_path, mulhouse):
    out = tmp_path / "m.json"
    maps.export(mulhouse, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    g = nx.node_link_graph(data, edges="links")
    assert g.number_of_nodes() == 20 and g.number_of_edges() == 23


def test_kumu(tmp_path):
    m = maps.from_records(
        actors=[{"id": "a", "name": "Même"}, {"id": "b", "name": "Même"}, {"id": "c", "name": "C"}],
        contributions=[
            {"actor_id": "a", "stage": "declencher"},
            {"actor_id": "a", "stage": "animer"},
        ],
        links=[{"source_id": "a", "target_id": "b", "kind": "finance"}],
    )
    out = tmp_path / "kumu.xlsx"
    maps.export(m, out)
    wb = openpyxl.load_workbook(out)
    elements = list(wb["Elements"].values)
    assert elements[0][:4] == ("Label", "Type", "Description", "Tags")
    labels = [r[0] for r in elements[1:]]
    assert len(set(labels)) == 3
    assert elements[1][3] == "Déclencher|Animer"
    conns = list(wb["Connections"].values)
    assert conns[0][:3] == ("From", "To", "Type")
    assert conns[1][0] in labels and conns[1][1] in labels and conns[1][2] == "finance"


def test_cli_analyse_json(demo_dir):
    res = CliRunner().invoke(map_cli, ["analyse", str(demo_dir), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    for key in (
        "actors",
        "links",
        "contributions",
        "projects",
        "stages",
        "isolated",
        "brokers",
        "communities",
        "chains",
        "gaps",
        "suggestions",
    ):
        assert key in data
    assert data["stages"] == {"declencher": 6, "organiser": 9, "animer": 4}


def test_cli_analyse_text(demo_dir):
    res = CliRunner().invoke(map_cli, ["analyse", str(demo_dir)])
    assert res.exit_code == 0 and "Chaînage des apports" in res.output


def test_cli_export_png(tmp_path, demo_dir):
    out = tmp_path / "m.png"
    res = CliRunner().invoke(
        map_cli,
        [
            "export",
            str(demo_dir),
            "--out",
            str(out),
            "--paper",
            "a3",
            "--layout",
            "network",
            "--title",
            "Essai",
        ],
    )
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:4] == b"\x89PNG"


def _bad_dir(tmp_path, files):
    folder = tmp_path / "in"
    folder.mkdir()
    base = {
        "actors.csv": b"id,name\na,Alpha\nb,Beta\n",
        "links.csv": b"source_id,target_id,kind\na,b,partenaire\n",
        "contributions.csv": b"actor_id,stage,text\na,declencher,x\n",
    }
    base.update(files)
    for name, data in base.items():
        (folder / name).write_bytes(data)
    return folder


BAD_CASES = {
    "lien vers acteur inconnu": (
        {"links.csv": b"source_id,target_id,kind\na,b,partenaire\na,zorro,membre\n"},
        ["links.csv", "ligne 3", "zorro", "acteur inconnu"],
    ),
    "identifiant en double": (
        {"actors.csv": b"id,name\na,Alpha\nb,Beta\na,Autre\n"},
        ["actors.csv", "ligne 4", "«\u00a0a\u00a0»", "double"],
    ),
    "étape inconnue": (
        {"contributions.csv": b"actor_id,stage,text\na,declencher,x\nb,planifier,y\n"},
        ["contributions.csv", "ligne 3", "planifier", "étape inconnue"],
    ),
    "colonne manquante": (
        {"links.csv": b"source_id,cible_inconnue,kind\na,b,partenaire\n"},
        ["links.csv", "ligne 1", "target_id", "colonne obligatoire"],
    ),
    "fichier vide": ({"contributions.csv": b""}, ["contributions.csv", "vide"]),
    "encodage illisible": (
        {"actors.csv": "id,name\na,Alpha\n".encode("utf-16")},
        ["actors.csv", "encodage illisible"],
    ),
    "binaire": (
        {"actors.csv": b"id,name\na,\x81\x8d\x8f\x90\x9d\n"},
        ["actors.csv", "ligne 2", "encodage illisible"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_cli_bad_input(tmp_path, case):
    files, needles = BAD_CASES[case]
    folder = _bad_dir(tmp_path, files)
    out = tmp_path / "out.svg"
    res = CliRunner().invoke(map_cli, ["export", str(folder), "--out", str(out)], env=FRENCH)
    assert res.exit_code == 2
    for needle in needles:
        assert needle in res.output, (needle, res.output)
    assert not out.exists()
    assert list(tmp_path.glob("*.svg")) == [] and list(tmp_path.glob(".out*")) == []
    res = CliRunner().invoke(map_cli, ["analyse", str(folder)])
    assert res.exit_code == 2


FRENCH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
ENGLISH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_GB.UTF-8"}
FRENCH_WORDS = re.compile(r"[«»\u00a0]|\b(ligne|valeur|fichier|vide|inconnue?|colonne|acteur)\b")


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_cli_bad_input_in_english(tmp_path, case):
    """Under an English locale the same errors are English (the demo's file
    names and values stay as they are)."""
    files, needles = BAD_CASES[case]
    folder = _bad_dir(tmp_path, files)
    res = CliRunner().invoke(map_cli, ["analyse", str(folder)], env=ENGLISH)
    assert res.exit_code == 2
    assert res.output.startswith("Error: "), res.output
    assert not FRENCH_WORDS.search(res.output), res.output
    assert not re.search(r"\s[:;!?]", res.output), res.output
    if any(n.startswith("ligne") for n in needles):
        assert ", row " in res.output, res.output


def test_cli_lenient(tmp_path):
    folder = _bad_dir(
        tmp_path,
        {"links.csv": b"source_id,target_id,kind\na,b,partenaire\na,zorro,membre\nq,b,membre\n"},
    )
    out = tmp_path / "out.json"
    res = CliRunner().invoke(
        map_cli, ["export", str(folder), "--out", str(out), "--lenient"], env=FRENCH
    )
    assert res.exit_code == 0, res.output
    assert res.output.count("Avertissement") == 2
    assert "2 lignes ignorées" in res.output
    assert out.exists()


def test_python_m_maps(tmp_path, demo_dir):
    out = tmp_path / "m.gexf"
    proc = subprocess.run(
        [sys.executable, "-m", "maps", "export", str(demo_dir), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.exists()
    bad = _bad_dir(tmp_path, {"actors.csv": b"id,name\na,A\na,B\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "maps", "analyse", str(bad), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "actors.csv, ligne 3" in proc.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_export_many_same_bytes_as_export(tmp_path, mulhouse, workers):
    targets = [tmp_path / f"many.{ext}" for ext in ("png", "svg", "pdf", "gexf", "json")]
    targets.append((tmp_path / "many-net.svg", {"layout": "network"}))
    formats = maps.export_many(mulhouse, targets, date="2024-01-01", workers=workers)
    assert formats == ["png", "svg", "pdf", "gexf", "json", "svg"]
    for ext in ("png", "svg", "pdf", "gexf", "json"):
        single = tmp_path / f"single.{ext}"
        maps.export(mulhouse, single, date="2024-01-01")
        assert single.read_bytes() == (tmp_path / f"many.{ext}").read_bytes(), ext
    single = tmp_path / "single-net.svg"
    maps.export(mulhouse, single, layout="network", date="2024-01-01")
    assert single.read_bytes() == (tmp_path / "many-net.svg").read_bytes()


def test_export_many_reports_a_failure_in_the_forked_child(tmp_path, mulhouse):
    from maps.export import _DRAWING_OPTIONS, _plan_jobs

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    targets = [tmp_path / "ok.svg", (blocker / "net.png", {"layout": "network"})]
    opts = dict.fromkeys(_DRAWING_OPTIONS)
    jobs = [(None, "svg", {**opts, "layout": "stages"}), (None, "png", {**opts, "layout": "n"})]
    theirs = _plan_jobs(jobs)[2]
    assert theirs[0][1] == "png"  # the failing file is the child's
    with pytest.raises(OSError):
        maps.export_many(mulhouse, targets, workers=2)
    assert not (blocker.parent / "net.png").exists()


def test_export_many_checks_everything_first(tmp_path, mulhouse):
    with pytest.raises(ValueError, match="extension inconnue"):
        maps.export_many(mulhouse, [tmp_path / "a.svg", tmp_path / "b.doc"])
    with pytest.raises(ValueError, match="option d'export inconnue"):
        maps.export_many(mulhouse, [tmp_path / "a.svg", (tmp_path / "b.svg", {"dpi": 3})])
    assert list(tmp_path.iterdir()) == []


def test_cli_export_several_outputs(tmp_path, demo_dir):
    outs = [tmp_path / "m.png", tmp_path / "m.svg", tmp_path / "m.pdf", tmp_path / "m.gexf"]
    args = ["export", str(demo_dir), "--date", "2024-06-13", "--source", "atelier de Mulhouse"]
    for out in outs:
        args += ["--out", str(out)]
    res = CliRunner().invoke(map_cli, args)
    assert res.exit_code == 0, res.output
    assert all(out.exists() for out in outs)
    assert res.output.count("Écrit\u00a0:") + res.output.count("Written:") == 4
    svg = outs[1].read_text(encoding="utf-8")
    assert "Source\u00a0: atelier de Mulhouse" in svg and "13/06/2024" in svg
    res = CliRunner().invoke(map_cli, ["export", str(demo_dir), "--out", str(tmp_path / "x.doc")])
    assert res.exit_code == 2 and not (tmp_path / "x.doc").exists()


def test_text_without_the_fast_path_is_the_same_text(tmp_path, mulhouse, monkeypatch):
    """Another matplotlib than 3.11 draws text with matplotlib's own code: the
    same text, selectable in the PDF, and the same picture to the eye."""
    import io

    import numpy as np
    import pypdf
    from PIL import Image

    from maps import glyphs

    def export(name):
        for cache in (glyphs._LINES, glyphs._METRICS):
            cache.clear()
        glyphs._LOCAL.__dict__.clear()
        outs = [tmp_path / f"{name}.{ext}" for ext in ("png", "pdf", "svg")]
        for out in outs:
            maps.export(mulhouse, out, date="2024-01-01")
        pdf = pypdf.PdfReader(io.BytesIO(outs[1].read_bytes())).pages[0].extract_text()
        png = np.asarray(Image.open(outs[0]).convert("L"), dtype=float)
        return png, pdf, outs[2].read_text(encoding="utf-8")

    fast = export("fast")
    monkeypatch.setattr(glyphs, "FAST", False)
    plain = export("plain")
    assert plain[1] == fast[1] and "Carré des associations" in plain[1]
    assert plain[0].shape == fast[0].shape
    assert np.abs(plain[0] - fast[0]).mean() < 1.0  # levels of grey, out of 255
    assert "Carré des associations" in plain[2]
