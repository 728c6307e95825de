"""PyTorch on the same workloads as bench/workloads/spec.ts, in a given thread configuration.

Run by bench/peers/torch.ts, in one of two modes (one JSON argument each):

  torch_bench.py probe '<config json>'  config.probe = {coretype, combos: [[blas, torch], ...], seconds}:
      a short measurement of the MLP training step (random pixels) for each combination of
      OpenBLAS threads and torch intra-op threads, switched at run time in this one process.
  torch_bench.py run '<config json>'    config.torch = {name, coretype, blasThreads, torchThreads}:
      every workload in that configuration, reported under `name`.

Both print one JSON line (the last) holding `blas`, what BLAS torch really calls: Debian's torch
links the generic libblas.so.3, so the BLAS is whatever that alternative points at, and the
reference BLAS there is ~30x slower than OpenBLAS. Timing follows bench/workloads/timing.ts.
"""
import ctypes
import gzip
import json
import math
import os
import re
import sys
import time

MODE = sys.argv[1]
config = json.loads(sys.argv[2])
timing = config["timing"]
SLOW_CALL_SECONDS = 1.0


def set_env(coretype, blas_threads, torch_threads):
    """OpenBLAS reads these once, when it loads: they must be set before numpy or torch import it."""
    if coretype:
        os.environ["OPENBLAS_CORETYPE"] = coretype
    else:
        os.environ.pop("OPENBLAS_CORETYPE", None)
    if blas_threads:
        os.environ["OPENBLAS_NUM_THREADS"] = str(blas_threads)
    else:
        os.environ.pop("OPENBLAS_NUM_THREADS", None)  # OpenBLAS then starts one thread per core
    os.environ["OMP_NUM_THREADS"] = str(torch_threads)
    os.environ["MKL_NUM_THREADS"] = "1"


if MODE == "probe":
    set_env(config["probe"]["coretype"], None, 1)
else:
    t = config["torch"]
    set_env(t["coretype"], t["blasThreads"], t["torchThreads"])

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def loaded_blas_libraries():
    """Real paths of the BLAS-like shared libraries mapped into this process."""
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = os.path.basename(path)
            if path.startswith("/") and re.search(r"blas|mkl_|blis", name) and ".so" in name:
                found.add(os.path.realpath(path))
    return sorted(found)


def openblas_library(libs):
    path = next((p for p in libs if "openblas" in os.path.basename(p)), None)
    if path is None:
        return None
    lib = ctypes.CDLL(path)  # already loaded: this returns the same library, not a second copy
    lib.openblas_get_config.restype = ctypes.c_char_p
    lib.openblas_get_corename.restype = ctypes.c_char_p
    return lib


def blas_info():
    libs = loaded_blas_libraries()
    shown = torch.__config__.show()
    m = re.search(r"BLAS_INFO=([^,\s]+)", shown)
    info = {"libraries": libs, "torchBlasInfo": m.group(1) if m else None, "reference": False}
    lib = openblas_library(libs)
    if lib is not None:
        info.update(kind="OpenBLAS", config=lib.openblas_get_config().decode(),
                    core=lib.openblas_get_corename().decode(), threads=lib.openblas_get_num_threads())
    elif any("mkl" in os.path.basename(p) for p in libs):
        info.update(kind="MKL")
    elif any("blis" in os.path.basename(p) for p in libs):
        info.update(kind="BLIS")
    elif any(os.path.basename(p).startswith("libblas.so") for p in libs):
        # Netlib's libblas.so.3 (Debian's /usr/lib/<arch>/blas/): plain Fortran loops, ~5 GFLOP/s.
        info.update(kind="reference BLAS", reference=True)
    else:
        info.update(kind="unknown (no BLAS library mapped)")
    return info


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


def random_images(n=8192):
    rng = np.random.default_rng(3)
    return torch.from_numpy(rng.random((n, 784), dtype=np.float32)), torch.from_numpy(rng.integers(0, 10, n))


def load_images():
    if config["dataDir"]:
        x = idx_body(os.path.join(config["dataDir"], "train-images-idx3-ubyte.gz")).astype(np.float32) / 255
        y = idx_body(os.path.join(config["dataDir"], "train-labels-idx1-ubyte.gz")).astype(np.int64)
        return torch.from_numpy(x.reshape(len(y), 784)), torch.from_numpy(y)
    return random_images()


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


def make_step(spec, batch_at):
    """One SGD step on the next batch, reading the loss (as every system in the bench does)."""
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

    return step, state


def train(spec, batch_at):
    step, state = make_step(spec, batch_at)
    m = measure(step, min(spec["steps"], timing["maxSteps"]), timing["trainSeconds"])
    return m, state["loss"]


def batches_of(x, y, batch):
    count = x.shape[0] // batch

    def at(s):
        start = (s % count) * batch
        return x[start:start + batch], y[start:start + batch]

    return at


def probe():
    """MLP samples/s for each [blas, torch] thread pair, interleaved over rounds (the machine is noisy)."""
    p = config["probe"]
    libs = loaded_blas_libraries()
    lib = openblas_library(libs)
    mlp = config["mlp"]
    x, y = random_images(16 * mlp["batch"])
    at = batches_of(x, y, mlp["batch"])
    combos = [tuple(c) for c in p["combos"]]
    if lib is None:
        combos = [c for c in combos if c[0] == 1]  # cannot switch the BLAS threads: torch threads only
    steps = {c: make_step(mlp, at)[0] for c in combos}
    samples = {c: [] for c in combos}

    def use(c):
        if lib is not None:
            lib.openblas_set_num_threads(c[0])
        torch.set_num_threads(c[1])

    for c in combos:  # warm-up: allocator, thread pools, OpenBLAS buffers
        use(c)
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < p["seconds"] / 2:
            steps[c]()
    for _ in range(p["rounds"]):
        for c in combos:
            use(c)
            n, t0 = 0, time.perf_counter()
            while n < 3 or time.perf_counter() - t0 < p["seconds"]:
                steps[c]()
                n += 1
            samples[c].append(n * mlp["batch"] / (time.perf_counter() - t0))
    results = [{"blasThreads": c[0], "torchThreads": c[1], "samplesPerSecond": float(np.median(samples[c]))} for c in combos]
    print(json.dumps({"probe": {"coretype": p["coretype"], "results": results}, "blas": blas_info()}))


def run():
    figures, notes = {}, {}
    torch.set_num_threads(config["torch"]["torchThreads"])
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
    m, loss = train(mlp, batches_of(x, y, mlp["batch"]))
    figures[mlp["id"]] = mlp["batch"] / m["seconds"]
    notes[mlp["id"]] = f"{describe(m, 'step')}, loss {loss:.3f}"

    small = config["small"]
    rng = np.random.default_rng(11)
    sx = torch.from_numpy(rng.uniform(-1, 1, (small["batch"], 2)).astype(np.float32))
    sy = (sx[:, 0] * sx[:, 1]).reshape(-1, 1)
    m, loss = train(small, lambda s: (sx, sy))
    figures[small["id"]] = 1 / m["seconds"]
    notes[small["id"]] = f"{describe(m, 'step')}, loss {loss:.4f}"

    name = config["torch"]["name"]
    system = {"version": torch.__version__, "figures": figures, "notes": notes}
    print(json.dumps({"systems": {name: system}, "blas": blas_info()}))


probe() if MODE == "probe" else run()
