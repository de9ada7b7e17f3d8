"""What the pages that train a network show while it trains: a progress bar moving with
every batch, and the loss and validation-accuracy curves growing with every epoch."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..train.loop import Epoch


class LiveTraining:
    """Place the bar and the chart where it is created; pass :meth:`batch` and :meth:`epoch`
    to the training loop as ``on_batch`` / ``on_epoch``."""

    def __init__(self, epochs: int, batches: int) -> None:
        self.epochs, self.batches = epochs, batches
        self.history: list[Epoch] = []
        self.bar = st.progress(0.0, text="press Train")
        self.chart = st.empty()

    def batch(self, epoch: int, batch: int, loss: float) -> None:
        done = ((epoch - 1) * self.batches + batch) / (self.epochs * self.batches)
        self.bar.progress(min(done, 1.0), text=f"epoch {epoch}, batch {batch} of "
                                              f"{self.batches}, loss {loss:.3f}")

    def epoch(self, stats: Epoch) -> None:
        self.history.append(stats)
        self.chart.line_chart(pd.DataFrame(
            {"training loss": [h.loss for h in self.history],
             "validation accuracy": [h.val_correct / h.val_total for h in self.history]},
            index=[h.epoch for h in self.history]))
