"""PyTorch on one CPU thread, the same workloads as bench/workloads/spec.ts.

Run by bench/main.ts as `/usr/bin/python3 bench/peers/torch_bench.py '<config json>'`; prints one
JSON line {"systems": {name: {version, figures, notes}}}. Timing follows bench/workloads/timing.ts.
"""
import gzip
import json
import math
import os
import sys
import time

# torch.set_num_threads(1) does not reach Debian's OpenBLAS, which starts one thread per core:
# pin it (and OpenMP) before numpy or torch load it.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)
config = json.loads(sys.argv[1])
timing = config["timing"]
SLOW_CALL_SECONDS = 1.0


def measure(call, max_calls=math.inf, sample_seconds=None):
    sample_seconds = sample_seconds or timing["sampleSeconds"]
    t0 = time.perf_counter()
    call()
    first = time.perf_counter() - t0
    if first > SLOW_CALL_SECONDS:
        t1 = time.perf_counter()
        call()
        return {"seconds": time.perf_counter() - t1, "calls": 1, "reps": 1}
    warm = 1
    while warm < timing["warmup"] or (time.perf_counter() - t0 < sample_seconds / 2 and warm < max_calls):
        call()
        warm += 1
    per_call = (time.perf_counter() - t0) / warm
    calls = int(max(1, min(max_calls, math.ceil(sample_seconds / per_call))))
    samples = []
    for _ in range(timing["reps"]):
        t = time.perf_counter()
        for _ in range(calls):
            call()
        samples.append((time.perf_counter() - t) / calls)
    return {"seconds": float(np.median(samples)), "calls": calls, "reps": timing["reps"]}


def describe(m, what):
    return f"1 {what}" if m["reps"] == 1 and m["calls"] == 1 else f"{m['reps']}x{m['calls']} {what}s"


def idx_body(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * data[3])


def load_images():
    if config["dataDir"]:
        x = idx_body(os.path.join(config["dataDir"], "train-images-idx3-ubyte.gz")).astype(np.float32) / 255
        y = idx_body(os.path.join(config["dataDir"], "train-labels-idx1-ubyte.gz")).astype(np.int64)
        return torch.from_numpy(x.reshape(len(y), 784)), torch.from_numpy(y)
    rng = np.random.default_rng(3)
    return torch.from_numpy(rng.random((8192, 784), dtype=np.float32)), torch.from_numpy(rng.integers(0, 10, 8192))


def model_for(spec):
    layers = []
    sizes = spec["sizes"]
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        # Same initialisation rule as the other systems (He for ReLU, Xavier for tanh), zero bias.
        if spec["activation"] == "relu":
            torch.nn.init.kaiming_uniform_(lin.weight, nonlinearity="relu")
        else:
            torch.nn.init.xavier_uniform_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU() if spec["activation"] == "relu" else torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def train(spec, batch_at):
    model = model_for(spec)
    opt = torch.optim.SGD(model.parameters(), lr=spec["lr"])
    loss_fn = F.cross_entropy if spec["loss"] == "crossEntropy" else F.mse_loss
    state = {"s": 0, "loss": math.nan}

    def step():
        x, y = batch_at(state["s"])
        state["s"] += 1
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        state["loss"] = loss.item()

    m = measure(step, min(spec["steps"], timing["maxSteps"]), timing["trainSeconds"])
    return m, state["loss"]


def main():
    figures, notes = {}, {}
    for g in config["gemm"]:
        if g["big"] and timing["skipBig"]:
            continue
        a = torch.randn(g["k"], g["m"]).t() if g["transA"] else torch.randn(g["m"], g["k"])
        b = torch.randn(g["n"], g["k"]).t() if g["transB"] else torch.randn(g["k"], g["n"])
        m = measure(lambda: torch.mm(a, b))
        figures[g["id"]] = 2 * g["m"] * g["n"] * g["k"] / m["seconds"] / 1e9
        notes[g["id"]] = describe(m, "call")

    mlp = config["mlp"]
    x, y = load_images()
    batch = mlp["batch"]
    batches = x.shape[0] // batch

    def mlp_batch(s):
        start = (s % batches) * batch
        return x[start:start + batch], y[start:start + batch]

    m, loss = train(mlp, mlp_batch)
    figures[mlp["id"]] = batch / m["seconds"]
    notes[mlp["id"]] = f"{describe(m, 'step')}, loss {loss:.3f}"

    small = config["small"]
    rng = np.random.default_rng(11)
    sx = torch.from_numpy(rng.uniform(-1, 1, (small["batch"], 2)).astype(np.float32))
    sy = (sx[:, 0] * sx[:, 1]).reshape(-1, 1)
    m, loss = train(small, lambda s: (sx, sy))
    figures[small["id"]] = 1 / m["seconds"]
    notes[small["id"]] = f"{describe(m, 'step')}, loss {loss:.4f}"

    name = "torch 1 thread"
    print(json.dumps({"systems": {name: {"version": torch.__version__, "figures": figures, "notes": notes}}}))


main()
