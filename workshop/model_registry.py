"""Import every module that defines tables, so that Base.metadata is complete."""

import importlib

MODEL_MODULES = [
    "workshop.models",
    "workshop.board.models",
    "workshop.cloud.models",
    "workshop.poll.models",
    "workshop.codev.models",
    "workshop.livemap.models",
    "workshop.deroule.models",
]


def import_all_models():
    for name in MODEL_MODULES:
        importlib.import_module(name)
