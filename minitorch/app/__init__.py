"""``minitorch app``: an interactive companion to the course, in Streamlit.

Pages (each with a short text and the code it runs): Math (every operator and its
derivative), Autodiff (an expression typed in, drawn as its computation graph with data and
gradients), Tensors (shape, strides and storage; permute, view and broadcast as one storage
read differently), Training (the course's network learning a data set, live), Optimizers race
(every optimizer's path on 2-D surfaces), Digits (LeNet on MNIST, its predictions and feature
maps), Sentiment (the sentence CNN on review snippets, reading a typed sentence), Modules (the
tree and parameters of the library's models).  Start it with
``minitorch app`` (extra ``app``: ``pip install "minitorch[app]"``).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

MAIN = Path(__file__).with_name("main.py")
"""The Streamlit script of the app."""


def command(host: str = "127.0.0.1", port: int = 8501) -> list[str]:
    """The command line that serves the app on ``host:port`` (localhost unless told)."""
    return [
        sys.executable, "-m", "streamlit", "run", str(MAIN),
        "--server.address", host, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--runner.magicEnabled", "false",  # only what the pages draw on purpose
    ]


def run(host: str = "127.0.0.1", port: int = 8501) -> int:
    """Serve the app until interrupted; the exit code of the server."""
    try:
        import streamlit  # noqa: F401
    except ImportError:
        print('minitorch app needs Streamlit: pip install "minitorch[app]" '
              "(or pip install streamlit)", file=sys.stderr)
        return 2
    print(f"minitorch app: open http://{host}:{port} in a browser (Ctrl-C stops it)")
    server = subprocess.Popen(command(host, port))
    # the server is a child process: stopping this command (a terminal closing, a service
    # manager's SIGTERM) must stop it too, or it keeps serving with no one to stop it
    stops = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
    before = {s: signal.signal(s, lambda *_: server.terminate()) for s in stops}
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 130
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
