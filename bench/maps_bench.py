"""Benchmark of the maps package on synthetic maps of 50, 500 and 5,000 actors.

For each size, synthetic CSV files are written first (about 3 links per actor,
contributions spread across the three stages), then each step is timed in a
fresh subprocess, which also reports its peak memory (``ru_maxrss``):
loading, analysis and every export.

Usage::

    python bench/maps_bench.py                 # 50, 500, 5000 actors
    python bench/maps_bench.py --sizes 50 500  # some sizes only
    python bench/maps_bench.py --markdown      # Markdown table
    python bench/maps_bench.py --repeat 2      # best of 2 runs per step

The machine description includes the load average before the run: other
processes slow the timings down.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STEPS = [
    ("load", None),
    ("analyse", None),
    ("png", ("stages", "png")),
    ("svg", ("stages", "svg")),
    ("pdf", ("stages", "pdf")),
    ("png-network", ("network", "png")),
    ("svg-network", ("network", "svg")),
    ("gexf", (None, "gexf")),
    ("graphml", (None, "graphml")),
    ("json", (None, "json")),
    ("kumu", (None, "xlsx")),
    ("workbook", (None, "workbook")),
    ("all", ("all", "all")),
    ("all-export", ("all", "all-export")),
]

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
t0 = time.perf_counter()
import maps
import maps.draw  # matplotlib is imported on first drawing: count it as import, not as a step
t_import = time.perf_counter() - t0
folder, step, layout, ext, out = sys.argv[2:7]
t0 = time.perf_counter()
m = maps.read_map(folder)
t_load = time.perf_counter() - t0
t0 = time.perf_counter()
if step == "load":
    pass
elif step == "analyse":
    maps.analyse(m)
elif ext == "all":  # one call: each drawing is built once for all its formats
    images = [("stages", "png"), ("stages", "svg"), ("stages", "pdf"),
              ("network", "png"), ("network", "svg")]
    maps.export_many(
        m,
        [(out + "-" + lay + "." + e, {"layout": lay}) for lay, e in images]
        + [out + "." + e for e in ("gexf", "graphml", "json", "xlsx")]
        + [(out + "-wb.xlsx", {"format": "workbook"})],
        date="2024-01-01",
    )
elif ext == "all-export":  # the same files, one export() call each
    for lay, e in [("stages", "png"), ("stages", "svg"), ("stages", "pdf"),
                   ("network", "png"), ("network", "svg")]:
        maps.export(m, out + "-" + lay + "." + e, layout=lay, date="2024-01-01")
    for e in ("gexf", "graphml", "json", "xlsx"):
        maps.export(m, out + "." + e)
    maps.export(m, out + "-wb.xlsx", format="workbook")
elif ext == "workbook":
    maps.export(m, out + ".xlsx", format="workbook")
else:
    kw = {"layout": layout} if layout != "None" else {}
    maps.export(m, out + "." + ext, date="2024-01-01", **kw)
t_step = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"load": t_load, "step": t_step, "maxrss_mb": rss / 1024}))
"""


def write_synthetic(folder: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    kinds = ["association", "collectivite", "reseau", "fondation", "financeur", "autre"]
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "actors.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "kind", "territoire"])
        for i in range(n):
            w.writerow(
                [
                    f"a{i}",
                    f"Acteur {i} du territoire",
                    rng.choice(kinds),
                    rng.choice(["Nord", "Sud", "Est", "Ouest", "Centre"]),
                ]
            )
    with (folder / "contributions.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["actor_id", "stage", "text"])
        for i in range(n):
            for stage in ("declencher", "organiser", "animer"):
                if rng.random() < 0.4:
                    w.writerow([f"a{i}", stage, f"apport de l'acteur {i}"])
    with (folder / "links.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source_id", "target_id", "kind"])
        for _ in range(int(1.5 * n)):  # 1.5 links per actor = 3 link ends per actor
            a, b = rng.randrange(n), rng.randrange(n)
            if a != b:
                w.writerow(
                    [
                        f"a{a}",
                        f"a{b}",
                        rng.choice(["partenaire", "finance", "accompagne", "oriente", "membre"]),
                    ]
                )


def run_step(folder: Path, step: str, spec, out_dir: Path) -> dict:
    layout, ext = spec if spec else ("None", "none")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            str(ROOT),
            str(folder),
            step,
            str(layout),
            ext,
            str(out_dir / step),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = ""
    return {
        "load": load,
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram": ram,
        "python": platform.python_version(),
        "system": platform.system(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 500, 5000])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step; the fastest is kept")
    args = parser.parse_args()
    info = machine()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.sizes:
            folder = tmp / f"n{n}"
            write_synthetic(folder, n)
            out_dir = tmp / f"out{n}"
            out_dir.mkdir()
            results[n] = {}
            for step, spec in STEPS:
                runs = [run_step(folder, step, spec, out_dir) for _ in range(args.repeat)]
                r = min(runs, key=lambda r: r["load"] if step == "load" else r["step"])
                results[n][step] = {
                    "s": r["load"] if step == "load" else r["step"],
                    "maxrss_mb": r["maxrss_mb"],
                }
                print(
                    f"{n:>5} {step:<12} {results[n][step]['s']:7.2f} s {r['maxrss_mb']:7.0f} Mo",
                    file=sys.stderr,
                )
    if args.markdown:
        print(
            f"Machine : {info['nproc']} cœurs, {info['cpu']}, {info['ram']} RAM, "
            f"Python {info['python']} ({info['system']}) ; charge moyenne avant la mesure : "
            f"{info['load']} ; meilleur de {args.repeat} passage(s) par étape.\n"
        )
        sizes = list(results)
        print("| étape | " + " | ".join(f"{n} acteurs" for n in sizes) + " |")
        print("|---|" + "---|" * len(sizes))
        for step, _ in STEPS:
            cells = [
                f"{results[n][step]['s']:.2f} s ({results[n][step]['maxrss_mb']:.0f} Mo)"
                for n in sizes
            ]
            print(f"| {step} | " + " | ".join(cells) + " |")
        for n in sizes:
            exports = sum(
                v["s"]
                for k, v in results[n].items()
                if k not in ("load", "analyse", "all", "all-export")
            )
            print(
                f"\n{n} acteurs : somme des exports mesurés séparément {exports:.2f} s ; "
                f"tous les exports dans un même processus : {results[n]['all']['s']:.2f} s "
                f"avec `export_many`, {results[n]['all-export']['s']:.2f} s "
                f"avec un appel à `export` par fichier"
            )
    else:
        print(json.dumps({"machine": info, "results": results}, indent=2))


if __name__ == "__main__":
    main()
