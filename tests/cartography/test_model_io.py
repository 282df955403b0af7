import csv

import pytest

import maps
from maps import MapInputError, export, from_records, normalize_stage, read_map


def test_mulhouse_counts(mulhouse):
    assert mulhouse.n_actors == 20
    assert mulhouse.n_contributions == 19
    assert mulhouse.n_links == 23
    assert len(mulhouse.projects) == 10
    assert mulhouse.stages_of("tuba") == ["declencher", "organiser"]
    assert mulhouse.graph.nodes["la-fonda"]["description"].startswith("A conçu")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("declencher", "declencher"),
        ("Déclencher", "declencher"),
        ("DÉCLENCHER l'action", "declencher"),
        ("Déclencher l'action", "declencher"),
        ("Organiser la stratégie d'impact collectif", "organiser"),
        ("Animer la stratégie d'impact collectif", "animer"),
        ("Animer…", "animer"),
        ("ORGANISER, ACCOMPAGNER :", "organiser"),
        ("évaluer", None),
        ("", None),
    ],
)
def test_normalize_stage(value, expected):
    assert normalize_stage(value) == expected


def test_parallel_links_kept():
    m = from_records(
        actors=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        links=[
            {"source_id": "a", "target_id": "b", "kind": "partenaire"},
            {"source_id": "a", "target_id": "b", "kind": "Finance", "weight": "2,5"},
        ],
    )
    kinds = sorted(d["kind"] for _, _, d in m.graph.edges(data=True))
    assert kinds == ["finance", "partenaire"]
    assert max(d["weight"] for _, _, d in m.graph.edges(data=True)) == 2.5


def _write(folder, name, text, encoding="utf-8"):
    (folder / name).write_bytes(text.encode(encoding))


@pytest.mark.parametrize(
    "encoding, delimiter",
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("cp1252", ",")],
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    d = delimiter
    _write(
        tmp_path,
        "acteurs.csv",
        f"id{d}name{d}kind\ncsc{d}Centre socio-culturel Élan{d}asso\nv{d}Ville{d}collectivité\n",
        encoding,
    )
    _write(tmp_path, "liens.csv", f"source_id{d}target_id{d}kind\ncsc{d}v{d}partenaire\n", encoding)
    _write(
        tmp_path,
        "contributions.csv",
        f'actor_id{d}stage{d}text\ncsc{d}Déclencher l\'action{d}"idées{d} énergie"\n',
        encoding,
    )
    m = read_map(tmp_path)
    assert m.name("csc") == "Centre socio-culturel Élan"
    assert m.graph.nodes["v"]["kind"] == "collectivité"
    assert m.contributions[0]["text"] == f"idées{d} énergie"
    assert m.n_links == 1


def test_xlsx_french_sheet_names(tmp_path, mulhouse):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Acteurs"
    ws.append(["id", "name"])
    ws.append(["a", "Alpha"])
    ws.append(["b", "Bêta"])
    ws2 = wb.create_sheet("liens")
    ws2.append(["source_id", "target_id", "kind", "weight"])
    ws2.append(["a", "b", "membre", 3])
    wb.save(tmp_path / "carte.xlsx")
    m = read_map(tmp_path / "carte.xlsx")
    assert m.n_actors == 2 and m.n_links == 1
    assert next(iter(m.graph.edges(data=True)))[2]["weight"] == 3.0


def test_workbook_round_trip(tmp_path, mulhouse):
    out = tmp_path / "mulhouse.xlsx"
    maps.export(mulhouse, out, format="workbook")
    back = read_map(out)
    assert back.to_records() == mulhouse.to_records()
    a, b = maps.analyse(mulhouse), maps.analyse(back)
    a.pop("source"), b.pop("source")
    assert a == b


def test_csv_round_trip(tmp_path, mulhouse):
    maps.write_csv_folder(mulhouse, tmp_path / "csv")
    assert read_map(tmp_path / "csv").to_records() == mulhouse.to_records()


def test_records_validation_messages():
    with pytest.raises(MapInputError) as err:
        from_records(
            actors=[{"id": "a", "name": "A"}],
            contributions=[{"actor_id": "a", "stage": "planifier"}],
        )
    assert err.value.file == "contributions" and err.value.row == 1
    assert "planifier" in str(err.value) and "étape inconnue" in str(err.value)


def test_lenient_skips_rows():
    m = from_records(
        actors=[{"id": "a", "name": "A"}, {"id": "a", "name": "A2"}, {"id": "b", "name": "B"}],
        links=[
            {"source_id": "a", "target_id": "zz", "kind": "membre"},
            {"source_id": "a", "target_id": "b", "kind": "membre"},
        ],
        lenient=True,
    )
    assert m.n_actors == 2 and m.n_links == 1 and len(m.warnings) == 2


def test_quoted_multiline_row_numbers(tmp_path):
    with (tmp_path / "actors.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "description"])
        w.writerow(["a", "A", "ligne 1\nligne 2"])
        w.writerow(["a", "A bis", ""])
    with pytest.raises(MapInputError) as err:
        read_map(tmp_path)
    assert err.value.row == 4


FORMULAS = ['=HYPERLINK("http://x")', "+33 6", "-10 %", "@SUM(A1)", "=1+1", "'=entre apostrophes"]


@pytest.mark.parametrize("fmt", ["workbook", "csv", "kumu"])
def test_formula_like_texts_stay_text_and_round_trip(tmp_path, fmt):
    import openpyxl

    m = from_records(
        actors=[
            {"id": f"a{i}", "name": text, "kind": "association"} for i, text in enumerate(FORMULAS)
        ],
        contributions=[{"actor_id": "a0", "stage": "declencher", "text": "=cmd|' /C calc'!A0"}],
    )
    if fmt == "csv":
        folder = tmp_path / "carte"
        export(m, folder, format="csv")
        with (folder / "actors.csv").open(encoding="utf-8", newline="") as fh:
            names = [row["name"] for row in csv.DictReader(fh)]
        assert all(n.startswith("'") for n in names)  # no cell starts a formula
        back = read_map(folder)
    else:
        path = tmp_path / "carte.xlsx"
        export(m, path, format=fmt)
        wb = openpyxl.load_workbook(path)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
        assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)
        if fmt == "kumu":
            labels = [c.value for c in wb["Elements"]["A"][1:]]
            assert sorted(labels) == sorted(FORMULAS)
            return
        back = read_map(path)
    assert sorted(back.graph.nodes[n]["name"] for n in back.graph) == sorted(FORMULAS)
