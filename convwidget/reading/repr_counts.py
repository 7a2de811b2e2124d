"""Count the rows of PyTorch's ``print(model)`` from their printed constructor arguments.

``print(model)`` shows no shapes and no counts, only each module's arguments. Each family with weights
has a reader (:data:`REPR_READERS`, by :class:`~convwidget.enums.Family` from :mod:`convwidget.kinds`)
that turns the arguments, positional ones by their place in the kind's ``torch_args``, into the
counting core's formula. A module that prints its sub-modules only (a container) is never said to
have no weights when its kind has them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType

from .. import _counting
from .._counting import Counted
from ..enums import Dialect, Family, Status
from ..errors import ConfigError
from ..formula import Terms
from ..kinds import LayerKind, by_name
from .finder import layer_class
from .pasted import PastedRow
from .results import Candidate, RowExplanation

__all__ = ["REPR_READERS", "explain_repr_row"]

_UNREADABLE = "its arguments could not be read"


def _arg(args: Mapping[str, object], kind: LayerKind, key: str, default: object = None) -> object:
    """A constructor argument of a ``print(model)`` row, by keyword or by its position in torch_args.

    The table's ``torch_args`` follow torch's constructor order up to ``bias`` (which they leave out,
    see ``torch_bias``), so ``bias`` and the arguments after it are read by keyword only.
    """
    if key in args:
        return args[key]
    if key in kind.torch_args:
        return args.get(str(kind.torch_args.index(key)), default)
    return default


def _positive(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _sizes(value: object, rank: int) -> tuple[int, ...] | None:
    """A kernel size as printed (``3`` or ``(3, 3)``) as a tuple of ``rank`` positive ints."""
    single = _positive(value)
    if single is not None:
        return (single,) * rank
    if isinstance(value, tuple) and len(value) == rank:
        sizes = tuple(v for v in (_positive(v) for v in value) if v is not None)
        return sizes if len(sizes) == rank else None
    return None


_Read = tuple[Terms | None, str]
"""A formula read off a row's arguments, or (None, why not)."""


def _read_conv(kind: LayerKind, count: Callable[..., Counted], args: Mapping[str, object]) -> _Read:
    cin, cout = _positive(_arg(args, kind, "in_channels")), _positive(_arg(args, kind, "out_channels"))
    kernel = _sizes(_arg(args, kind, "kernel_size"), kind.rank or 0)
    groups = _arg(args, kind, "groups", 1)
    if cin is None or cout is None or kernel is None or not isinstance(groups, int):
        return None, _UNREADABLE
    if groups < 1 or cin % groups or cout % groups:
        return None, f"groups={groups} does not divide the channels"
    bias = _arg(args, kind, "bias", True) is not False
    return count(kernel, cin, cout, groups, bias).terms, ""


def _read_dense(kind: LayerKind, count: Callable[..., Counted], args: Mapping[str, object]) -> _Read:
    fin, fout = _positive(_arg(args, kind, "in_features")), _positive(_arg(args, kind, "out_features"))
    if fin is None or fout is None:
        return None, _UNREADABLE
    return count(fin, fout, _arg(args, kind, "bias", True) is not False).terms, ""


def _read_norm(kind: LayerKind, count: Callable[..., Counted], args: Mapping[str, object]) -> _Read:
    affine_key = "elementwise_affine" if "elementwise_affine" in kind.torch_args else "affine"
    affine = _arg(args, kind, affine_key, kind.weights_by_default) is not False
    if count is _counting.batchnorm_counts:
        # γ and β per channel (PyTorch keeps running statistics as buffers, not parameters).
        channel_key = "num_channels" if "num_channels" in kind.torch_args else "num_features"
        c = _positive(_arg(args, kind, channel_key))
        if c is None:
            return None, _UNREADABLE
        return count(c, affine, affine, False).terms, ""
    shape = _arg(args, kind, "normalized_shape")
    dims = _sizes(shape, len(shape) if isinstance(shape, tuple) else 1)
    if dims is None:
        return None, _UNREADABLE
    beta = affine and _arg(args, kind, "bias", True) is not False
    return count(dims, affine, beta).terms, ""


def _read_built(kind: LayerKind, count: Callable[..., Counted], args: Mapping[str, object]) -> _Read:
    """A recurrent module's count: built from its printed arguments with convwidget's class, on one step."""
    del count  # the class's own describe() counts (its arguments are more than one counting call takes)
    kwargs = {key: _arg(args, kind, key) for key in kind.torch_args if _arg(args, kind, key) is not None}
    features = _positive(kwargs.get(kind.torch_args[0])) if kind.torch_args else None
    cls = layer_class(kind, Dialect.TORCH)
    if cls is None or features is None:
        return None, _UNREADABLE
    try:
        layer = cls(**kwargs)
    except ConfigError as exc:
        return None, f"{_UNREADABLE} ({exc})"
    # The first argument is the features per step (input_size): one step of them (a cell takes one
    # vector) is a valid input.
    for shape in ((1, features), (features,)):
        try:
            return layer.describe(shape).terms, ""
        except ConfigError:
            continue
    return None, _UNREADABLE


def _read_embedding(kind: LayerKind, count: Callable[..., Counted], args: Mapping[str, object]) -> _Read:
    v, d = _positive(_arg(args, kind, "num_embeddings")), _positive(_arg(args, kind, "embedding_dim"))
    if v is None or d is None:
        return None, _UNREADABLE
    return count(v, d).terms, ""


REPR_READERS: Mapping[Family, Callable[[LayerKind, Callable[..., Counted], Mapping[str, object]], _Read]]
REPR_READERS = MappingProxyType(
    {
        Family.CONV: _read_conv,
        Family.TRANSPOSE: _read_conv,
        Family.DENSE: _read_dense,
        Family.NORM: _read_norm,
        Family.EMBEDDING: _read_embedding,
        Family.RECURRENT: _read_built,
    }
)
"""How the weights of each family are counted from a ``print(model)`` row's arguments."""


def _code(row: PastedRow) -> str:
    """The row's constructor call as printed, e.g. ``Conv2d(1, 32, kernel_size=(3, 3))``."""
    args = ", ".join(repr(v) if k.isdigit() else f"{k}={v!r}" for k, v in row.args.items())
    return f"{row.layer_type or ''}({args})"


def explain_repr_row(row: PastedRow) -> RowExplanation:
    """One ``print(model)`` row: its formula from its arguments, or why there is none."""
    typ = row.layer_type or ""
    base = RowExplanation(name=row.name, layer_type=typ, line=row.line, depth=row.depth)
    kind = by_name(typ)
    if row.container and kind is not None and kind.has_weights:
        # A module with weights printed as a container: its own weights, if any, are not printed
        # (MultiheadAttention shows only its out_proj; its input projections are its own).
        note = (
            f"a {typ} prints its sub-modules only: its own weights, if it has any (a MultiheadAttention's "
            "input projections, 3·E·E + 3·E with bias when kdim = vdim = E), cannot be read from print(model)"
        )
        return replace(base, status=Status.UNKNOWN, note=note, container=True)
    if row.container:
        return replace(base, status=Status.NO_PARAMS, note="holds the layers below it", container=True)
    if kind is None:
        note = f"convwidget does not know {typ}; its count cannot be worked out from print(model)"
        return replace(base, status=Status.UNKNOWN, note=note)
    if not kind.has_weights:
        return replace(base, status=Status.NO_PARAMS)
    read = REPR_READERS.get(kind.family)
    if read is None or kind.count is None:
        note = f"convwidget cannot yet count a {typ} from its print(model) arguments"
        return replace(base, status=Status.UNKNOWN, note=note)
    terms, why = read(kind, kind.count, row.args)
    if terms is None:
        return replace(base, status=Status.UNKNOWN, note=why)
    return replace(base, status=Status.EXPLAINED, candidates=(Candidate(layer=_code(row), terms=terms),))
