"""Turn a real Keras or PyTorch model into convwidget's own model.

The frameworks stay optional: they are imported inside the functions, never by ``import convwidget``.
A layer convwidget does not know is kept as a :class:`FrameworkLayer` that reports the framework's own
output shape and count under its own name, so nothing is silently dropped.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any, ClassVar

from . import layers as keras_layers
from . import nn as torch_nn
from ._checks import fail, shape_arg
from .formula import Factor, Terms
from .info import LayerInfo, Shape

__all__ = ["FrameworkLayer", "from_keras", "from_torch"]


class FrameworkLayer:
    """A layer convwidget does not model: the framework's shape and count, reported as they are.

    Parameters
    ----------
    dialect : str
        ``"keras"`` or ``"torch"``.
    type_name : str
        The framework's class name.
    name : str
        The layer's name.
    input_shape, output_shape : tuple of int
        Shapes without the batch axis, as the framework computed them.
    params : int
        The framework's own count.
    """

    unknown: ClassVar[bool] = True

    def __init__(
        self, dialect: str, type_name: str, name: str, input_shape: Shape, output_shape: Shape, params: int
    ) -> None:
        self.dialect = dialect
        self.type_name = type_name
        self.name = name
        self.input_shape = input_shape
        self.output_shape = output_shape
        self.params = params

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
            name=self.name,
        )

    def __repr__(self) -> str:
        return f"<convwidget.FrameworkLayer {self.type_name} '{self.name}' ({self.params} params)>"


def _accepted(cls: type, config: dict[str, Any]) -> dict[str, Any]:
    names = set(inspect.signature(cls.__init__).parameters) | set(keras_layers._NO_EFFECT)
    names |= {"name", "trainable"}
    out = {}
    for key, value in config.items():
        if key in names and key not in (
            "dtype",
            "seed",
            "noise_shape",
            "batch_input_shape",
            "quantization_config",
        ):
            out[key] = tuple(value) if isinstance(value, list) else value
    for key in list(out):
        if key.endswith(("_initializer", "_regularizer", "_constraint")):
            out.pop(key)
    # Keras serializes activations as names or config dicts; a name is kept for the reader,
    # anything else only where the class requires the argument (keras.layers.Activation).
    if "activation" in out and not isinstance(out["activation"], str):
        if _required(cls, "activation"):
            out["activation"] = "custom"
        else:
            out.pop("activation")
    return out


def _required(cls: type, name: str) -> bool:
    param = inspect.signature(cls.__init__).parameters.get(name)
    return param is not None and param.default is inspect.Parameter.empty


def _keras_shape(shape: Any) -> Shape | None:
    try:
        dims = tuple(shape)[1:]
        return tuple(int(d) for d in dims)
    except (TypeError, ValueError):
        return None


def from_keras(model: Any) -> Any:
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
    try:
        input_shape = _keras_shape(model.inputs[0].shape)
    except (AttributeError, IndexError, TypeError, ValueError):
        input_shape = None
    if input_shape is None:
        raise fail(
            "from_keras",
            "model",
            getattr(model, "name", model),
            "the model must be built with a fixed input shape",
        )
    out = Sequential(name=getattr(model, "name", None) or "sequential")
    shape = input_shape
    first = True
    for layer in layers_in:
        type_name = type(layer).__name__
        if type_name == "InputLayer":
            continue
        out_shape = _keras_shape(layer.output.shape) if hasattr(layer, "output") else None
        cls = getattr(keras_layers, type_name, None)
        mine: Any = None
        if cls is not None and isinstance(cls, type):
            try:
                kwargs = _accepted(cls, layer.get_config())
                if first:
                    kwargs["input_shape"] = shape
                mine = cls(**kwargs)
                info = mine.describe(shape)
                if info.params != layer.count_params() or (
                    out_shape is not None and info.output_shape != out_shape
                ):
                    mine = None
            except (ValueError, TypeError):
                mine = None
        if mine is None:
            mine = FrameworkLayer(
                "keras", type_name, layer.name, shape, out_shape or shape, int(layer.count_params())
            )
            if first:
                mine.config = {"batch_input_shape": (None, *shape)}  # type: ignore[attr-defined]
        out.add(mine)
        first = False
        shape = out_shape or shape
    return out


_TORCH_ARGS = {
    "Conv1d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"),
    "Conv2d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"),
    "Conv3d": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"),
    "ConvTranspose2d": (
        "in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups",
        "dilation",
    ),
    "Linear": ("in_features", "out_features"),
    "BatchNorm1d": ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    "BatchNorm2d": ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    "LayerNorm": ("normalized_shape", "eps", "elementwise_affine"),
    "MaxPool2d": ("kernel_size", "stride", "padding", "dilation", "ceil_mode"),
    "AvgPool2d": ("kernel_size", "stride", "padding", "ceil_mode"),
    "AdaptiveAvgPool2d": ("output_size",),
    "Flatten": ("start_dim", "end_dim"),
    "Dropout": ("p",),
    "Embedding": ("num_embeddings", "embedding_dim"),
    "ReLU": (),
}  # fmt: skip


def _torch_layer(module: Any) -> Any:
    type_name = type(module).__name__
    cls = getattr(torch_nn, type_name, None)
    names = _TORCH_ARGS.get(type_name)
    if cls is None or names is None:
        return None
    kwargs = {n: getattr(module, n) for n in names if hasattr(module, n)}
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    if hasattr(module, "bias") and type_name not in ("BatchNorm1d", "BatchNorm2d", "LayerNorm"):
        kwargs["bias"] = module.bias is not None
    if type_name == "Embedding" and getattr(module, "padding_idx", None) is not None:
        kwargs["padding_idx"] = module.padding_idx
    try:
        return cls(**kwargs)
    except (ValueError, TypeError):
        return None


def from_torch(module: Any, input_shape: Sequence[int]) -> Any:
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
        if inputs and hasattr(inputs[0], "shape") and hasattr(output, "shape"):
            calls.append(
                (names.get(mod, type(mod).__name__), mod, tuple(inputs[0].shape[1:]), tuple(output.shape[1:]))
            )

    for m in module.modules():
        if not list(m.children()):
            hooks.append(m.register_forward_hook(hook))
    try:
        dtype = (
            torch.long if any(isinstance(m, torch.nn.Embedding) for m in module.modules()) else torch.float32
        )
        with torch.no_grad():
            module.eval()
            module(torch.zeros((1, *shape), dtype=dtype))
    finally:
        for h in hooks:
            h.remove()
    out = TorchSequential(name=type(module).__name__)
    for name, mod, in_shape, out_shape in calls:
        params = int(sum(p.numel() for p in mod.parameters()))
        mine = _torch_layer(mod)
        if mine is not None:
            try:
                info = mine.describe(in_shape)
                if info.params != params or info.output_shape != out_shape:
                    mine = None
            except ValueError:
                mine = None
        if mine is None:
            mine = FrameworkLayer("torch", type(mod).__name__, name, in_shape, out_shape, params)
        out.add_module(name.replace(".", "_") or type(mod).__name__, mine)
    out._input = shape  # the traced input, so rows and summary() need no input_shape argument
    return out
