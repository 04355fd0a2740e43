"""The sine-regression meta-gradient of `ml3 bench`, batched in PyTorch with torch.func.

The same computation as the Java benchmark (worker-tasks' SineMetaGradientBenchmark): optimizee
1-100-10-1 (ReLU, biases), learned loss 2-50-50-1 (ReLU, no biases, softplus output) on
(prediction, target), 100 points, one inner SGD step at learning rate 1e-3 on the learned loss,
MSE task loss on the updated optimizee, and the gradient of that task loss with respect to the
learned loss's parameters (second order, through the inner step). Tasks are batched with vmap of
grad, as a PyTorch user would batch them; weights are [in, out] and biases [1, out], as the Java
engine holds them.

    python3 torch_sine_bench.py [--batches 1,16,256] [--seconds 3] [--threads 1]
        prints a JSON line describing torch (version, threads, the BLAS library it loaded), then a
        JSON line per batch size: tasks per second of float32 meta-gradients, timed as the Java
        benchmark times them (whole batches for about --seconds, after a warm-up).
    python3 torch_sine_bench.py --check FILE
        reads one task (phi, theta, x, y) from the JSON file FILE and prints its meta-gradient,
        computed in float64 by the same batched code, so a test can compare it with the engine's.

`ml3 bench --torch auto` runs this script alternately with the Java rows and prints the ratios.
"""
import argparse
import json
import os
import sys
import time


def _threads_argument():
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


# The BLAS behind torch reads its thread count when it loads, before torch.set_num_threads can act.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = _threads_argument()

import torch  # noqa: E402 (after the thread counts)
import torch.nn.functional as F  # noqa: E402

try:  # torch >= 2.0
    from torch.func import grad, vmap
except ImportError:  # torch 1.13 ships the same transforms as functorch
    from functorch import grad, vmap

OPTIMIZEE = (1, 100, 10, 1)
LEARNED_LOSS = (2, 50, 50, 1)
POINTS = 100
INNER_LR = 1e-3


def optimizee(theta, x):
    """theta = [W1, b1, W2, b2, W3, b3]; ReLU between layers, identity output."""
    h = x
    layers = len(theta) // 2
    for layer in range(layers):
        h = h @ theta[2 * layer] + theta[2 * layer + 1]
        if layer < layers - 1:
            h = F.relu(h)
    return h


def learned_loss(phi, prediction, target):
    """phi = [P1, P2, P3]; the mean over points of softplus(relu(relu([yhat, y] P1) P2) P3)."""
    h = torch.cat([prediction, target], dim=-1)
    for layer, weight in enumerate(phi):
        h = h @ weight
        h = F.relu(h) if layer < len(phi) - 1 else F.softplus(h)
    return h.mean()


def task_loss(phi, theta, x, y):
    step = grad(lambda th: learned_loss(phi, optimizee(th, x), y))(theta)
    updated = [t - INNER_LR * d for t, d in zip(theta, step)]
    return F.mse_loss(optimizee(updated, x), y)


# d task_loss / d phi for each task of a batch; phi is shared, theta, x and y have a task dimension.
meta_gradients = vmap(grad(task_loss), in_dims=(None, 0, 0, 0))


def xavier(rows, cols, gen, dtype):
    bound = (6.0 / (rows + cols)) ** 0.5
    return ((torch.rand(rows, cols, generator=gen, dtype=torch.float64) * 2 - 1) * bound).to(dtype)


def sample(batch, gen, dtype):
    theta = []
    for fan_in, fan_out in zip(OPTIMIZEE[:-1], OPTIMIZEE[1:]):
        theta.append(torch.stack([xavier(fan_in, fan_out, gen, dtype) for _ in range(batch)]))
        theta.append(torch.zeros(batch, 1, fan_out, dtype=dtype))
    x = (torch.rand(batch, POINTS, 1, generator=gen, dtype=torch.float64) * 4 - 2).to(dtype)
    return theta, x, torch.sin(x - torch.pi)


def blas_library():
    """The BLAS shared libraries this process loaded (Debian's torch uses whichever libblas.so.3 is installed)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if len(line.split()) >= 6}
    except OSError:
        return []
    return sorted(p for p in paths if "blas" in p.rsplit("/", 1)[-1].lower() and ".so" in p)


def benchmark(batches, seconds):
    dtype = torch.float32
    gen = torch.Generator().manual_seed(0)
    phi = [xavier(fan_in, fan_out, gen, dtype) for fan_in, fan_out in zip(LEARNED_LOSS[:-1], LEARNED_LOSS[1:])]
    rows = []
    for b in batches:
        theta, x, y = sample(b, gen, dtype)
        for _ in range(3):
            meta_gradients(phi, theta, x, y)
        calls = 0
        start = time.perf_counter()
        while True:
            g = meta_gradients(phi, theta, x, y)
            [v.mean(0) for v in g]
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds and calls >= 3:
                break
        rows.append({"B": b, "ms_per_batch": 1e3 * elapsed / calls, "tasks_per_s": b * calls / elapsed})
    return rows


def check(path):
    with open(path) as f:
        case = json.load(f)

    def tensor(v):
        return torch.tensor(v, dtype=torch.float64)

    phi = [tensor(w) for w in case["phi"]]
    theta = [tensor(t).unsqueeze(0) for t in case["theta"]]
    g = meta_gradients(phi, theta, tensor(case["x"]).unsqueeze(0), tensor(case["y"]).unsqueeze(0))
    return {"meta_gradient": [v for w in g for v in w[0].reshape(-1).tolist()]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", default="1,16,256")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--check", metavar="FILE")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.check:
        print(json.dumps(check(args.check)))
        return
    batches = [int(b) for b in args.batches.split(",")]
    if any(b < 1 for b in batches) or not args.seconds > 0:
        sys.exit("torch_sine_bench.py: batch sizes must be >= 1 and --seconds > 0")
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "dtype": "float32",
                      "blas": blas_library()}), flush=True)
    for row in benchmark(batches, args.seconds):
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
