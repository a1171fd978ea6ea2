"""``python -m derive`` runs the command line, as the ``derive`` command does (``cli.script``)."""

from derive.cli import script

script()
