"""The built-in plugins: mio_core's own contributions, registered through the same hooks."""
