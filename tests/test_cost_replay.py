"""Replay the recorded torchinfo 1.8 / ptflops 0.7.5 / fvcore 0.1.5 figures without the frameworks.

``tests/data/cost_torchinfo.json`` was written by ``scripts/record_costs.py`` on PyTorch 2.13: every
case's per-row torchinfo Mult-Adds and the three tools' totals. convwidget.cost must reproduce each one
(0 disagreements under "torchinfo"), and refuse exactly the conventions a case lists as undefined.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from convwidget import cost, layers
from tests.oracles import cost as cost_oracle
from tests.oracles.base import Case, read_recording, shape_problems

RECORDING = read_recording(cost_oracle.DATA)
CASES: list[Case] = RECORDING["cases"]
BY_ID = {c["id"]: c for c in CASES}


def test_recording_is_from_the_pinned_versions() -> None:
    assert RECORDING["torch_version"].startswith("2.13.0")
    versions = CASES[0]["torch"]["versions"]
    assert versions["torchinfo"] == "1.8.0"
    assert versions["ptflops"] == "0.7.5"
    assert versions["fvcore"].startswith("0.1.5")


def test_oracle_has_the_shared_shape() -> None:
    assert shape_problems(cost_oracle) == []


def test_recording_holds_every_case_the_oracle_makes() -> None:
    # the file is the oracle's cases, recorded: same ids in the same order (nothing hand-edited away)
    assert [c["id"] for c in CASES] == [c["id"] for c in cost_oracle.cases()]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_convwidget_agrees_with_the_recorded_tools(case: Case) -> None:
    assert cost_oracle.mismatches(case) == []


def test_the_issue_figures_are_in_the_recording() -> None:
    question = BY_ID["question"]["torch"]
    assert question["torchinfo_total"] == 11_866_186
    assert question["torchinfo_rows"][2] == 10_487_232  # conv2: 289 per output value, bias included
    assert question["fvcore"] == 11_808_128  # fvcore's "flops" are the textbook multiply-adds
    # ptflops counts each ReLU and the pooling twice (module hook and patched functional) and the
    # softmax once: 11,866,186 + 2·58,048 + 2·36,288 + 10. The issue's 12,054,858 is without the softmax.
    assert question["ptflops"] == 11_866_186 + 2 * (21_632 + 36_288 + 128) + 2 * 36_288 + 10 == 12_054_868
    assert BY_ID["conv-question-2"]["torch"]["torchinfo_total"] == 10_487_232


def test_the_whole_models_totals() -> None:
    for cid, shape, build in (
        ("alexnet", (3, 224, 224), cost_oracle.ALEXNET),
        ("vgg16", (3, 224, 224), cost_oracle.VGG16),
    ):
        case = BY_ID[cid]
        model = cost_oracle.build_convwidget(case)
        assert cost.mult_adds(model, "torchinfo", shape) == case["torch"]["torchinfo_total"]
        assert cost.mult_adds(model, "fvcore", shape) == case["torch"]["fvcore"]
        assert cost.mult_adds(model, "ptflops", shape) == case["torch"]["ptflops"]
        assert len(build) == len(model.describe(shape))
    assert BY_ID["alexnet"]["torch"]["torchinfo_total"] == 714_682_664
    assert BY_ID["vgg16"]["torch"]["torchinfo_total"] == 15_483_821_032


def test_torchinfo_rows_add_up_to_its_total() -> None:
    # the invariant torchinfo's own tests check, on every recorded case
    for case in CASES:
        assert sum(case["torch"]["torchinfo_rows"]) == case["torch"]["torchinfo_total"], case["id"]


def test_transposed_convolution_over_count_is_recorded() -> None:
    # torchinfo multiplies a transposed conv's parameters by the OUTPUT positions: ConvTranspose2d(16, 8, 3,
    # stride=2) on 7×7 gives 15×15 outputs, so (3·3·8·16 + 8)·15·15 = 261,000, while the products
    # actually made are 7·7·16·(3·3·8) = 56,448 (textbook, and fvcore).
    rec = BY_ID["transpose"]["torch"]
    assert rec["torchinfo_total"] == (3 * 3 * 8 * 16 + 8) * 15 * 15 == 261_000
    assert rec["fvcore"] == 7 * 7 * 16 * 3 * 3 * 8 == 56_448
    model = cost_oracle.build_convwidget(BY_ID["transpose"])
    assert cost.mult_adds(model, "textbook", (16, 7, 7)) == 56_448


def test_a_tampered_record_is_caught() -> None:
    # the replay is honest: change one recorded figure and mismatches reports it
    case = dict(BY_ID["question"])
    case["torch"] = dict(case["torch"], torchinfo_rows=[*case["torch"]["torchinfo_rows"]])
    case["torch"]["torchinfo_rows"][2] += 1
    assert cost_oracle.mismatches(case)  # type: ignore[arg-type]


KERAS_EQUIVALENTS = [
    ("separable", lambda: layers.SeparableConv2D(16, 3), (12, 12, 8)),
    ("depthwise", lambda: layers.DepthwiseConv2D(3, padding="same"), (14, 14, 16)),
    ("depthwise-multiplier", lambda: layers.DepthwiseConv2D(3, depth_multiplier=3), (10, 12, 8)),
    ("transpose", lambda: layers.Conv2DTranspose(8, 3, strides=2), (7, 7, 16)),
    ("conv-question-2", lambda: layers.Conv2D(63, 3), (26, 26, 32)),
    ("linear", lambda: layers.Dense(128), (9072,)),
]


@pytest.mark.parametrize(("cid", "make", "shape"), KERAS_EQUIVALENTS, ids=[k[0] for k in KERAS_EQUIVALENTS])
def test_keras_layers_get_their_pytorch_equivalents_recorded_figures(
    cid: str, make: Callable[[], layers.Layer], shape: tuple[int, ...]
) -> None:
    # a Keras layer is counted as the PyTorch module(s) doing the same job: SeparableConv2D as a
    # depthwise Conv2d without bias then a 1×1 Conv2d, DepthwiseConv2D as Conv2d(groups=Cin)
    rec = BY_ID[cid]["torch"]
    for convention, recorded in (
        ("torchinfo", rec["torchinfo_total"]),
        ("ptflops", rec["ptflops"]),
        ("fvcore", rec["fvcore"]),
    ):
        assert cost.mult_adds(make(), convention, shape) == recorded, convention
