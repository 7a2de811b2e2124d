"""Sequential models of either dialect: layers in order, their names, shapes and running totals.

Built the way Keras code builds a model::

    >>> from convwidget import Sequential
    >>> from convwidget.layers import Conv2D, Flatten, Dense
    >>> model = Sequential()
    >>> model.add(Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)))
    >>> model.add(Conv2D(63, (3, 3), activation="relu"))
    >>> [(row.name, row.info.params) for row in model.rows]
    [('conv2d', 320), ('conv2d_1', 18207)]

The model only gathers data (:class:`Row` objects); :mod:`convwidget.summary`
and :mod:`convwidget.html` lay the data out as text or HTML. Layers are
anything :class:`~convwidget.info.Describable` with a ``dialect``, so this
module never imports a dialect module that might import it back.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar

from . import html as _html
from . import summary as _summary
from ._checks import _is_int, choice_arg, fail, shape_arg, unknown_arguments
from ._model_rows import NAMINGS, Row, _is_input, layer_names
from .enums import Dialect, SummaryStyle
from .errors import ConfigError
from .formula import group_digits
from .info import Describable, Shape

if TYPE_CHECKING:
    from .cost.receptive import ReceptiveField

__all__ = ["NAMINGS", "Model", "Row", "Sequential", "TorchSequential", "layer_names"]


class Model:
    """A stack of layers of one dialect; subclasses say how names and the input shape are found.

    Parameters
    ----------
    layers : iterable of layers, optional
        The layers in order.
    name : str, optional
        The model's name, shown in summaries.
    """

    dialect: ClassVar[Dialect] = Dialect.KERAS
    default_name: ClassVar[str] = "sequential"
    default_style: ClassVar[SummaryStyle] = SummaryStyle.KERAS3

    def __init__(self, layers: Iterable[object] | None = None, name: str | None = None) -> None:
        if name is not None and (not isinstance(name, str) or not name):
            raise fail(type(self).__name__, "name", name, "it must be a non-empty string")
        self.name = name or self.default_name
        self._layers: list[Describable] = []
        for layer in layers or ():
            self.add(layer)

    # -- building -------------------------------------------------------------------------------
    def add(self, layer: object) -> None:
        """Append a layer.

        Parameters
        ----------
        layer : layer
            A layer of this model's dialect.

        Raises
        ------
        ConfigError
            If ``layer`` is not a convwidget layer of this dialect.
        """
        index = len(self._layers)
        if isinstance(layer, Model):
            raise fail(
                self._label,
                f"layers[{index}]",
                layer,
                "a model inside a model is not supported (its rows would need their own input shapes)",
                "add the inner model's layers one by one instead",
            )
        if not isinstance(layer, Describable):
            raise fail(
                self._label,
                f"layers[{index}]",
                layer,
                "it must be a convwidget layer (something with describe(input_shape))",
            )
        dialect = getattr(layer, "dialect", None)
        if dialect != self.dialect:
            other = "convwidget.nn.Sequential" if dialect == "torch" else "convwidget.Sequential"
            raise fail(
                self._label,
                f"layers[{index}]",
                layer,
                f"it is a layer of the {dialect!r} dialect and this model holds {self.dialect!r} layers",
                f"build the model with {other}",
            )
        self._layers.append(layer)

    def compile(self, *args: object, **kwargs: object) -> None:
        """Accept Keras' compile arguments and ignore them: they change no parameter count."""

    @property
    def layers(self) -> list[Describable]:
        """The layers, in order (a copy)."""
        return list(self._layers)

    def __len__(self) -> int:
        return len(self._layers)

    @property
    def _label(self) -> str:
        """How errors name the model: its class and name."""
        return f"{type(self).__name__} '{self.name}'"

    # -- data -------------------------------------------------------------------------------------
    def _row_layers(self) -> list[Describable]:
        return list(self._layers)

    def _names(self, layers: Sequence[Describable], naming: SummaryStyle | str | None) -> list[str]:
        return layer_names(layers, naming or SummaryStyle.KERAS3)

    def _input_shape(self, input_shape: Sequence[int] | None) -> Shape:
        raise NotImplementedError

    def _keep_input(self, input_shape: Sequence[int] | None) -> None:
        """Remember the input shape a summary was given, where the model cannot know it otherwise."""

    def describe(
        self, input_shape: Sequence[int] | None = None, naming: SummaryStyle | str | None = None
    ) -> tuple[Row, ...]:
        """Describe every layer on the shape it receives.

        Parameters
        ----------
        input_shape : tuple of int, optional
            The model's input shape without the batch axis (needed when the
            model does not say it itself).
        naming : {"keras3", "keras2"}, optional
            How automatic names are numbered (Keras dialect only).

        Returns
        -------
        tuple of Row
            One row per layer, in order, with names and running totals.

        Raises
        ------
        ConfigError
            If a layer cannot take the shape it receives; the message names the
            layer (index and name), the shape and why.
        """
        layers = self._row_layers()
        shape = self._input_shape(input_shape)
        names = self._names(layers, naming)
        rows: list[Row] = []
        total = 0
        for i, (layer, name) in enumerate(zip(layers, names)):
            try:
                info = layer.describe(shape)
            except ConfigError as exc:
                where = f"the output of layer {i - 1} '{names[i - 1]}'" if i else "the model's input"
                raise fail(
                    self._label,
                    "input_shape",
                    shape,
                    f"layer {i} '{name}' ({type(layer).__name__}) cannot take the input shape {shape} "
                    f"({where}): {exc}",
                    f"change layer {i}'s arguments or the layers before it so the shapes fit",
                ) from exc
            info = dataclasses.replace(info, name=name)
            total += info.params
            rows.append(Row(i, name, info, total, names[i - 1] if i else None, layer))
            shape = info.output_shape
        return tuple(rows)

    @property
    def rows(self) -> tuple[Row, ...]:
        """Every layer's :class:`Row`, with the model's own naming and input shape."""
        return self.describe()

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    # -- totals -------------------------------------------------------------------------------------
    def count_params(self, input_shape: Sequence[int] | None = None) -> int:
        """All parameters of the model, trainable or not, as Keras' ``count_params()``."""
        return sum(r.info.params for r in self.describe(input_shape))

    def receptive_fields(self, input_shape: Sequence[int] | None = None) -> tuple[ReceptiveField, ...]:
        """What one output value of each row sees of the input, aligned with :attr:`rows`.

        Parameters
        ----------
        input_shape : tuple of int, optional
            Without the batch axis; required for PyTorch models, as in :meth:`summary`.

        Returns
        -------
        tuple of ReceptiveField
            Each with ``.size``, ``.jump`` (effective stride) and ``.start`` per spatial
            axis, and the recursion ``r' = r + (F − 1)·d·j``, ``j' = j·s`` as formulas.
        """
        from .cost.receptive import receptive_fields

        return receptive_fields(self.describe(input_shape))

    def _columns(
        self, rows: Sequence[Row], columns: Sequence[str] | None, convention: str
    ) -> _summary.Extra | None:
        """The extra summary columns' cells, or None when none were asked for (the output is unchanged)."""
        if columns is None:
            return None
        label = self._label
        if isinstance(columns, str) or not all(c in _summary.COLUMNS for c in columns):
            raise fail(
                label,
                "columns",
                columns,
                "it must be a tuple of " + ", ".join(repr(c) for c in _summary.COLUMNS),
            )
        from .cost import receptive_fields, table_of_rows
        from .cost.conventions import convention as as_convention

        cells: dict[str, tuple[str, ...]] = {}
        footer: list[str] = []
        for column in columns:
            if column == "mult_adds":
                conv = as_convention(convention)
                # Through the rows' layers: a PyTorch sequence layer's figure can depend on batch_first.
                called = table_of_rows([(r.index, r.name, r.info, r.layer) for r in rows], conv)
                figures = [c.mult_adds for c in called.rows]
                cells[column] = tuple(group_digits(n) if n else "--" for n in figures)
                footer.append(f"Total mult-adds ({conv}): {group_digits(sum(figures))}")
            else:
                fields = receptive_fields(rows)
                cells[column] = tuple(_summary.receptive_cell(f.size, f.whole_input) for f in fields)
        return _summary.Extra(tuple(columns), cells, tuple(footer))

    # -- text ---------------------------------------------------------------------------------------
    def _style(self, style: SummaryStyle | str | None) -> SummaryStyle:
        if style is None:
            return self.default_style
        return SummaryStyle(choice_arg(self._label, "style", style, _summary.STYLES))

    def _format(self, fmt: str) -> str:
        return str(choice_arg(self._label, "fmt", fmt, _summary.FORMATS))

    def summary_text(
        self,
        style: SummaryStyle | str | None = None,
        line_length: int | None = None,
        explain: bool = False,
        input_shape: Sequence[int] | None = None,
        terminal_width: int | None = None,
        *,
        columns: Sequence[str] | None = None,
        convention: str = "textbook",
        fmt: str = "text",
    ) -> str:
        """Return the summary :meth:`summary` prints, as one string.

        Parameters are those of :meth:`summary`.
        """
        self._keep_input(input_shape)
        style = self._style(style)
        # Keras 2 numbered every automatic name from _1; the other styles name layers as Keras 3 does.
        naming = SummaryStyle.KERAS2 if style is SummaryStyle.KERAS2 else None
        fmt = self._format(fmt)
        rows = self.describe(input_shape, naming=naming)
        extra = self._columns(rows, columns, convention)
        torch_label = "Sequential" if self.dialect is Dialect.TORCH else self.name
        if fmt != "text":
            # Slides and handouts: the same cells and totals, laid out by convwidget.export (pure text).
            from .export import render_table, summary_table

            title = torch_label if style is SummaryStyle.TORCH else f'Model: "{self.name}"'
            return render_table(summary_table(title, rows, style, explain, extra), fmt)
        if style is SummaryStyle.KERAS2:
            if extra is not None:
                raise fail(
                    self._label,
                    "columns",
                    columns,
                    "the Keras 2 table has fixed columns",
                    "use style='keras3' or style='torch' for extra columns",
                )
            return "\n".join(_summary.keras2_lines(rows, line_length=line_length, explain=explain)) + "\n"
        if style is SummaryStyle.KERAS3:
            return _summary.keras3_text(
                self.name,
                rows,
                line_length=line_length,
                explain=explain,
                terminal_width=terminal_width,
                extra=extra,
            )
        return _summary.torch_text(
            torch_label,
            rows,
            line_length=line_length,
            explain=explain,
            extra=extra,
        )

    def summary(
        self,
        style: SummaryStyle | str | None = None,
        line_length: int | None = None,
        print_fn: Callable[[str], object] | None = None,
        explain: bool = False,
        *,
        input_shape: Sequence[int] | None = None,
        terminal_width: int | None = None,
        columns: Sequence[str] | None = None,
        convention: str = "textbook",
        fmt: str = "text",
    ) -> None:
        """Print the model's summary as Keras (or torchinfo) prints it, or as Markdown or LaTeX.

        Parameters
        ----------
        style : {"keras3", "keras2", "torch"}, optional
            ``"keras2"``: the classic Keras 2 table (names numbered from ``_1``);
            ``"keras3"``: Keras 3's box-drawn table; ``"torch"``: a torchinfo-like
            table. Default: the dialect's usual format.
        line_length : int, optional
            Total width. Keras 3's default is ``min(88, terminal width − 4)``, so
            notebooks should pass it; Keras 2's is 65.
        print_fn : callable, optional
            Receives the text instead of ``print``: once per line for ``"keras2"``
            (as Keras 2 did), once with the whole table otherwise (as Keras 3 does).
        explain : bool
            Add, under each row with parameters, its formula with the numbers
            filled in and where its input channels come from.
        input_shape : tuple of int, optional
            Input shape without the batch axis, when the model does not know it
            (required for the PyTorch dialect).
        terminal_width : int, optional
            Width of the pretend terminal (default: the real one, honouring
            ``COLUMNS``); Keras 3 cuts its table off at this width.
        columns : tuple of str, optional
            Extra columns after Param # (keras3 and torch styles): ``"mult_adds"``
            (each row's multiply-adds under ``convention``, and the total under the
            table) and ``"receptive_field"`` (what one output value sees, e.g. ``5×5``).
            Without it the table is exactly the framework's.
        convention : {"textbook", "torchinfo", "ptflops", "fvcore"}
            How the ``"mult_adds"`` column counts (see :mod:`convwidget.cost`).
        fmt : {"text", "markdown", "latex"}
            ``"text"``: the framework's table. ``"markdown"``: a pipe table; ``"latex"``: a
            booktabs ``tabular`` (for slides and handouts; the same columns, comma-grouped
            counts, formulas with ``explain=True`` and totals; ``line_length`` is not used).
        """
        text = self.summary_text(
            style,
            line_length,
            explain,
            input_shape,
            terminal_width,
            columns=columns,
            convention=convention,
            fmt=fmt,
        )
        if print_fn is None:
            sys.stdout.write(text)
        elif self._style(style) is SummaryStyle.KERAS2 and fmt == "text":
            for line in text.splitlines():
                print_fn(line)
        else:
            print_fn(text)

    def _repr_html_(self) -> str:
        try:
            rows = self.describe()
        except ConfigError as exc:
            return _html.html_error(self.name, str(exc))
        return _html.html_table(self.name, rows, self.dialect)

    def __repr__(self) -> str:
        return f"<convwidget {type(self).__name__} '{self.name}' with {len(self._layers)} layers>"


class Sequential(Model):
    """A Keras-dialect model, built like ``keras.Sequential``.

    The input shape comes from the first layer's ``input_shape=`` (or
    ``input_dim=``), from a leading :func:`convwidget.layers.Input`, or from
    :meth:`build`. Unnamed layers get Keras' automatic names, counted per model.

    Parameters
    ----------
    layers : iterable of layers, optional
        Layers of :mod:`convwidget.layers`.
    name : str, optional
        The model's name (default ``"sequential"``).
    **kwargs
        Other ``keras.Sequential`` arguments (``trainable``) are accepted and ignored.
    """

    dialect = Dialect.KERAS
    default_style = SummaryStyle.KERAS3

    def __init__(
        self, layers: Iterable[object] | None = None, name: str | None = None, **kwargs: object
    ) -> None:
        unknown = sorted(set(kwargs) - {"trainable"})
        if unknown:
            raise unknown_arguments(
                "Sequential",
                unknown,
                "keras.Sequential takes layers, name and trainable",
                "use the arguments of keras.Sequential",
            )
        self._built_shape: Shape | None = None
        super().__init__(layers, name)

    def add(self, layer: object) -> None:
        super().add(layer)
        if _is_input(self._layers[-1]) and len(self._layers) > 1:
            self._layers.pop()
            raise fail(
                f"Sequential '{self.name}'",
                f"layers[{len(self._layers)}]",
                layer,
                "an Input can only be the first layer of a Sequential model",
            )

    def build(self, input_shape: Sequence[int | None]) -> None:
        """Fix the input shape, as ``keras.Sequential.build((None, 28, 28, 1))``.

        Parameters
        ----------
        input_shape : tuple
            The shape with the batch axis first (``None`` or an int).
        """
        if (
            not isinstance(input_shape, Sequence)
            or isinstance(input_shape, str)
            or len(input_shape) < 2
            or not (input_shape[0] is None or _is_int(input_shape[0]))
        ):
            raise fail(
                f"Sequential '{self.name}'",
                "input_shape",
                input_shape,
                "build() takes the shape with the batch axis first, e.g. (None, 28, 28, 1)",
            )
        self._built_shape = shape_arg(f"Sequential '{self.name}'", tuple(input_shape[1:]))

    def _row_layers(self) -> list[Describable]:
        return [la for la in self._layers if not _is_input(la)]

    def _input_shape(self, input_shape: Sequence[int] | None) -> Shape:
        label = f"Sequential '{self.name}'"
        if input_shape is not None:
            return shape_arg(label, input_shape)
        if self._built_shape is not None:
            return self._built_shape
        if self._layers:
            # The first layer's input_shape= (an Input's shape) or input_dim=, as Keras layers keep them.
            first = self._layers[0]
            given = getattr(first, "input_shape", None)
            if given is not None:
                return tuple(given)
            config = getattr(first, "config", {}) or {}
            if config.get("input_dim") is not None:
                return shape_arg(label, (config["input_dim"],))
            if config.get("batch_input_shape") is not None:
                return shape_arg(label, tuple(config["batch_input_shape"])[1:])
        raise fail(
            label,
            "input_shape",
            None,
            "the input shape is unknown: no layer fixes it",
            "give the first layer input_shape=(28, 28, 1), start with "
            "convwidget.layers.Input(shape=(28, 28, 1)), or call model.build((None, 28, 28, 1))",
        )


class TorchSequential(Model):
    """A PyTorch-dialect model, built like ``torch.nn.Sequential``: layers positionally or an OrderedDict.

    The input shape (without the batch axis, e.g. ``(1, 28, 28)``) is given to
    :meth:`summary` or :meth:`describe`, as torchinfo takes it. Layers are named
    by position (``"0"``, ``"1"``, …) or by the OrderedDict's keys, as PyTorch names them.
    """

    dialect = Dialect.TORCH
    default_name = "Sequential"
    default_style = SummaryStyle.TORCH

    def __init__(self, *layers: object, name: str | None = None) -> None:
        self._keys: list[str] | None = None
        if len(layers) == 1 and isinstance(layers[0], OrderedDict):
            self._keys = [str(k) for k in layers[0]]
            layers = tuple(layers[0].values())
        super().__init__(layers, name)
        self._input: Shape | None = None

    def add_module(self, name: str, layer: object) -> None:
        """Append ``layer`` under ``name``, as ``torch.nn.Module.add_module``."""
        if self._keys is None:
            self._keys = [str(i) for i in range(len(self._layers))]
        self.add(layer)
        self._keys.append(str(name))

    def append(self, layer: object) -> TorchSequential:
        """Append a layer, as ``torch.nn.Sequential.append``."""
        if self._keys is not None:
            self._keys.append(str(len(self._layers)))
        self.add(layer)
        return self

    def _names(self, layers: Sequence[Describable], naming: SummaryStyle | str | None) -> list[str]:
        if self._keys is not None:
            return list(self._keys)
        return [str(i) for i in range(len(layers))]

    def _input_shape(self, input_shape: Sequence[int] | None) -> Shape:
        label = f"nn.Sequential '{self.name}'"
        if input_shape is not None:
            return shape_arg(label, input_shape)
        if self._input is not None:
            return self._input
        raise fail(
            label,
            "input_shape",
            None,
            "the input shape is unknown; PyTorch layers do not record it",
            "pass it without the batch axis, e.g. model.summary(input_shape=(1, 28, 28))",
        )

    def _keep_input(self, input_shape: Sequence[int] | None) -> None:
        if input_shape is not None:
            # Remember it, so the notebook's HTML repr and later calls can show the model.
            self._input = shape_arg(f"nn.Sequential '{self.name}'", input_shape)

    def summary(  # type: ignore[override]
        self,
        input_shape: Sequence[int] | None = None,
        style: SummaryStyle | str | None = None,
        line_length: int | None = None,
        print_fn: Callable[[str], object] | None = None,
        explain: bool = False,
        *,
        terminal_width: int | None = None,
        columns: Sequence[str] | None = None,
        convention: str = "textbook",
        fmt: str = "text",
    ) -> None:
        """Print a torchinfo-like summary; ``input_shape`` (no batch axis) comes first, as in torchinfo.

        See :meth:`Model.summary` for the other parameters.
        """
        super().summary(
            style,
            line_length,
            print_fn,
            explain,
            input_shape=input_shape,
            terminal_width=terminal_width,
            columns=columns,
            convention=convention,
            fmt=fmt,
        )

    def _repr_html_(self) -> str:
        if self._input is None:
            return _html.html_error(
                self.name, "the input shape is unknown until summary(input_shape=...) is called"
            )
        return super()._repr_html_()
