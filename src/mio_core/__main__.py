"""``python -m mio_core`` runs the ``mio`` command."""

from .cli import main

main()
