"""Jupyter widgets: the convolution explorer, the guessing quiz, the model walkthrough, the summary explainer.

- :class:`ConvExplorer` (:mod:`.explorer`): sliders for one convolution layer.
- :class:`GuessQuiz` (:mod:`.quiz`): guess a layer's parameter count.
- :class:`ModelWalkthrough` (:mod:`.walkthrough`): step through a model's layers.
- :class:`SummaryExplainer` (:mod:`.explain`): paste a model summary, see it explained.

Shared private modules: :mod:`._guard` (the one error policy: :class:`GuardedBox`),
:mod:`._picture` (figures rendered to PNG bytes) and :mod:`._throttle` (one picture
per frame). Every HTML fragment comes from :mod:`convwidget.html`.

The widgets are thin. Every bound comes from :mod:`convwidget.controls`, every
count, shape and formula from the core (``describe``), every picture from
:mod:`convwidget.drawing`; this module only links them, with plain ipywidgets 8
core widgets so the same code runs in JupyterLab 4, Notebook 7 and Voilà.

How updates work
----------------
* Observers run synchronously in the kernel. A value set from code
  (``w.filters.value = 63``) updates the count, the formula and the picture
  before the assignment returns.
* The picture is PNG bytes on an :class:`ipywidgets.Image`, rendered in full
  before it is assigned, so the front end receives data (no lazy ``draw_idle``)
  and a saved notebook keeps the last picture in its widget state.
* A value changed from the browser (a slider being dragged) updates the text
  at once, but the picture at most once per :data:`FRAME_SECONDS`: when several
  changes arrive within one frame, a single render is scheduled on the kernel's
  event loop and draws whatever the controls hold *when it runs*. The values in
  between are skipped, never queued, so the picture cannot lag behind the hand.
* A :class:`~convwidget.errors.ConfigError` inside a callback (a value the core
  refuses) is shown in the widget's error area as a short alert; the controls go
  back to the last valid state and stay usable. Any other exception is a bug: the
  controls go back as well, and the exception is raised, never swallowed.
"""

from __future__ import annotations

from ..html import formula_html
from ..seed import seed_model
from ._picture import View
from ._throttle import FRAME_SECONDS
from .choice import ChoiceQuiz
from .explain import SummaryExplainer
from .explorer import ConvExplorer
from .quiz import GuessQuiz
from .walkthrough import ModelWalkthrough

__all__ = [
    "FRAME_SECONDS",
    "ChoiceQuiz",
    "ConvExplorer",
    "GuessQuiz",
    "ModelWalkthrough",
    "SummaryExplainer",
    "View",
    "formula_html",
    "seed_model",
]
