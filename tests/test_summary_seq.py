"""Summaries of the sequence models of issue #17 against real Keras 3.15 and torchinfo 1.8 recordings.

``scripts/record_seq_summaries.py`` recorded ``tests/data/summaries/models_seq.json``'s models: Keras
Sequential models at every width of ``test_summary.VARIANTS`` (compared byte for byte), the functional
transformer block once (its "Connected to" column is not a Sequential's, so its rows are compared), and
each model's PyTorch version through torchinfo (convwidget's torch style is torchinfo-like: its rows
are compared, layer type, depth-index, output shape and count). Each recording also has to add up: the
printed rows give the printed total.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from convwidget import Sequential, nn
from convwidget import layers as L
from convwidget.info import Describable

DATA = Path(__file__).parent / "data" / "summaries"
SPECS = json.loads((DATA / "models_seq.json").read_text(encoding="utf-8"))["models"]
SEQUENTIAL = [s for s in SPECS if not s.get("functional")]
# the same widths as tests/test_summary.py (line_length, terminal columns)
VARIANTS = {
    "default_cols80": (None, 80),
    "default_cols200": (None, 200),
    "default_cols60": (None, 60),
    "ll65_cols200": (65, 200),
    "ll88_cols200": (88, 200),
    "ll100_cols80": (100, 80),
    "ll120_cols200": (120, 200),
    "ll40_cols200": (40, 200),
}


def _tuples(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _keras_layer(cls: str, args: list[Any], kwargs: dict[str, Any]) -> Describable:
    kwargs = {k: _tuples(v) for k, v in kwargs.items()}
    if "layer" in kwargs:  # Bidirectional's wrapped layer: [class, args, kwargs]
        kwargs["layer"] = _keras_layer(*kwargs["layer"])
    layer: Describable = getattr(L, cls)(*(_tuples(a) for a in args), **kwargs)
    return layer


def keras_model(spec: dict[str, Any]) -> Sequential:
    return Sequential(
        [L.Input(shape=tuple(spec["input_shape"])), *(_keras_layer(*x) for x in spec["layers"])],
        name=spec["name"],
    )


def torch_model(spec: dict[str, Any]) -> nn.Sequential:
    return nn.Sequential(*(getattr(nn, cls)(*args, **kwargs) for cls, args, kwargs in spec["torch_layers"]))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("spec", SEQUENTIAL, ids=[s["id"] for s in SEQUENTIAL])
def test_keras3_matches_recorded_keras(spec: dict[str, Any], variant: str) -> None:
    line_length, columns = VARIANTS[variant]
    expected = (DATA / f"{spec['id']}__{variant}.txt").read_text(encoding="utf-8")
    got = keras_model(spec).summary_text("keras3", line_length=line_length, terminal_width=columns)
    assert got == expected


# -- reading a printed table back (small readers of our own, not convwidget's parser) ------------------


def _keras_rows(text: str) -> list[tuple[str, str, int]]:
    """(label, output shape, count) of each row of a Keras 3 box table (cells joined across lines)."""
    blocks: list[list[list[str]]] = [[]]
    for line in text.splitlines():
        if line.startswith("│"):
            blocks[-1].append(line[1:-1].split("│"))
        elif line.startswith(("├", "└")):
            blocks.append([])
    rows = []
    for block in blocks[:-1]:
        cells = [" ".join(c.strip() for c in column if c.strip()) for column in zip(*block)]
        rows.append((cells[0].replace("( ", "("), cells[1], int(cells[2].replace(",", ""))))
    return rows


_TORCH_ROW = re.compile(r"^├─(?P<type>\w+): (?P<idx>1-\d+)\s+(?P<shape>\[[\d, ]+\])\s+(?P<count>[\d,]+|--)")


def _torch_rows(text: str) -> list[tuple[str, str, str, int]]:
    """(type, depth-idx, output shape, count) of each depth-1 row of a torchinfo-style table."""
    out = []
    for line in text.splitlines():
        m = _TORCH_ROW.match(line)
        if m:
            count = 0 if m["count"] == "--" else int(m["count"].replace(",", ""))
            out.append((m["type"], m["idx"], m["shape"], count))
    return out


def _total(text: str) -> int:
    m = re.search(r"Total params: ([\d,]+)", text)
    assert m is not None
    return int(m[1].replace(",", ""))


def test_functional_transformer_block_rows_match_keras() -> None:
    # Keras prints a functional model with a "Connected to" column (attention takes (x, x)); the rows
    # themselves are what convwidget's Sequential of the same layers prints.
    (spec,) = [s for s in SPECS if s.get("functional")]
    recorded = (DATA / f"{spec['id']}__functional.txt").read_text(encoding="utf-8")
    keras_rows = _keras_rows(recorded)
    assert keras_rows[0] == ("input_layer (InputLayer)", "(None, 20)", 0)
    ours = _keras_rows(keras_model(spec).summary_text("keras3", line_length=150, terminal_width=200))
    assert ours == keras_rows[1:]
    # attention: 3·(32 + 1)·2·16 + (2·16 + 1)·32 = 3,168 + 1,056 = 4,224
    assert ours[1] == ("multi_head_attention (MultiHeadAttention)", "(None, 20, 32)", 4_224)
    assert sum(r[2] for r in ours) == _total(recorded) == 40_513


@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
def test_torch_rows_match_torchinfo(spec: dict[str, Any]) -> None:
    recorded = (DATA / f"{spec['id']}__torchinfo_depth1.txt").read_text(encoding="utf-8")
    theirs = _torch_rows(recorded)
    ours = _torch_rows(torch_model(spec).summary_text(input_shape=tuple(spec["input_shape"]), style="torch"))
    assert [r[0] for r in theirs] == [cls for cls, _, _ in spec["torch_layers"]]
    assert ours == theirs
    assert sum(r[3] for r in theirs) == _total(recorded)


def test_torchinfo_children_add_up_to_the_encoder_layer() -> None:
    # At depth 3 torchinfo opens the encoder layer: attention 4·(32 + 1)·32 = 4,224, two LayerNorms
    # 2·64, feed-forward (32 + 1)·64 + (64 + 1)·32 = 2,112 + 2,080: 8,544, convwidget's one row.
    text = (DATA / "transformer_block__torchinfo.txt").read_text(encoding="utf-8")
    children = [
        int(c.replace(",", "")) for c in re.findall(r"│    └─\w+: 2-\d+\s+\[[\d, ]+\]\s+([\d,]+)", text)
    ]
    assert sum(children) == 8_544
    row = _torch_rows(torch_model(SPECS[2]).summary_text(input_shape=(20,), style="torch"))[1]
    assert row == ("TransformerEncoderLayer", "1-2", "[1, 20, 32]", 8_544)


@pytest.mark.parametrize("spec", SEQUENTIAL, ids=[s["id"] for s in SEQUENTIAL])
def test_keras_recordings_add_up(spec: dict[str, Any]) -> None:
    for variant in ("ll88_cols200", "ll120_cols200"):
        text = (DATA / f"{spec['id']}__{variant}.txt").read_text(encoding="utf-8")
        assert sum(r[2] for r in _keras_rows(text)) == _total(text)


def test_hand_checked_counts() -> None:
    imdb = _keras_rows((DATA / "imdb_lstm__ll120_cols200.txt").read_text(encoding="utf-8"))
    # 10,000·32 = 320,000; 4·((32 + 64)·64 + 64) = 24,832; 64 + 1 = 65
    assert [r[2] for r in imdb] == [320_000, 24_832, 65]
    # PyTorch's LSTM: 4·(32·64 + 64·64 + 64 + 64) = 25,088
    assert _torch_rows((DATA / "imdb_lstm__torchinfo_depth1.txt").read_text(encoding="utf-8"))[1][3] == 25_088
    bigru = _keras_rows((DATA / "bigru__ll120_cols200.txt").read_text(encoding="utf-8"))
    # 2·3·((16 + 32)·32 + 2·32) = 9,600, the same as PyTorch's 2·3·(16·32 + 32·32 + 32 + 32)
    assert bigru[1] == ("bidirectional (Bidirectional)", "(None, 100, 64)", 9_600)


def test_explain_names_the_layer_each_recurrent_row_reads() -> None:
    # Each explained recurrent row says where its F input features come from: the row printed above.
    model = keras_model(SEQUENTIAL[1])  # Embedding(5000, 16) → Bidirectional(GRU(32)) → pooling → Dense
    rows = _keras_rows(model.summary_text("keras3", line_length=200, terminal_width=220, explain=True))
    labels = [r[0] for r in rows]
    bidirectional = next(label for label in labels if label.startswith("bidirectional"))
    # 2·3·((16 + 32)·32 + 2·32) = 9,600, reading the Embedding's 16 features
    assert "2·3·((16 + 32)·32 + 2·32) = 9,600" in bidirectional
    assert "F = 16: features of embedding's output (None, 100, 16)" in bidirectional
    dense = next(label for label in labels if label.startswith("dense"))
    assert "in = 64: features of global_max_pooling1d's output (None, 64)" in dense
    torch_text = torch_model(SPECS[0]).summary_text(input_shape=(100,), style="torch", explain=True)
    assert "│    4·(32·64 + 64·64 + 64 + 64) = 25,088" in torch_text
    assert "│    F = 32: features of layer 0 (Embedding)'s output [1, 100, 32]" in torch_text


def test_a_model_fed_sequence_first_prints_the_batch_axis_second() -> None:
    # Recorded from torchinfo 1.8 on torch 2.13, input torch.zeros(5, 1, 8) (the encoder's batch_first=False):
    #   ├─TransformerEncoderLayer: 1-1  [5, 1, 8]  600  1,560     (312 leaf parameters × T = 5)
    #   ├─Linear: 1-2                   [5, 1, 3]  27   135       (27 × 5)
    from convwidget import nn as cw_nn

    model = cw_nn.Sequential(cw_nn.TransformerEncoderLayer(8, 2, 16), cw_nn.Linear(8, 3))
    text = model.summary_text(input_shape=(5, 8), columns=("mult_adds",), convention="torchinfo")
    lines = [line for line in text.splitlines() if line.startswith(("├─", "Sequential"))]
    assert [re.search(r"\[[\d, ]+\]", line).group() for line in lines] == [
        "[5, 1, 3]",
        "[5, 1, 8]",
        "[5, 1, 3]",
    ]
    assert [line.split()[-1] for line in lines[1:]] == ["1,560", "135"]
    assert "Total mult-adds (torchinfo): 1,695" in text
    # The same layers after a Linear are fed batch-first: shapes [1, 5, …] as torchinfo prints them.
    first = cw_nn.Sequential(cw_nn.Linear(8, 8), cw_nn.TransformerEncoderLayer(8, 2, 16))
    shown = first.summary_text(input_shape=(5, 8))
    assert "[1, 5, 8]" in shown and "[5, 1, 8]" not in shown
