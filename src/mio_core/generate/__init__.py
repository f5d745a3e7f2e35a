"""New workspaces: :mod:`.template` copies the MIO template (``mio init``) and
:mod:`.synthetic` generates complete synthetic programmes (``mio generate``; public as
``mio_core.generate_workspace`` and ``mio_core.write_synthetic_workspace``)."""
