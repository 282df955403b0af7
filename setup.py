"""Ship the top-level ``templates/`` and ``static/`` folders inside the wheel.

They live at the top of the repository (next to ``workshop/``) and are copied
into ``workshop/templates`` and ``workshop/static`` when the wheel is built.
``workshop.paths`` finds them in either place.
"""

import os

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithAssets(build_py):
    def run(self):
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        for folder in ("templates", "static"):
            src = os.path.join(here, folder)
            if os.path.isdir(src):
                self.copy_tree(src, os.path.join(self.build_lib, "workshop", folder))


setup(cmdclass={"build_py": BuildWithAssets})
