"""The course's trainers: the scalar, tensor and fast-tensor networks on the 2-D data sets
(:mod:`~minitorch.train.scalar_train`, :mod:`~minitorch.train.tensor_train`), LeNet on MNIST
(:mod:`~minitorch.train.mnist_train`) and the sentence CNN
(:mod:`~minitorch.train.sentiment_train`), the epoch loop they share
(:mod:`~minitorch.train.loop`) and a progress bar (:mod:`~minitorch.train.progress`).  The
``minitorch`` command that runs them is :mod:`minitorch.cli`."""
