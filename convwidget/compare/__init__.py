"""Where Keras and PyTorch disagree: a layer's counterpart in the other dialect, and the differences.

    >>> from convwidget import compare, nn
    >>> c = compare.counterpart(nn.BatchNorm2d(64), (64, 5, 5))
    >>> c.other_info.params, c.info.params, c.info.buffers
    (256, 128, 129)
    >>> c.difference_keys()
    ['batchnorm_counts']

:func:`counterpart` takes a layer of either dialect and its input shape (in
that dialect's layout) and builds the closest layer(s) of the other dialect
on the converted input shape: channels_last ``(H, W, C)`` for Keras,
channels-first ``(C, H, W)`` for PyTorch. Where the two frameworks count,
size, store or order things differently, the result lists a
:class:`Difference` that explains it with this case's numbers.
:data:`DIFFERENCES` holds the general explanation of each kind.

Recurrent and attention layers are translated too: a Keras LSTM becomes
``nn.LSTM(..., batch_first=True)`` with PyTorch's second bias per gate stated in
numbers, a stacked or bidirectional PyTorch module one Keras layer per level,
attention's four Keras kernels PyTorch's packed ``in_proj_weight``.

    >>> from convwidget import layers
    >>> c = compare.counterpart(layers.LSTM(64), (100, 32))
    >>> c.info.params, c.other_params
    (24832, 25088)

Modules: ``differences`` (the catalogue and the texts quoting one case),
``from_keras`` and ``from_torch`` (one builder per layer family, classes read
from :mod:`convwidget.kinds`), ``sequence`` (the recurrent and attention
builders of both directions), ``result`` (:class:`Counterpart` and
:func:`counterpart`).
"""

from __future__ import annotations

from .differences import DIFFERENCES, Difference
from .result import Counterpart, counterpart

__all__ = ["DIFFERENCES", "Counterpart", "Difference", "counterpart"]
