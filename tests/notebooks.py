"""Torch-first lessons as notebook cells (linear algebra, calculus, regression by gradient
descent and SGD, a layer of artificial neurons, data loaders), written the way PyTorch
teaching notebooks write them: ``import torch`` and go.  tests/product/test_notebooks.py runs them
with ``torch`` bound to minitorch and to PyTorch and compares every displayed number."""

from __future__ import annotations

from .notebook_harness import Cell

C = Cell

LINEAR_ALGEBRA = [
    C("x = torch.tensor(25, dtype=torch.float16)\nx"),
    C("x.shape"),
    C("v = torch.tensor([25, 2, 5])\nv"),
    C("len(v)"),
    C("v[0], v[-1]"),
    C("v.T"),
    C("X = torch.tensor([[25, 2], [5, 26], [3, 7]])\nX"),
    C("X.shape"),
    C("X.size()"),
    C("X[1, :]"),
    C("X[:, 0]"),
    C("X[0:2, 0:2]"),
    C("images = torch.zeros([32, 28, 28, 3])\nimages.shape"),
    C("X * 2 + 2"),
    C("torch.add(torch.mul(X, 2), 2)"),
    C("A = X + 2\nA + X"),
    C("A * X"),
    C("X.sum()"),
    C("torch.sum(X, 0)"),
    C("torch.sum(X, 1)"),
    C("torch.mean(X.float())"),
    C("X.max(), X.min(), X.argmax()"),
    C("np.dot(torch.tensor([25, 2, 5]), torch.tensor([0, 1, 2]))"),
    C("torch.dot(torch.tensor([25, 2, 5.]), torch.tensor([0, 1, 2.]))"),
    C("x = torch.tensor([25, 2, 5.])\ntorch.norm(x)"),
    C("torch.linalg.norm(x, 1), torch.linalg.norm(x, float('inf'))"),
    C("(x ** 2).sum() ** 0.5"),
    C("torch.tensor([[1, 2], [3, 4.]]).norm()"),
    C("A = torch.tensor([[3, 4], [5, 6], [7, 8]])\nb = torch.tensor([1, 2])\ntorch.matmul(A, b)"),
    C("A @ b"),
    C("B = torch.from_numpy(np.array([[1, 9], [2, 0]]))\ntorch.matmul(A, B)"),
    C("A.T"),
    C("I = torch.eye(3)\nI @ torch.tensor([25, 2, 5.])"),
    C("X = torch.tensor([[4, 2], [-5, -3.]])\nXinv = torch.inverse(X)\nXinv"),
    C("y = torch.tensor([4, -7.])\ntorch.matmul(Xinv, y)"),
    C("torch.linalg.solve(X, y)"),
    C("torch.matmul(X, Xinv)"),
    C("torch.zeros(3), torch.ones(2, 2), torch.full((2,), 7.)"),
    C("torch.arange(5), torch.linspace(0, 1, 5)"),
    C("torch.cat([torch.ones(2), torch.zeros(3)]), torch.stack([torch.ones(2), torch.zeros(2)])"),
    C("X.reshape(4), X.view(-1), X.flatten()"),
    C("X.unsqueeze(0).shape, X.unsqueeze(0).squeeze().shape"),
    C("torch.transpose(X, 0, 1)"),
    C("torch.outer(torch.tensor([1., 2.]), torch.tensor([3., 4., 5.]))"),
    C("X.tolist()"),
    C("X.numpy()"),
    C("torch.tensor(np.array([[1., 2.], [3., 4.]])) * 2"),
]

LINEAR_ALGEBRA_II = [
    C("A = torch.tensor([[-1, 4], [2, -2.]])\nlambdas_cplx, V_cplx = torch.linalg.eig(A)\nV_cplx"),
    C("lambdas_cplx"),
    C("V = V_cplx.float()\nv = V[:, 0]\nv"),
    C("lambdas = lambdas_cplx.float()\nlam = lambdas[0]\nlam"),
    C("Av = torch.matmul(A.float(), v)\nAv"),
    C("lam * v"),
    C("torch.linalg.eigvals(A)"),
    C("P = torch.tensor([[25, 2, -5], [3, -2, 1], [5, 7, 4.]])\nL, Vp = torch.linalg.eig(P)\nL"),
    C("Vp = Vp.float()\nVinv = torch.inverse(Vp)\nLam = torch.diag(L.float())\nLam"),
    C("torch.matmul(Vp, torch.matmul(Lam, Vinv))"),
    C("S = torch.tensor([[2, 1], [1, 2.]])\nevals, evecs = torch.linalg.eigh(S)\nevals"),
    C("evecs.abs()"),
    C("X = torch.tensor([[4, 2], [-5, -3.]])\ntorch.det(X)"),
    C("N = torch.tensor([[-4, 1], [-8, 2.]])\ntorch.det(N)"),
    C("torch.linalg.det(torch.tensor([[1, 2, 4], [2, -1, 3], [0, 5, 1.]]))"),
    C("M = torch.tensor([[-1, 2], [3, -2], [5, 7.]])\nU, d, VT = torch.linalg.svd(M)\nd"),
    C("torch.linalg.svdvals(M)"),
    C("torch.pinverse(M)"),
    C("torch.linalg.pinv(M) @ M"),
    C("T = torch.tensor([[25, 2], [5, 4.]])\ntorch.trace(T)"),
    C("torch.norm(T)"),
    C("torch.sqrt(torch.trace(torch.matmul(T, T.T)))"),
    C("torch.linalg.matrix_norm(T), torch.linalg.matrix_norm(T, 'nuc')"),
    C("torch.linalg.inv(T) @ T"),
]

CALCULUS = [
    C("x = torch.tensor(5.0)\nx.requires_grad_()\ny = x**2\ny.backward()\nx.grad"),
    C("x = torch.tensor(0.).requires_grad_()\ny = torch.tensor(0.).requires_grad_()\n"
      "z = x**2 - y**2\nz.backward()\nx.grad, y.grad"),
    C("def cylinder_vol(my_r, my_l):\n    return math.pi * my_r**2 * my_l\n"
      "r = torch.tensor(3.).requires_grad_()\nl = torch.tensor(5.).requires_grad_()\n"
      "v = cylinder_vol(r, l)\nv"),
    C("v.backward()\nl.grad"),
    C("r.grad"),
    C("math.pi * 3**2, 2 * math.pi * 3 * 5"),
    C("x = torch.tensor([0.5, -1.5], requires_grad=True)\n"
      "f = torch.sigmoid(x).sum() + torch.relu(x).sum() + torch.tanh(x).sum()\n"
      "f.backward()\nx.grad"),
    C("xs = torch.tensor([0, 1, 2, 3, 4, 5, 6, 7.])\n"
      "ys = torch.tensor([1.86, 1.31, .62, .33, .09, -.67, -1.23, -1.37])"),
    C("def regression(my_x, my_m, my_b):\n    return my_m*my_x + my_b"),
    C("m = torch.tensor([0.9]).requires_grad_()\nb = torch.tensor([0.1]).requires_grad_()"),
    C("i = 7\nx = xs[i]\ny = ys[i]\nfloat(x), float(y)"),
    C("yhat = regression(x, m, b)\nyhat"),
    C("def squared_error(my_yhat, my_y):\n    return (my_yhat - my_y)**2\n"
      "C = squared_error(yhat, y)\nC"),
    C("C.backward()\nm.grad"),
    C("b.grad"),
    C("2*x*(yhat.item()-y)"),
    C("gradient = torch.tensor([[b.grad.item(), m.grad.item()]]).T\ngradient"),
    C("m = torch.tensor([0.9]).requires_grad_()\nb = torch.tensor([0.1]).requires_grad_()\n"
      "def mse(my_yhat, my_y):\n    sigma = torch.sum((my_yhat - my_y)**2)\n"
      "    return sigma/len(my_y)\nyhats = regression(xs, m, b)\nC = mse(yhats, ys)\nC"),
    C("C.backward()\nm.grad, b.grad"),
    C("2*1/len(ys)*torch.sum(torch.multiply(xs, yhats-ys))"),
    C("gradient = torch.tensor([[b.grad, m.grad]]).T\ntheta = torch.tensor([[b, m]]).T\n"
      "lr = 0.01\nnew_theta = theta - lr*gradient\nnew_theta"),
    C("b = new_theta[0].requires_grad_()\nm = new_theta[1].requires_grad_()\n"
      "C = mse(regression(xs, m, b), ys)\nC"),
    C("for epoch in range(8):\n    yhats = regression(xs, m, b)\n    C = mse(yhats, ys)\n"
      "    C.backward()\n    gradient = torch.tensor([[b.grad, m.grad]]).T\n"
      "    theta = torch.tensor([[b, m]]).T\n    new_theta = theta - lr*gradient\n"
      "    b = new_theta[0].requires_grad_()\n    m = new_theta[1].requires_grad_()\n"
      "m.item(), b.item()"),
    C("fig, ax = plt.subplots()\nax.scatter(xs, ys)\nx_min, x_max = ax.get_xlim()\n"
      "y_min = regression(x_min, m, b).detach().item()\n"
      "y_max = regression(x_max, m, b).detach().item()\n"
      "_ = ax.plot([x_min, x_max], [y_min, y_max])\ny_min, y_max"),
    C("title = 'Cost = {}'.format('%.3g' % C.item())\nlen(title) > 0"),
]

GRADIENT_DESCENT = [
    C("x = torch.tensor([0, 1, 2, 3, 4, 5, 6, 7.])\n"
      "y = torch.tensor([1.86, 1.31, .62, .33, .09, -.67, -1.23, -1.37])\n"
      "m = torch.tensor([0.9]).requires_grad_()\nb = torch.tensor([0.1]).requires_grad_()"),
    C("def regression(my_x, my_m, my_b):\n    return my_m*my_x + my_b\n"
      "def mse(my_yhat, my_y):\n    sigma = torch.sum((my_yhat - my_y)**2)\n"
      "    return sigma/len(my_y)"),
    C("optimizer = torch.optim.SGD([m, b], lr=0.01)\nC = mse(regression(x, m, b), y)\n"
      "C.backward()\noptimizer.step()\nm, b"),
    C("epochs = 1000\nfor epoch in range(epochs):\n    optimizer.zero_grad()\n"
      "    yhat = regression(x, m, b)\n    C = mse(yhat, y)\n    C.backward()\n"
      "    optimizer.step()\nm.item(), b.item(), C.item()"),
    C("'Epoch {}, cost {}, m grad {}, b grad {}'.format(epoch, '%.3g' % C.item(), "
      "'%.3g' % m.grad.item(), '%.3g' % b.grad.item())"),
    C("w = torch.tensor([0.9, 0.1], requires_grad=True)\n"
      "features = torch.stack([x, torch.ones_like(x)], 1)\nfor step in range(200):\n"
      "    loss = ((features @ w - y) ** 2).mean()\n    loss.backward()\n"
      "    with torch.no_grad():\n        w -= 0.01 * w.grad\n    w.grad.zero_()\nw"),
    C("m = torch.tensor([0.9], requires_grad=True)\nb = torch.tensor([0.1], requires_grad=True)\n"
      "optimizer = torch.optim.Adam([m, b], lr=0.1)\n"
      "scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=50, gamma=0.5)\n"
      "for epoch in range(200):\n    optimizer.zero_grad()\n"
      "    cost = mse(regression(x, m, b), y)\n    cost.backward()\n    optimizer.step()\n"
      "    scheduler.step()\nm.item(), b.item(), scheduler.get_last_lr()"),
    C("lr = 0.05\nlrs = []\nfor epoch in range(20):\n    lrs.append(lr)\n"
      "    lr = lr * 0.9\ntorch.tensor(lrs).sum()"),
]

SGD_FROM_SCRATCH = [
    C("n = 100000\nx = torch.linspace(0., 8., n)\n"
      "y = -0.5*x + 2 + torch.normal(mean=torch.zeros(n), std=1)", random=True),
    C("indices = np.random.choice(n, size=2000, replace=False)\nfig, ax = plt.subplots()\n"
      "_ = ax.scatter(x[indices], y[indices], alpha=0.1)\nlen(indices)"),
    C("def regression(my_x, my_m, my_b):\n    return my_m*my_x + my_b\n"
      "def mse(my_yhat, my_y):\n    sigma = torch.sum((my_yhat - my_y)**2)\n"
      "    return sigma/len(my_y)\n"
      "m = torch.tensor([0.9]).requires_grad_()\nb = torch.tensor([0.1]).requires_grad_()"),
    C("batch_size = 32\nrounds = 100\nlr = 0.01\nfor r in range(rounds):\n"
      "    batch_indices = np.random.choice(n, size=batch_size, replace=False)\n"
      "    yhat = regression(x[batch_indices], m, b)\n    C = mse(yhat, y[batch_indices])\n"
      "    C.backward()\n    gradient = torch.tensor([[b.grad, m.grad]]).T\n"
      "    theta = torch.tensor([[b, m]]).T\n    new_theta = theta - lr*gradient\n"
      "    b = new_theta[0].requires_grad_()\n    m = new_theta[1].requires_grad_()\n"
      "m.item(), b.item()", random=True),
    C("x[0:3], x[-1]"),
]

ARTIFICIAL_NEURONS = [
    C("_ = torch.manual_seed(42)\nn_input = 784\nn_dense = 128"),
    C("x = torch.rand(n_input)\nx.shape"),
    C("x[0:6]", random=True),
    C("_ = plt.hist(x)\nx.min() >= 0"),
    C("b = torch.zeros(n_dense)\nb.shape"),
    C("b[0:6]"),
    C("W = torch.empty([n_input, n_dense])\nW = torch.nn.init.xavier_normal_(W)\nW.shape"),
    C("W[0:4, 0:4]", random=True),
    C("z = torch.add(torch.matmul(x, W), b)\nz.shape"),
    C("a = torch.sigmoid(z)\na.shape"),
    C("_ = plt.hist(a)\n(a > 0).all() and (a < 1).all()"),
    C("a = torch.relu(z)\n(a >= 0).all()"),
    C("a = torch.tanh(z)\n(a.abs() <= 1).all()"),
    C("torch.softmax(torch.tensor([1., 2., 3.]), 0)"),
]

DATA_LOADING = [
    C("from_torch = torch.utils.data\n"
      "X = torch.arange(20.).reshape(10, 2)\ny = torch.arange(10.) % 2\n"
      "ds = from_torch.TensorDataset(X, y)\nlen(ds)"),
    C("ds[3]"),
    C("loader = from_torch.DataLoader(ds, batch_size=4)\nlen(loader)"),
    C("[xb.shape[0] for xb, yb in loader]"),
    C("xb, yb = next(iter(loader))\nxb"),
    C("loader = from_torch.DataLoader(ds, batch_size=4, drop_last=True)\n[yb for xb, yb in loader]"),
    C("loader = from_torch.DataLoader(ds, batch_size=3, shuffle=True)\n"
      "sorted(float(v) for _, yb in loader for v in yb.tolist()) == sorted(y.tolist())"),
    C("w = torch.zeros(2, requires_grad=True)\nopt = torch.optim.SGD([w], lr=0.01)\n"
      "for epoch in range(5):\n    for xb, yb in from_torch.DataLoader(ds, batch_size=5):\n"
      "        opt.zero_grad()\n        loss = ((xb @ w - yb) ** 2).mean()\n"
      "        loss.backward()\n        opt.step()\nw"),
]

NN_TRAINING = [
    C("x = torch.linspace(-1, 1, 20).view(-1, 1)\ny = 3 * x - 0.5\nx.shape, y.shape"),
    C("model = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))\n"
      "for layer in (model[0], model[2]):\n    torch.nn.init.zeros_(layer.bias)\n"
      "    with torch.no_grad():\n        layer.weight.fill_(0.1)\nmodel[0].weight.shape"),
    C("criterion = torch.nn.MSELoss()\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
      "for epoch in range(300):\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n"
      "    loss.backward()\n    optimizer.step()\nloss.item()"),
    C("with torch.no_grad():\n    prediction = model(torch.tensor([[0.5]]))\nprediction"),
    C("sum(p.numel() for p in model.parameters())"),
    C("F = torch.nn.functional\nF.relu(torch.tensor([-1., 2.])), F.softmax(torch.tensor([1., 2.]), 0)"),
    C("logits = torch.tensor([[2., 0.5, -1.], [0.1, 0.2, 3.]])\n"
      "torch.nn.CrossEntropyLoss()(logits, torch.tensor([0, 2]))"),
    C("F.cross_entropy(logits, torch.tensor([1, 1]), reduction='sum')"),
    C("_, predicted = logits.max(1)\npredicted"),
    C("(predicted == torch.tensor([0, 2])).sum().item()"),
]

LESSONS = {
    "linear-algebra": LINEAR_ALGEBRA,
    "linear-algebra-ii": LINEAR_ALGEBRA_II,
    "calculus": CALCULUS,
    "gradient-descent": GRADIENT_DESCENT,
    "sgd-from-scratch": SGD_FROM_SCRATCH,
    "artificial-neurons": ARTIFICIAL_NEURONS,
    "data-loading": DATA_LOADING,
    "nn-training": NN_TRAINING,
}
