"""The build entry: everything about the distribution is in pyproject.toml.

Kept so that ``python setup.py --version`` and tools that look for a
setup.py still work; ``pip install .`` reads pyproject.toml.
"""

from setuptools import setup

setup()
