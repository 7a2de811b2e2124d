"""The seed question travels inside the package, and its model gives the seed's numbers."""

from __future__ import annotations

from pathlib import Path

import convwidget

SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "stackoverflow-conv2d-params.txt"


def test_seed_summary_is_the_quoted_table() -> None:
    text = convwidget.seed_summary()
    assert "conv2d_2 (Conv2D)            (None, 24, 24, 63)        18207     " in text
    assert "Total params: 1,181,161" in text
    if SHARED_SEED.exists():  # the original, where this checkout has it beside it
        assert text in SHARED_SEED.read_text()


def test_seed_model_counts() -> None:
    # 320 + 18,207 + 1,161,344 + 1,290 = 1,181,161
    model = convwidget.seed_model()
    assert [r.info.params for r in model.rows] == [320, 18207, 0, 0, 0, 1161344, 0, 1290]
    assert model.count_params() == 1181161
    assert model.summary_text("keras2") == convwidget.seed_summary()


def test_seed_model_code_is_the_askers() -> None:
    from convwidget.seed import seed_model_code

    code = seed_model_code()
    assert "model.add(Conv2D(63, (3, 3), activation='relu'))" in code
    assert "model.add(Dense(128, name='dense', activation='relu'))" in code
