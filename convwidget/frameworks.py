"""Turn a real Keras or PyTorch model into convwidget's own model.

The frameworks stay optional: they are imported inside the functions, never by ``import convwidget``.
Which convwidget class stands for a framework class, and which constructor arguments a live PyTorch
module carries, both come from :mod:`convwidget.kinds`. A layer convwidget does not model (or one
whose arguments convwidget refuses) is kept as a :class:`FrameworkLayer` that reports the framework's
own output shape and count under its own name, so nothing is silently dropped.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import kinds
from . import layers as keras_layers
from . import nn as torch_nn
from ._checks import fail, shape_arg
from .enums import Dialect, Family, Layout
from .errors import ConfigError
from .formula import Factor, Terms
from .info import Describable, LayerInfo, Shape
from .kinds import LayerKind

if TYPE_CHECKING:
    from .model import Sequential, TorchSequential

__all__ = ["FrameworkLayer", "from_keras", "from_torch"]

_MAX_INPUT_ELEMENTS = 50_000_000  # 200 MB of float32: more is no lesson model's single example


class FrameworkLayer:
    """A layer convwidget does not model: the framework's shape and count, reported as they are.

    Parameters
    ----------
    dialect : Dialect
        ``"keras"`` or ``"torch"``.
    type_name : str
        The framework's class name.
    name : str
        The layer's name.
    input_shape, output_shape : tuple of int
        Shapes without the batch axis, as the framework computed them.
    params : int
        The framework's own count.
    layout : Layout, optional
        Where the channel axis sits; by default Keras' channels-last and PyTorch's channels-first
        (channels-last in both for kinds whose features sit last, such as Linear).
    buffers : int, optional
        PyTorch buffers (BatchNorm's running statistics and batch counter), which are no parameters.
    """

    def __init__(
        self,
        dialect: Dialect | str,
        type_name: str,
        name: str,
        input_shape: Shape,
        output_shape: Shape,
        params: int,
        layout: Layout | None = None,
        buffers: int = 0,
    ) -> None:
        self.dialect = Dialect(dialect)
        self.buffers = buffers
        self.type_name = type_name
        self.name: str | None = name
        self.input_shape = input_shape
        self.output_shape = output_shape
        self.params = params
        self.kind: LayerKind | None = kinds.by_name(type_name)
        if layout is None:
            torch_first = self.dialect is Dialect.TORCH and not (self.kind and self.kind.features_last)
            layout = Layout.CHANNELS_FIRST if torch_first else Layout.CHANNELS_LAST
        self.layout = layout

    def describe(self, input_shape: Sequence[int]) -> LayerInfo:
        """Return the framework's numbers (the formula is the count itself: convwidget cannot explain it)."""
        terms = Terms(Factor(f"{self.type_name} parameters (counted by the framework)", self.params, "n"))
        return LayerInfo(
            layer_type=self.type_name,
            dialect=self.dialect,
            input_shape=tuple(input_shape),
            output_shape=self.output_shape,
            trainable_params=self.params,
            non_trainable_params=0,
            terms=terms,
            buffers=self.buffers,
            name=self.name,
            kind=self.kind,
            layout=self.layout,
        )

    def __repr__(self) -> str:
        return f"<convwidget.FrameworkLayer {self.type_name} '{self.name}' ({self.params} params)>"


def _modelled(type_name: str, dialect: Dialect) -> Callable[..., Describable] | None:
    """The convwidget class of ``dialect`` for a framework class name, through the kinds table."""
    kind = kinds.by_name(type_name)
    name = kind.name_in(dialect) if kind is not None and dialect in kind.modelled else None
    if name is None:
        return None
    cls: Callable[..., Describable] = getattr(keras_layers if dialect is Dialect.KERAS else torch_nn, name)
    return cls


# ----------------------------------------------------------------------------------------- Keras

# Config entries that describe how Keras builds or stores a layer, never its count or shape.
_KERAS_SKIPPED = frozenset(["dtype", "seed", "noise_shape", "batch_input_shape", "quantization_config"])


def _accepted(cls: Callable[..., Describable], config: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of a Keras layer's config that the convwidget class takes."""
    params = inspect.signature(cls).parameters
    names = (set(params) | set(keras_layers._NO_EFFECT) | {"name", "trainable"}) - _KERAS_SKIPPED
    out = {
        key: tuple(value) if isinstance(value, list) else value
        for key, value in config.items()
        if key in names and not key.endswith(("_initializer", "_regularizer", "_constraint"))
    }
    # Keras serializes activations as names or config dicts; a name is kept for the reader,
    # anything else only where the class requires the argument (keras.layers.Activation).
    if "activation" in out and not isinstance(out["activation"], str):
        param = params.get("activation")
        if param is not None and param.default is inspect.Parameter.empty:
            out["activation"] = "custom"
        else:
            out.pop("activation")
    return out


def _keras_shape(shape: Any) -> Shape | None:
    """A Keras shape without its batch axis, or None if an axis is unknown."""
    dims = tuple(shape)[1:]
    if not all(isinstance(d, int) for d in dims):
        return None
    return tuple(int(d) for d in dims)


def _nested_keras_layer(spec: Mapping[str, Any]) -> Describable | None:
    """convwidget's layer for a serialized Keras layer (``{"class_name": …, "config": …}``), or None."""
    cls = _modelled(str(spec.get("class_name")), Dialect.KERAS)
    config = spec.get("config")
    if cls is None or not isinstance(config, Mapping):
        return None
    try:
        return cls(**_accepted(cls, config))
    except ConfigError:
        return None


def _keras_layer(layer: Any, shape: Shape, out_shape: Shape | None, first: bool) -> Describable | None:
    """The convwidget layer for a live Keras layer, if convwidget models it and agrees with Keras."""
    cls = _modelled(type(layer).__name__, Dialect.KERAS)
    if cls is None:
        return None
    kwargs = _accepted(cls, layer.get_config())
    for key, value in list(kwargs.items()):
        if isinstance(value, dict) and "class_name" in value:
            # A wrapper's nested layer (Bidirectional's 'layer'): rebuilt as convwidget's; the mirrored
            # backward copy Keras stores is made by convwidget's wrapper itself (the count check below
            # catches a custom one).
            inner = _nested_keras_layer(value) if key != "backward_layer" else None
            if inner is None:
                kwargs.pop(key)
            else:
                kwargs[key] = inner
    if first:
        kwargs["input_shape"] = shape
    try:
        mine = cls(**kwargs)
        info = mine.describe(shape)
    except ConfigError:
        return None  # arguments or an input convwidget refuses: the row keeps Keras' own numbers
    if info.params != layer.count_params() or (out_shape is not None and info.output_shape != out_shape):
        return None
    return mine


def from_keras(model: Any) -> Sequential:
    """Build a :class:`convwidget.Sequential` from a built ``keras`` model.

    Parameters
    ----------
    model : keras.Model
        A built Sequential (or a functional model whose layers run one after another).

    Returns
    -------
    convwidget.Sequential
        The same layers as convwidget layers; unknown ones as :class:`FrameworkLayer` with Keras' count.

    Raises
    ------
    ConfigError
        If ``model`` is not a built Keras model.
    """
    from .model import Sequential

    layers_in = getattr(model, "layers", None)
    if layers_in is None or not hasattr(model, "count_params"):
        raise fail("from_keras", "model", type(model).__name__, "it must be a built keras.Model")
    inputs = _built_inputs(model)
    input_shape = _keras_shape(inputs[0].shape) if inputs else None
    if input_shape is None:
        raise fail(
            "from_keras",
            "model",
            getattr(model, "name", model),
            "the model must be built with a fixed input shape",
        )
    _refuse_branches(model, layers_in)
    out = Sequential(name=getattr(model, "name", None) or "sequential")
    shape = input_shape
    for layer in layers_in:
        type_name = type(layer).__name__
        kind = kinds.by_name(type_name)
        if kind is not None and kind.family is Family.INPUT:
            continue
        out_shape = _keras_shape(layer.output.shape) if hasattr(layer, "output") else None
        mine = _keras_layer(layer, shape, out_shape, first=not out.layers)
        if mine is None:
            data_format = layer.get_config().get("data_format")
            layout = Layout.CHANNELS_FIRST if data_format == "channels_first" else Layout.CHANNELS_LAST
            params = int(layer.count_params())
            mine = FrameworkLayer(
                Dialect.KERAS, type_name, layer.name, shape, out_shape or shape, params, layout
            )
        out.add(mine)
        shape = out_shape or shape
    return out


def _refuse_branches(model: Any, layers_in: Sequence[Any]) -> None:
    """Refuse a model whose layers do not run one after another (branches, several inputs).

    convwidget's Sequential feeds each layer the previous one's output; a branching model read as
    a chain would give rows false input shapes, so it is refused with a way forward.
    """
    previous: Any = None
    for i, layer in enumerate(layers_in):
        kind = kinds.by_name(type(layer).__name__)
        if kind is not None and kind.family is Family.INPUT:
            continue
        try:
            inbound = layer.input
        except (AttributeError, ValueError):  # Keras' ways of saying a layer has no single input
            inbound = None
        source = previous.output if previous is not None else None
        # Self-attention passes one tensor as query and value: several inputs, one source.
        tensors = list(inbound) if isinstance(inbound, (list, tuple)) else [inbound]
        distinct = {id(t) for t in tensors}
        several = inbound is None or len(distinct) > 1
        if several or (source is not None and tensors[0] is not source):
            where = "takes several inputs" if several else f"does not read the output of '{previous.name}'"
            raise fail(
                "from_keras",
                "model",
                getattr(model, "name", model),
                f"its layers must run one after another, but layer {i} '{layer.name}' {where}",
                "explain the model's printed summary instead: convwidget.explain_summary(text of "
                "model.summary()) reads each row's input from its 'Connected to' column",
            )
        previous = layer


def _built_inputs(model: Any) -> Any:
    # keras.Model.inputs raises AttributeError on a model that was never built or called
    try:
        return model.inputs
    except AttributeError:
        return None


# ----------------------------------------------------------------------------------------- PyTorch


_MISSING = object()


def _attribute_path(obj: Any, path: str) -> Any:
    """``obj.a.b`` for ``path="a.b"``, or ``_MISSING`` where an attribute on the way is absent."""
    for part in path.split("."):
        if not hasattr(obj, part):
            return _MISSING
        obj = getattr(obj, part)
    return obj


def _torch_layer(module: Any) -> Describable | None:
    """The convwidget module for a live torch module, built from the arguments the kinds table lists."""
    type_name = type(module).__name__
    cls = _modelled(type_name, Dialect.TORCH)
    kind = kinds.by_name(type_name)
    if cls is None or kind is None:
        return None
    kwargs = {n: getattr(module, n) for n in kind.torch_args if hasattr(module, n)}
    for name, path in kind.torch_paths:
        found = _attribute_path(module, path.rstrip("?"))
        if found is not _MISSING:
            kwargs[name] = found is not None if path.endswith("?") else found
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    required = [
        p.name
        for p in inspect.signature(cls).parameters.values()
        if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
    ]
    if any(name not in kwargs for name in required):
        # The module keeps no such attribute (TransformerEncoderLayer's d_model): keep torch's numbers.
        return None
    if kind.torch_bias:
        kwargs["bias"] = getattr(module, "bias", None) is not None
    try:
        return cls(**kwargs)
    except ConfigError:
        return None  # arguments convwidget refuses (out_channels=0…): the row keeps PyTorch's numbers


def from_torch(module: Any, input_shape: Sequence[int]) -> TorchSequential:
    """Build a :class:`convwidget.model.TorchSequential` from a ``torch.nn.Module``.

    The module is run once on zeros of ``(1, *input_shape)`` with forward hooks on its leaf modules, so
    the rows follow the order in which the forward pass uses them.

    Parameters
    ----------
    module : torch.nn.Module
        The model.
    input_shape : tuple of int
        Input shape without the batch axis, e.g. ``(1, 28, 28)``.

    Returns
    -------
    convwidget.model.TorchSequential
        The leaf modules as convwidget layers; unknown ones as :class:`FrameworkLayer` with PyTorch's count.

    Raises
    ------
    ConfigError
        If ``module`` is not a torch module or ``input_shape`` is not a shape.
    """
    import torch

    from .model import TorchSequential

    if not isinstance(module, torch.nn.Module):
        raise fail("from_torch", "module", type(module).__name__, "it must be a torch.nn.Module")
    shape = shape_arg("from_torch", input_shape)
    calls: list[tuple[str, Any, Shape, Shape]] = []
    names = {m: n for n, m in module.named_modules()}
    hooks = []

    def hook(mod: Any, inputs: Any, output: Any) -> None:
        # A recurrent module returns (output, state): its row's shape is the output's.
        first = output[0] if isinstance(output, (tuple, list)) and output else output
        if inputs and hasattr(inputs[0], "shape") and hasattr(first, "shape"):
            calls.append(
                (names.get(mod, type(mod).__name__), mod, tuple(inputs[0].shape[1:]), tuple(first.shape[1:]))
            )

    # Leaf modules are rows; so is a module with weights of its own that prints children (a
    # MultiheadAttention holds its input projections itself, its out_proj as a child): hooking only
    # its out_proj would drop the rest. Its children are then not rows of their own.
    units: list[str] = []
    for mod_name, m in module.named_modules():
        if any(mod_name.startswith(u + ".") for u in units):
            continue
        kind = kinds.by_name(type(m).__name__)
        whole = kind is not None and kind.has_weights and kind.family is not Family.CONTAINER
        if whole and list(m.children()):
            units.append(mod_name)
        if whole or not list(m.children()):
            hooks.append(m.register_forward_hook(hook))
    elements = 1
    for n in shape:
        elements *= n
    if elements > _MAX_INPUT_ELEMENTS:
        raise fail(
            "from_torch",
            "input_shape",
            input_shape,
            f"it holds {elements:,} values; a traced input may hold at most {_MAX_INPUT_ELEMENTS:,}",
            "pass the shape of one example without the batch axis, e.g. (1, 28, 28) or (3, 224, 224)",
        )
    try:
        embeds = any(isinstance(m, torch.nn.Embedding) for m in module.modules())
        with torch.no_grad():
            module.eval()
            module(torch.zeros((1, *shape), dtype=torch.long if embeds else torch.float32))
    except (RuntimeError, IndexError) as exc:
        # The user's forward() refused the input (a shape mismatch, an embedding index): say which.
        raise fail(
            "from_torch",
            "input_shape",
            input_shape,
            f"the model's forward() refused an input of shape (1, *input_shape): {str(exc)[:300]}",
            "pass the shape one example has without the batch axis, as the model's first layer expects",
        ) from exc
    finally:
        for h in hooks:
            h.remove()
    out = TorchSequential(name=type(module).__name__)
    previous: Shape = shape
    for name, mod, in_shape, out_shape in calls:
        if in_shape != previous:
            # forward() reshaped between two modules (torch.flatten, .view): show it as a row of its own,
            # so every row reads the shape the module really received.
            step = FrameworkLayer(Dialect.TORCH, "forward()", f"reshape before {name}", previous, in_shape, 0)
            out.add_module(f"forward_before_{name.replace('.', '_')}", step)
        previous = out_shape
        params = int(sum(p.numel() for p in mod.parameters()))
        mine = _torch_layer(mod)
        if mine is not None:
            try:
                info = mine.describe(in_shape)
            except ConfigError:
                mine = None
            else:
                if info.params != params or info.output_shape != out_shape:
                    mine = None
        if mine is None:
            buffers = int(sum(b.numel() for b in mod.buffers()))
            mine = FrameworkLayer(
                Dialect.TORCH, type(mod).__name__, name, in_shape, out_shape, params, buffers=buffers
            )
        out.add_module(name.replace(".", "_") or type(mod).__name__, mine)
    out._input = shape  # the traced input, so rows and summary() need no input_shape argument
    return out
