"""Turn what a caller passes (a LayerInfo or plain numbers) into a LayerInfo from the core, and read it."""

from __future__ import annotations

from collections.abc import Collection

from .._checks import fail, int_arg
from ..enums import Family
from ..info import KernelGeometry, LayerInfo
from ..layers import Conv2D

__all__ = ["KERNEL_FAMILIES", "as_info", "geometry_of", "planes"]

# The families whose weights are kernels a drawing can show.
KERNEL_FAMILIES = frozenset({Family.CONV, Family.TRANSPOSE, Family.DEPTHWISE, Family.SEPARABLE, Family.DENSE})

Plane = tuple[int, int]


def as_info(
    info: LayerInfo | None = None,
    *,
    kernel_size: int | tuple[int, int] | None = None,
    in_channels: int | None = None,
    out_channels: int | None = None,
    bias: bool = True,
    groups: int = 1,
    caller: str = "draw",
) -> LayerInfo:
    """Return ``info``, or the LayerInfo of the Conv2D those numbers describe.

    Plain numbers go through :class:`convwidget.layers.Conv2D`, so every number
    a drawing shows comes from the counting core. The input is taken just big
    enough for the kernel (``valid`` padding), which changes no count.
    """
    if info is not None:
        if kernel_size is not None or in_channels is not None or out_channels is not None:
            raise fail(
                caller,
                "info",
                info.layer_type if isinstance(info, LayerInfo) else info,
                "it was given together with kernel_size/in_channels/out_channels, and a drawing takes "
                "either a LayerInfo or the plain numbers, not both",
                "drop the plain numbers, or pass info=None",
            )
        if not isinstance(info, LayerInfo):
            raise fail(
                caller,
                "info",
                info,
                "it must be a LayerInfo (from layer.describe(input_shape)) or None",
                "pass layer.describe(input_shape), or kernel_size, in_channels and out_channels",
            )
        return info
    if kernel_size is None or in_channels is None or out_channels is None:
        given = {"kernel_size": kernel_size, "in_channels": in_channels, "out_channels": out_channels}
        missing = ", ".join(name for name, value in given.items() if value is None)
        raise fail(
            caller,
            missing,
            None,
            f"{missing} missing; a drawing needs a LayerInfo, or kernel_size, in_channels and "
            "out_channels (positive integers)",
        )
    layer = Conv2D(out_channels, kernel_size, use_bias=bias, groups=groups)
    cin = int_arg(f"{caller} (Conv2D)", "in_channels", in_channels)
    kh, kw = layer.kernel_size
    return layer.describe((kh, kw, cin))


def geometry_of(
    info: LayerInfo, caller: str, families: Collection[Family] = KERNEL_FAMILIES, valid: str | None = None
) -> KernelGeometry:
    """Return ``info.geometry`` if its family is one of ``families``, else raise ConfigError.

    ``valid`` says which layers ``caller`` draws, for the error message.
    """
    valid = valid or "it must be a convolution (Conv, ConvTranspose, Depthwise, Separable) or a Dense layer"
    g = info.geometry
    if g is None:
        raise fail(caller, "info", info.layer_type, f"{info.layer_type} has no kernels to draw; {valid}")
    if g.kind not in families:
        raise fail(caller, "info", info.layer_type, f"this drawing does not show {g.kind} layers; {valid}")
    return g


def planes(info: LayerInfo, caller: str) -> tuple[tuple[Plane, int], tuple[Plane, int]]:
    """((height, width), channels) of a 2-D layer's input and of its output, read through ``info.layout``."""
    spatial_in, cin = info.split(info.input_shape)
    spatial_out, cout = info.split(info.output_shape)
    if len(spatial_in) != 2 or len(spatial_out) != 2:
        raise fail(
            caller,
            "info",
            info.layer_type,
            f"it must be a 2-D layer (input of rank 3 without the batch axis), not input {info.input_shape}",
        )
    return ((spatial_in[0], spatial_in[1]), cin), ((spatial_out[0], spatial_out[1]), cout)
