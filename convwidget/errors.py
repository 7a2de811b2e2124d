"""The one exception family convwidget raises for bad input."""

from __future__ import annotations

__all__ = ["ConfigError", "ParseError"]


class ConfigError(ValueError):
    """A layer, model or value that cannot be what the user asked for.

    The message names the layer, the argument, the value given and the valid
    range, and says the fix where there is one.
    """


class ParseError(ConfigError):
    """Text that holds no summary row convwidget can recognise."""
