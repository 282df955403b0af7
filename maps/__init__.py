"""Actor cartography for collective-impact strategies.

Build a map of actors, their contributions to the three stages of a
collective-impact strategy (déclencher, organiser, animer) and their links;
analyse it; draw it; export it.

>>> import maps
>>> m = maps.from_records(
...     actors=[{"id": "fdf", "name": "Fondation"}, {"id": "rnma", "name": "RNMA"}],
...     contributions=[
...         {"actor_id": "fdf", "stage": "declencher", "text": "aide au démarrage"},
...         {"actor_id": "rnma", "stage": "Organiser", "text": "accompagnement"},
...     ],
...     links=[{"source_id": "fdf", "target_id": "rnma", "kind": "partenaire"}],
... )
>>> report = maps.analyse(m)
>>> report["stages"]
{'declencher': 1, 'organiser': 1, 'animer': 0}
>>> report["chains"]["reach_organiser"]
1

Reading files and exporting::

    m = maps.read_map("workshop/demo/mulhouse")      # folder of CSV or .xlsx
    print(maps.analysis_text(m))
    maps.export(m, "carte.svg", layout="stages", title="Mulhouse")
    maps.export(m, "carte.gexf")
    # several files at once: each drawing is built once for PNG, SVG and PDF
    maps.export_many(m, ["carte.png", "carte.svg", "carte.pdf", "carte.gexf"])
"""

from .analysis import (
    analyse,
    analysis_paragraphs,
    analysis_text,
    chain_for,
    stage_table,
)
from .errors import MapInputError
from .export import EXPORT_FORMATS, export, export_many, to_gexf_graph, write_kumu
from .io import read_map, write_csv_folder, write_workbook
from .layout import network_layout, stage_layout
from .model import ActorMap, build_map, from_records
from .stages import (
    STAGE_DESCRIPTIONS,
    STAGE_LABELS,
    STAGE_SHORT_LABELS,
    STAGES,
    normalize_stage,
)

__all__ = [
    "ActorMap",
    "EXPORT_FORMATS",
    "MapInputError",
    "STAGES",
    "STAGE_DESCRIPTIONS",
    "STAGE_LABELS",
    "STAGE_SHORT_LABELS",
    "analyse",
    "analysis_paragraphs",
    "analysis_text",
    "build_map",
    "chain_for",
    "draw_map",
    "export",
    "export_many",
    "from_records",
    "network_layout",
    "normalize_stage",
    "read_map",
    "render_figure",
    "stage_layout",
    "stage_table",
    "to_gexf_graph",
    "write_csv_folder",
    "write_kumu",
    "write_workbook",
]


def __getattr__(name):
    # The drawing functions import matplotlib (about a second): only when used.
    if name in ("draw_map", "render_figure"):
        from . import draw

        return getattr(draw, name)
    raise AttributeError(f"module 'maps' has no attribute {name!r}")
