# %% [markdown]
# # Compiled steps: record once, replay without Python
#
# An eager training step on small tensors spends most of its time in Python, not in
# arithmetic: every operation makes a `Tensor`, a `TensorData`, a history node and a
# `Context`, checks shapes, and finds its kernel; `backward()` walks the graph and sums
# gradients; the optimizer loops over parameters. For a batch of 10 rows through a
# 2-100-100-1 network that is about 100 operations of 5-20 microseconds each, while the
# arithmetic itself (three small matrix products) takes a few microseconds.
#
# `minitorch.compile` removes that Python. This page shows how, with timings measured as
# it runs. (The same idea is behind CUDA graphs, tinygrad's `TinyJit` and the
# "reduce-overhead" mode of `torch.compile`.)

# %%
import inspect
import time

import numpy as np

import minitorch
from minitorch import Tensor
from minitorch.replay import tape
from minitorch.train.tensor_train import point_log_loss
from minitorch.viz.figure import single

rng = np.random.default_rng(0)


def network(hidden: int = 100):
    """A 2 -> hidden -> hidden -> 1 network, its SGD optimizer and a training step."""
    params = [
        minitorch.Parameter(minitorch.tensor(rng.uniform(-1, 1, shape) / np.sqrt(shape[0])))
        for shape in [(2, hidden), (hidden,), (hidden, hidden), (hidden,), (hidden, 1), (1,)]
    ]
    optim = minitorch.SGD(params, lr=0.05)

    def step(x: Tensor, y: Tensor) -> float:
        w1, b1, w2, b2, w3, b3 = (p.value for p in params)
        optim.zero_grad()
        h = (x @ w1 + b1).relu()
        h = (h @ w2 + b2).relu()
        out = (h @ w3 + b3).sigmoid().view(y.shape[0])
        loss = point_log_loss(out, y).sum() / y.shape[0]
        loss.backward()
        optim.step()
        return loss.item()

    return step, params


x = minitorch.tensor(rng.uniform(size=(10, 2)))
y = minitorch.tensor((rng.uniform(size=10) > 0.5) * 1.0)

# %% [markdown]
# ## 1. Every computation is a *launch* on the tape
#
# All work on tensor data goes through one function, `tape.launch(fn, out, *args)`: a kernel
# of the backend, a numpy computation of a Function (a convolution), setting a gradient, an
# optimizer's update. Outside a recording it just calls `fn`. Inside a `tape.Recording`, it
# also keeps the launch and the buffers it touched. Here is one step, recorded:

# %%
step, params = network()
with tape.Recording([x._tensor._storage, y._tensor._storage]) as rec:
    step(x, y)


def name(fn) -> str:
    return getattr(fn, "__qualname__", type(fn).__name__).split(".")[-1]


print(len(rec.launches), "launches; the first ten:")
for fn, args in rec.launches[:10]:
    shape = args[0].shape if isinstance(args[0], np.ndarray) else "-"
    print(f"  {name(fn):22s} writes {shape}")

# %% [markdown]
# The buffers fall in three kinds. *Written* ones were allocated during the call and filled by a
# launch (activations, gradients); *created* ones were allocated during the call but filled by
# Python (the constant `1e-6` of the loss); *persistent* ones are older (the weights, the
# optimizer's state). The arguments' storages are the *inputs*.
#
# ## 2. Two equal recordings, then replays
#
# A replay calls the recorded launches again, on the same buffers: the new arguments are
# copied into the input buffers first, and the result is read back out of its buffer at the
# end. No `Tensor`, history or graph walk is made. That is only right if the call would have
# launched exactly the same work, so `minitorch.compile` records twice and replays only when
# the two recordings agree: the same functions, the same constants, the same persistent
# buffers, and written buffers that correspond one to one (`Recording.signature`).

# %%
step, params = network()
compiled = minitorch.compile(step)
for _ in range(5):
    compiled(x, y)
print(compiled.stats)  # two recorded calls, then replays

# %% [markdown]
# Replaying gives exactly the eager numbers, bit for bit: the same kernels run on the same
# values in the same order. Here the same network is trained eagerly and compiled, from
# the same weights, for 50 steps:

# %%
eager_step, eager_params = network()
compiled_step, compiled_params = network()
for p, q in zip(eager_params, compiled_params):
    q.update(p.value.detach() + 0.0)  # the same starting weights
compiled_step = minitorch.compile(compiled_step)
for _ in range(50):
    assert eager_step(x, y) == compiled_step(x, y)
print(all(np.array_equal(p.value.to_numpy(), q.value.to_numpy())
          for p, q in zip(eager_params, compiled_params)))

# %% [markdown]
# ## 3. Guards: when a replay would be wrong, record again (or stay eager)
#
# A replay sees none of the Python of the function, so `compile` checks what could change
# the work before each call (`minitorch.replay.guards`): the arguments' kinds and shapes (a
# new shape gets its own recordings) and the contents of arrays, lists and dicts passed in;
# the globals and closures your code read while it recorded (numbers by value, objects by
# identity); each parameter's storage; whether gradients are recorded; the model's state (a
# Parameter given a new tensor, `train()` / `eval()`); and gradients that the recording
# started from `None`. Change a global the step reads and the next call records again:
#
# %%
SCALE = 2.0


def scaled_step(x: Tensor, y: Tensor) -> float:
    return (point_log_loss(x.sum(1).sigmoid(), y).sum() * SCALE).item()


scaled = minitorch.compile(scaled_step)
for _ in range(4):
    scaled(x, y)
SCALE = 3.0  # read by the step: its replays would give the old numbers
print(scaled(x, y) == scaled_step(x, y), scaled.stats)

# %% [markdown]
# What cannot be checked is refused: a function that reads a value with `.item()` and then
# keeps computing may take another branch next time, so it runs eagerly, with a warning
# that says why (`fullgraph=True` makes it an error).

# %%
import warnings


def clipped_step(x: Tensor, y: Tensor) -> float:
    loss = point_log_loss(x.sum(1).sigmoid(), y).sum()
    if loss.item() > 100:  # Python control flow on a tensor value
        loss = loss * 0.1
    return (loss * 2).item()

with warnings.catch_warnings(record=True):
    warnings.simplefilter("always")
    guarded = minitorch.compile(clipped_step)
    guarded(x, y)
print(guarded.explain())

# %% [markdown]
# ## 4. Fusion: one kernel for a run of elementwise launches
#
# Many launches are small elementwise kernels in a row (add a bias, ReLU; the loss's
# arithmetic). Each costs numba's dispatch, about a microsecond, and a pass over memory.
# `minitorch.replay.fusion` replaces each run of them (over the same positions, operands laid out
# like the output, or a broadcast constant or row) by one generated kernel that runs the
# same scalar functions in the same order position by position, so the results stay bit
# for bit the same. This is the longest kernel it generated for this network (the loss's arithmetic):

# %%
step, params = network()
fused = minitorch.compile(step, fuse=True)  # fuse at once (by default: after 1000 replays)
for _ in range(3):
    fused(x, y)
(entry,) = fused.entries.values()
kernels = [fn for fn, _ in entry.tape.launches if name(fn) == "fused"]
print(f"{len(entry.tape.recorded)} launches -> {len(entry.tape.launches)}, "
      f"{len(kernels)} of them fused")
longest = max(kernels, key=lambda k: len(inspect.getsource(k.py_func)))
print(inspect.getsource(longest.py_func))

# %% [markdown]
# Compiling a fused kernel takes about half a second, once per machine (they are cached on
# disk beside the package). Fusion saves a microsecond or two per launch and step, so by
# default a compiled function uses the fused kernels it finds at once, and compiles the
# missing ones only after 1000 replays, when a long run will repay them.
#
# ## 5. What it buys
#
# Time per training step of this network, for three widths: eager, compiled, and compiled
# with fusion (medians of a few hundred steps, on the machine that ran this page).

# %%
def per_step(fn, n: int = 200) -> float:
    for _ in range(5):
        fn(x, y)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n // 5):
            fn(x, y)
        times.append((time.perf_counter() - start) / (n // 5))
    return float(np.median(times)) * 1e6


widths = [32, 100, 300]
timings = {"eager": [], "compiled": [], "compiled + fused": []}
for hidden in widths:
    timings["eager"].append(per_step(network(hidden)[0]))
    timings["compiled"].append(per_step(minitorch.compile(network(hidden)[0], fuse=False)))
    timings["compiled + fused"].append(per_step(minitorch.compile(network(hidden)[0], fuse=True)))
for label, values in timings.items():
    print(f"{label:18s}", "  ".join(f"{v:7.0f} us" for v in values))


def bars(ax) -> None:
    width = 0.27
    for k, (label, values) in enumerate(timings.items()):
        ax.bar(np.arange(len(widths)) + (k - 1) * width, values, width, label=label)
    ax.set_xticks(range(len(widths)), [f"hidden {w}" for w in widths])
    ax.set_ylabel("microseconds per training step")
    ax.legend()


single(bars)

# %% [markdown]
# The benchmarks (`python -m benchmarks`, B2-B4) compare the same steps with PyTorch's eager
# mode on this machine; the README's table has the figures.
#
# ## What is not replayed
#
# Only the tensor work is replayed. Python side effects of the function (printing, counters)
# happen during the recorded calls only, and numbers computed in Python from anything but the
# tensor arguments and the model are replayed as the constants they were; two recordings that
# differ in them do not agree, so such a function stays eager. Pass data that changes as tensor
# arguments. CUDA kernels are not replayable yet: a step on `CudaBackend` runs eagerly.
