"""Kept for code written against earlier versions: RuleContext is part of the plugin
contract, :mod:`mio_core.plugins.interfaces` (public as ``mio_core.RuleContext``)."""

from ..plugins.interfaces import RuleContext

__all__ = ["RuleContext"]
