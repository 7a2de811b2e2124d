"""Turn what a caller passes (a LayerInfo or plain numbers) into a LayerInfo from the core."""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError
from ..info import KernelGeometry, LayerInfo
from ..layers import Conv2D

__all__ = ["as_info", "geometry_of"]


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
    numbers = (kernel_size, in_channels, out_channels)
    if info is not None:
        if any(n is not None for n in numbers):
            raise ConfigError(
                f"{caller}: info={info!r} was given together with kernel_size/in_channels/out_channels; "
                "pass either a LayerInfo or the plain numbers, not both"
            )
        if not isinstance(info, LayerInfo):
            raise ConfigError(
                f"{caller}: info={info!r} is invalid; it must be a LayerInfo (from layer.describe(...)) "
                "or None with kernel_size, in_channels and out_channels given"
            )
        return info
    missing = [n for n, v in zip(("kernel_size", "in_channels", "out_channels"), numbers) if v is None]
    if missing:
        raise ConfigError(
            f"{caller}: {', '.join(missing)} missing; pass a LayerInfo, or kernel_size, in_channels and "
            "out_channels (positive integers)"
        )
    layer = Conv2D(out_channels, kernel_size, use_bias=bias, groups=groups)  # type: ignore[arg-type]
    from .._checks import int_arg

    cin = int_arg(f"{caller} (Conv2D)", "in_channels", in_channels)
    kh, kw = layer.kernel_size
    return layer.describe((kh, kw, cin))


def geometry_of(info: LayerInfo, caller: str) -> KernelGeometry:
    """Return ``info.geometry`` or raise ConfigError for layers without kernels."""
    if info.geometry is None:
        raise ConfigError(
            f"{caller}: layer {info.layer_type} has no kernels to draw; it must be a convolution "
            "(Conv, ConvTranspose, Depthwise, Separable) or a Dense layer"
        )
    return info.geometry


def describe_numbers(**kwargs: Any) -> LayerInfo:
    """Shorthand for :func:`as_info` with plain numbers only."""
    return as_info(None, **kwargs)
