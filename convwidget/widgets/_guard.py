"""The one error policy of the widgets: a callback's ConfigError is shown, a bug is raised.

Every widget of the package is a :class:`GuardedBox`. Its callbacks (observers,
button clicks, the explorer's deferred picture) run through :meth:`GuardedBox._guard`:

* a :class:`~convwidget.errors.ConfigError` (a value the core refuses, a guess that
  is not a number) puts the widget back into its last valid state and shows the
  message in the widget's error area, as an alert, never as a traceback;
* any other exception is a programming error: the widget is put back as well,
  then the exception propagates (to the caller, or to the kernel's log when the
  change came from the browser), so a bug is never swallowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import ipywidgets as ipw

from ..errors import ConfigError
from ..html import alert_html

__all__ = ["GuardedBox"]

T = TypeVar("T")


class GuardedBox(ipw.VBox):
    """A VBox whose callbacks report ConfigError in an error area instead of raising into the notebook.

    Subclasses set :attr:`error_area` (an ``ipywidgets.HTML`` among their children) before the first
    callback can run, wrap every callback with :meth:`_guard`, and override :meth:`_restore` if they
    hold state that a failed callback may have half changed.
    """

    error_area: ipw.HTML

    def _guard(self, callback: Callable[[T], None]) -> Callable[[T], None]:
        """``callback`` with the error policy of the module docstring."""

        def run(arg: T) -> None:
            try:
                callback(arg)
            except ConfigError as exc:
                self._restore()
                self._report(exc)
            except Exception:
                self._restore()
                raise

        return run

    def _report(self, exc: ConfigError) -> None:
        """Show ``exc`` in the error area, as an alert."""
        self.error_area.value = alert_html(str(exc))

    def _restore(self) -> None:
        """Put the controls back to the last valid state (nothing to do for a widget without controls)."""
