"""The app's entry script (``streamlit run minitorch/app/main.py``): one page per topic."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# A session that trains holds the interpreter lock in 5 ms slices by default; the server's
# event loop, which serves every other session, then waits that long for each message it
# handles (a page took 44 s to open beside a Scalar training). Shorter slices keep it lively.
sys.setswitchinterval(0.0005)

PAGES = Path(__file__).with_name("views")

st.set_page_config(page_title="minitorch", layout="wide")
page = st.navigation([
    st.Page(str(PAGES / "math_page.py"), title="Math", url_path="math", default=True),
    st.Page(str(PAGES / "autodiff_page.py"), title="Autodiff", url_path="autodiff"),
    st.Page(str(PAGES / "tensors_page.py"), title="Tensors", url_path="tensors"),
    st.Page(str(PAGES / "training_page.py"), title="Training", url_path="training"),
    st.Page(str(PAGES / "optimizers_page.py"), title="Optimizers race", url_path="optimizers"),
    st.Page(str(PAGES / "digits_page.py"), title="Digits", url_path="digits"),
    st.Page(str(PAGES / "sentiment_page.py"), title="Sentiment", url_path="sentiment"),
    st.Page(str(PAGES / "modules_page.py"), title="Modules", url_path="modules"),
])
page.run()
