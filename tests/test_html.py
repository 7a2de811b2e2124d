"""convwidget.html, the one module that writes HTML: one section per consumer, as in the module."""

from __future__ import annotations

import html as std_html
import re

from convwidget import Sequential, nn
from convwidget import layers as L
from convwidget.html import html_error, html_table

# --- model summaries --------------------------------------------------------------------------------


def _cells(table: str) -> list[list[str]]:
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)]


def test_summary_table_rows_add_up_to_its_footer() -> None:
    model = Sequential(
        [L.Input(shape=(16, 12, 3)), L.Conv2D(8, 3), L.BatchNormalization(), L.Flatten(), L.Dense(10)]
    )
    table = html_table(model.name, model.rows, "keras")
    body = [c for c in _cells(table) if len(c) == 4]
    # Layer, Output Shape, Param #, Formula: one <tr> per layer (no Buffers column for Keras).
    assert [c[0] for c in body] == [
        "conv2d (Conv2D)",
        "batch_normalization (BatchNormalization)",
        "flatten (Flatten)",
        "dense (Dense)",
    ]
    # (3·3·3 + 1)·8 = 224 on a 16×12 input → (None, 14, 10, 8); BatchNorm 4·8 = 32; 14·10·8 = 1120 features;
    # (1120 + 1)·10 = 11,210
    assert [c[1] for c in body] == ["(None, 14, 10, 8)", "(None, 14, 10, 8)", "(None, 1120)", "(None, 10)"]
    assert [c[2] for c in body] == ["224", "32", "0", "11,210"]
    total = sum(int(c[2].replace(",", "")) for c in body)
    assert f"Total params: {total:,}" in table and total == model.count_params()
    # BatchNormalization's moving mean and variance are not trained: 2·8 = 16.
    assert "Non-trainable params: 16" in table
    # The formula cell holds explain_lines, escaped, one per line.
    assert (
        body[0][3] == "(3·3·3 + 1)·8 = 224<br>Cin = 3: channels of the model&#x27;s input (None, 16, 12, 3)"
    )
    assert body[2][3] == ""


def test_summary_table_of_a_torch_model_has_buffers_and_torch_shapes() -> None:
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8))
    table = html_table(model.name, model.describe((3, 16, 12)), "torch")
    assert "<th>Buffers</th>" in table
    body = [c for c in _cells(table) if len(c) == 5]
    # BatchNorm2d: γ, β = 16 parameters; running mean, variance (16) + num_batches_tracked (1) = 17 buffers.
    assert [c[1:4] for c in body] == [["[1, 8, 14, 10]", "224", "0"], ["[1, 8, 14, 10]", "16", "17"]]
    assert "Buffers (not parameters): 17" in table


def test_summary_html_escapes_user_text() -> None:
    name = "<script>alert('x')</script>"
    model = Sequential([L.Input(shape=(4,)), L.Dense(2, name="a<b")], name="m&m")
    table = html_table(name, model.rows, "keras")
    assert "<script>" not in table and std_html.escape(name) in table
    assert "a&lt;b (Dense)" in table
    error = html_error("m&m", "x < y")
    assert error == '<p class="convwidget-summary-error">Model "m&amp;m": x &lt; y</p>'


# --- explanations -----------------------------------------------------------------------------------


# --- widgets ----------------------------------------------------------------------------------------


def test_explanation_table_says_statuses_in_words_a_learner_reads() -> None:
    from convwidget import explain_summary, seed_summary

    typo = explain_summary(seed_summary().replace("18207", "18027"))
    table = typo._repr_html_()
    assert "count fits nothing" in table and "no weights" in table
    # the raw status codes stay on the result objects, never in the table's status cells
    assert "<td>mismatch</td>" not in table and "<td>no_params</td>" not in table
    assert typo.row("conv2d_2").status == "mismatch"
