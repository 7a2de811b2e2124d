"""One kind of layer (:class:`LayerKind`): the record each row of :mod:`convwidget.kinds` holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._counting import Counted
from .enums import Dialect, Family

__all__ = ["LayerKind"]


@dataclass(frozen=True)
class LayerKind:
    """One kind of layer, as both frameworks know it.

    Parameters
    ----------
    key : str
        A stable identifier, e.g. ``"conv2d"``.
    family : Family
        What the layer does (conv, dense, norm, pool…).
    keras, torch : str or None
        The class name in ``keras.layers`` / ``torch.nn``; None where that
        framework has no such class.
    rank : int or None
        Spatial rank of convolution, pooling and padding layers (1, 2, 3).
    has_weights : bool
        Whether the layer can have parameters at all.
    count : callable or None
        The counting function of ``convwidget._counting`` that gives its formula.
    torch_args : tuple of str
        The ``torch.nn`` constructor arguments ``from_torch`` reads as attributes
        of a live module (``bias`` is read as ``module.bias is not None`` when
        ``torch_bias`` is set).
    torch_bias : bool
        Whether the torch constructor takes ``bias=`` as a flag.
    torch_paths : tuple of (str, str)
        Constructor arguments a live module does not keep under their own name,
        each with the attribute path that holds it (``("d_model", "self_attn.embed_dim")``);
        a path ending in ``?`` gives ``True`` when that attribute is not None (a bias).
    features_last : bool
        Features on the last axis in both frameworks (Dense/Linear, LayerNorm,
        Embedding); otherwise the layout is the dialect's (Keras'
        ``data_format``, PyTorch channels-first).
    counterpart : str or None
        For a kind only one framework has, the class of the other that does the
        same job (DepthwiseConv2D → ``"Conv2d"`` with ``groups=Cin``).
    aliases : tuple of str
        Older names a pasted summary may show (``Convolution2D``).
    modelled : frozenset of Dialect
        The dialects in which convwidget has a class for this kind.
    weights_by_default : bool
        Whether a layer with weights has them when built with default arguments
        (PyTorch's InstanceNorm: ``affine=False`` unless asked).
    keras_activations : tuple of str
        For a torch activation, the names ``keras.layers.Activation`` takes for
        the same function (Keras' own name first, then its aliases).
    """

    key: str
    family: Family
    keras: str | None = None
    torch: str | None = None
    rank: int | None = None
    has_weights: bool = False
    count: Callable[..., Counted] | None = None
    torch_args: tuple[str, ...] = ()
    torch_bias: bool = False
    torch_paths: tuple[tuple[str, str], ...] = ()
    features_last: bool = False
    counterpart: str | None = None
    aliases: tuple[str, ...] = ()
    modelled: frozenset[Dialect] = frozenset()
    weights_by_default: bool = True
    keras_activations: tuple[str, ...] = ()

    def name_in(self, dialect: Dialect | str) -> str | None:
        """The class name in ``dialect`` (``"keras"`` or ``"torch"``)."""
        return self.keras if Dialect(dialect) is Dialect.KERAS else self.torch

    @property
    def is_transposed(self) -> bool:
        """A transposed convolution."""
        return self.family is Family.TRANSPOSE
