// N-API glue for nabla's native backend: argument checking, instruction-set dispatch, pack
// buffers and the optional second GEMM thread. Kernels work in place on the JS typed arrays
// (napi_get_typedarray_info gives their memory; nothing is copied).
//
// Every index a kernel will touch is bounds-checked here first, so a wrong size from JS throws a
// RangeError instead of corrupting the heap.
#define NAPI_VERSION 8
#include <node_api.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "fused.h"
#include "kernels.h"

namespace nabla {
namespace {

constexpr int ABI_VERSION = 4;  // bump when the exported functions change (the loader checks it)
constexpr int MAX_THREADS = 8;

std::atomic<const Isa*> g_isa{nullptr};
std::atomic<int> g_threads{1};
// Below this many multiply-adds a second thread costs more than it saves: starting one costs
// ~70 µs in a small VM, and each thread packs its own copy of A.
std::atomic<double> g_threadMinMacs{5.0e7};

bool isaSupported(const Isa* isa) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (isa == &avx512::isa)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("fma");
  if (isa == &avx2::isa) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return isa == &generic::isa;
}

// The fastest instruction set this CPU runs (generic always does).
const Isa* bestIsa() {
  const Isa* const fastestFirst[] = {
#if defined(__x86_64__)
      &avx512::isa, &avx2::isa,
#endif
      &generic::isa,
  };
  for (const Isa* isa : fastestFirst)
    if (isaSupported(isa)) return isa;
  return &generic::isa;
}

const Isa* isaByName(const std::string& name) {
#if defined(__x86_64__)
  if (name == "avx512") return &avx512::isa;
  if (name == "avx2") return &avx2::isa;
#endif
  if (name == "generic") return &generic::isa;
  return nullptr;
}

// Packing scratch, owned by the calling JS thread (worker_threads each get their own) and lent
// to its helper threads by index; grown, never shrunk.
struct Scratch {
  PackBuffers bufs[MAX_THREADS] = {};
  ~Scratch() {
    for (auto& b : bufs) { std::free(b.a); std::free(b.b); }
  }
};
thread_local Scratch t_scratch;

bool ensure(void** p, size_t* have, size_t need) {
  if (*have >= need && *p) return true;
  need = (need + 4095) & ~size_t(4095);
  void* q = std::aligned_alloc(64, need);
  if (!q) return false;
  std::free(*p);
  *p = q;
  *have = need;
  return true;
}

// ---- argument helpers: each returns false after throwing a JS exception ----

struct Call {
  napi_env env;
  size_t argc = 16;
  napi_value argv[16];
  bool ok = true;

  Call(napi_env e, napi_callback_info info, size_t expected) : env(e) {
    napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
    if (argc < expected)
      fail(("expected " + std::to_string(expected) + " arguments, got " + std::to_string(argc)).c_str());
  }
  void fail(const char* msg, bool range = false) {
    if (!ok) return;
    ok = false;
    std::string m = std::string("nabla native: ") + msg;
    if (range) napi_throw_range_error(env, nullptr, m.c_str());
    else napi_throw_type_error(env, nullptr, m.c_str());
  }
  int64_t i64(size_t i, const char* what) {
    if (!ok) return 0;
    double d;
    if (napi_get_value_double(env, argv[i], &d) != napi_ok) { fail((std::string(what) + " must be a number").c_str()); return 0; }
    // Sizes, offsets and strides: non-negative integers small enough that products fit in 64 bits.
    if (!(d >= 0 && d <= 2147483647.0) || d != (double)(int64_t)d) {
      fail((std::string(what) + " must be a non-negative integer below 2^31").c_str(), true);
      return 0;
    }
    return (int64_t)d;
  }
  double f64(size_t i, const char* what) {
    double d = 0;
    if (ok && napi_get_value_double(env, argv[i], &d) != napi_ok) fail((std::string(what) + " must be a number").c_str());
    return d;
  }
  bool boolean(size_t i, const char* what) {
    bool b = false;
    if (ok && napi_get_value_bool(env, argv[i], &b) != napi_ok) fail((std::string(what) + " must be a boolean").c_str());
    return b;
  }
};

// A Float32Array or Float64Array argument: its element type, length and data pointer.
struct Arr {
  napi_typedarray_type type = napi_float32_array;
  size_t length = 0;
  void* data = nullptr;
};

bool getArr(Call& c, size_t i, Arr* out, const char* what) {
  if (!c.ok) return false;
  bool is = false;
  napi_is_typedarray(c.env, c.argv[i], &is);
  if (!is) { c.fail((std::string(what) + " must be a Float32Array or Float64Array").c_str()); return false; }
  napi_value buf;
  size_t off;
  napi_get_typedarray_info(c.env, c.argv[i], &out->type, &out->length, &out->data, &buf, &off);
  if (out->type != napi_float32_array && out->type != napi_float64_array) {
    c.fail((std::string(what) + " must be a Float32Array or Float64Array").c_str());
    return false;
  }
  return true;
}

// All arrays the same float type; returns 4 or 8 (bytes per element), 0 after throwing.
int sameType(Call& c, std::initializer_list<const Arr*> arrs) {
  if (!c.ok) return 0;
  const napi_typedarray_type t = (*arrs.begin())->type;
  for (const Arr* a : arrs)
    if (a->type != t) { c.fail("all arrays must have the same type (Float32Array or Float64Array)"); return 0; }
  return t == napi_float32_array ? 4 : 8;
}

// Checks that the array holds at least `need` elements.
bool fits(Call& c, const Arr& a, double need, const char* what) {
  if (c.ok && need > (double)a.length) {
    char msg[96];
    std::snprintf(msg, sizeof msg, " has %zu elements, needs %.0f", a.length, need);
    c.fail((std::string(what) + msg).c_str(), true);
  }
  return c.ok;
}

// Checks that rows × cols at offset with row stride ld stays inside the array (ld ≥ cols unless
// there is a single row, as BLAS requires).
bool matrixFits(Call& c, const Arr& a, int64_t off, int64_t rows, int64_t cols, int64_t ld, const char* what) {
  if (!c.ok) return false;
  if (rows == 0 || cols == 0) return true;
  if (rows > 1 && ld < cols) { c.fail((std::string("ld") + what + " is smaller than the row length").c_str(), true); return false; }
  const int64_t last = off + (rows - 1) * ld + cols - 1;
  if ((uint64_t)last >= a.length) { c.fail((std::string(what) + " is too short for its shape, offset and stride").c_str(), true); return false; }
  return true;
}

void unknownOp(Call& c, const char* kind, int64_t op) {
  c.fail(("unknown " + std::string(kind) + " op " + std::to_string(op)).c_str());
}

napi_value undefinedValue(napi_env env) { napi_value u; napi_get_undefined(env, &u); return u; }

// ---- GEMM with the optional helper thread ----

template <typename T>
void runGemm(const KernelSet<T>& ks, bool ta, bool tb, long m, long n, long k, T alpha, const T* a,
             long lda, const T* b, long ldb, T beta, T* c, long ldc, bool* oom) {
  int threads = g_threads.load(std::memory_order_relaxed);
  const double macs = (double)m * n * k;
  if (threads > 1 && macs < g_threadMinMacs.load(std::memory_order_relaxed)) threads = 1;
  // Split n in whole micro-tiles; too narrow a problem stays on one thread.
  // n ≥ 1 here and g_threads ≥ 1 (SetThreads clamps it), so 1 ≤ threads ≤ tiles.
  const long tiles = (n + ks.nr - 1) / ks.nr;
  if (threads > tiles) threads = (int)tiles;
  long bounds[MAX_THREADS + 1];  // bounds[threads] = min(tiles·nr, n) = n
  for (int t = 0; t <= threads; t++) {
    const long j = (long)(tiles * t / threads) * ks.nr;
    bounds[t] = j < n ? j : n;
  }
  for (int t = 0; t < threads; t++) {
    size_t ab, bb;
    ks.packBytes(m, bounds[t + 1] - bounds[t], k, &ab, &bb);
    PackBuffers& pb = t_scratch.bufs[t];
    if (!ensure(&pb.a, &pb.aBytes, ab) || !ensure(&pb.b, &pb.bBytes, bb)) { *oom = true; return; }
  }
  if (threads == 1) {
    ks.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, n, &t_scratch.bufs[0]);
    return;
  }
  std::thread helpers[MAX_THREADS];
  PackBuffers* bufs = t_scratch.bufs;
  for (int t = 1; t < threads; t++)
    helpers[t] = std::thread([=, &ks] {
      ks.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bounds[t], bounds[t + 1], &bufs[t]);
    });
  ks.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bounds[0], bounds[1], &bufs[0]);
  for (int t = 1; t < threads; t++) helpers[t].join();
}

// gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Call c(env, info, 16);
  const bool ta = c.boolean(0, "transA"), tb = c.boolean(1, "transB");
  const int64_t m = c.i64(2, "m"), n = c.i64(3, "n"), k = c.i64(4, "k");
  const double alpha = c.f64(5, "alpha");
  Arr A, B, C;
  getArr(c, 6, &A, "a");
  const int64_t aOff = c.i64(7, "aOffset"), lda = c.i64(8, "lda");
  getArr(c, 9, &B, "b");
  const int64_t bOff = c.i64(10, "bOffset"), ldb = c.i64(11, "ldb");
  const double beta = c.f64(12, "beta");
  getArr(c, 13, &C, "c");
  const int64_t cOff = c.i64(14, "cOffset"), ldc = c.i64(15, "ldc");
  const int size = sameType(c, {&A, &B, &C});
  if (k > 0 && alpha != 0) {
    matrixFits(c, A, aOff, ta ? k : m, ta ? m : k, lda, "a");
    matrixFits(c, B, bOff, tb ? n : k, tb ? k : n, ldb, "b");
  }
  matrixFits(c, C, cOff, m, n, ldc, "c");
  if (!c.ok) return nullptr;
  if (m == 0 || n == 0) return undefinedValue(env);
  const Isa* isa = g_isa.load(std::memory_order_relaxed);
  bool oom = false;
  if (size == 4)
    runGemm<float>(isa->f32, ta, tb, m, n, k, (float)alpha, (const float*)A.data + aOff, lda,
                   (const float*)B.data + bOff, ldb, (float)beta, (float*)C.data + cOff, ldc, &oom);
  else
    runGemm<double>(isa->f64, ta, tb, m, n, k, alpha, (const double*)A.data + aOff, lda,
                    (const double*)B.data + bOff, ldb, beta, (double*)C.data + cOff, ldc, &oom);
  if (oom) { napi_throw_error(env, "ERR_NABLA_OOM", "nabla native: out of memory for GEMM packing"); return nullptr; }
  return undefinedValue(env);
}

const Isa& isa() { return *g_isa.load(std::memory_order_relaxed); }

// unary(op, n, x, out, param)
napi_value Unary(napi_env env, napi_callback_info info) {
  Call c(env, info, 5);
  const int64_t op = c.i64(0, "op"), n = c.i64(1, "n");
  Arr x, out;
  getArr(c, 2, &x, "x");
  getArr(c, 3, &out, "out");
  const double p = c.f64(4, "param");
  const int size = sameType(c, {&x, &out});
  fits(c, x, n, "x"); fits(c, out, n, "out");
  if (!c.ok) return nullptr;
  if (op < 0 || op >= U_COUNT) { unknownOp(c, "unary", op); return nullptr; }
  const bool done = size == 4 ? isa().f32.unary((int)op, n, (const float*)x.data, (float*)out.data, (float)p)
                              : isa().f64.unary((int)op, n, (const double*)x.data, (double*)out.data, p);
  if (!done) { unknownOp(c, "unary", op); return nullptr; }
  return undefinedValue(env);
}

// unaryGrad(op, n, v, g, out, param)
napi_value UnaryGrad(napi_env env, napi_callback_info info) {
  Call c(env, info, 6);
  const int64_t op = c.i64(0, "op"), n = c.i64(1, "n");
  Arr v, g, out;
  getArr(c, 2, &v, "v"); getArr(c, 3, &g, "g"); getArr(c, 4, &out, "out");
  const double p = c.f64(5, "param");
  const int size = sameType(c, {&v, &g, &out});
  fits(c, v, n, "v"); fits(c, g, n, "g"); fits(c, out, n, "out");
  if (!c.ok) return nullptr;
  if (op < 0 || op >= G_COUNT) { unknownOp(c, "unaryGrad", op); return nullptr; }
  const bool done = size == 4
      ? isa().f32.unaryGrad((int)op, n, (const float*)v.data, (const float*)g.data, (float*)out.data, (float)p)
      : isa().f64.unaryGrad((int)op, n, (const double*)v.data, (const double*)g.data, (double*)out.data, p);
  if (!done) { unknownOp(c, "unaryGrad", op); return nullptr; }
  return undefinedValue(env);
}

// binary(op, n, a, b, out)
napi_value Binary(napi_env env, napi_callback_info info) {
  Call c(env, info, 5);
  const int64_t op = c.i64(0, "op"), n = c.i64(1, "n");
  Arr a, b, out;
  getArr(c, 2, &a, "a"); getArr(c, 3, &b, "b"); getArr(c, 4, &out, "out");
  const int size = sameType(c, {&a, &b, &out});
  fits(c, a, n, "a"); fits(c, b, n, "b"); fits(c, out, n, "out");
  if (!c.ok) return nullptr;
  if (op < 0 || op >= B_COUNT) { unknownOp(c, "binary", op); return nullptr; }
  const bool done = size == 4 ? isa().f32.binary((int)op, n, (const float*)a.data, (const float*)b.data, (float*)out.data)
                              : isa().f64.binary((int)op, n, (const double*)a.data, (const double*)b.data, (double*)out.data);
  if (!done) { unknownOp(c, "binary", op); return nullptr; }
  return undefinedValue(env);
}

// affine(n, x, s, t, out)
napi_value Affine(napi_env env, napi_callback_info info) {
  Call c(env, info, 5);
  const int64_t n = c.i64(0, "n");
  Arr x, out;
  getArr(c, 1, &x, "x");
  const double s = c.f64(2, "s"), t = c.f64(3, "t");
  getArr(c, 4, &out, "out");
  const int size = sameType(c, {&x, &out});
  fits(c, x, n, "x"); fits(c, out, n, "out");
  if (!c.ok) return nullptr;
  if (size == 4) isa().f32.affine(n, (const float*)x.data, s, t, (float*)out.data);
  else isa().f64.affine(n, (const double*)x.data, s, t, (double*)out.data);
  return undefinedValue(env);
}

// axpy(n, alpha, x, y)
napi_value Axpy(napi_env env, napi_callback_info info) {
  Call c(env, info, 4);
  const int64_t n = c.i64(0, "n");
  const double alpha = c.f64(1, "alpha");
  Arr x, y;
  getArr(c, 2, &x, "x"); getArr(c, 3, &y, "y");
  const int size = sameType(c, {&x, &y});
  fits(c, x, n, "x"); fits(c, y, n, "y");
  if (!c.ok) return nullptr;
  if (size == 4) isa().f32.axpy(n, alpha, (const float*)x.data, (float*)y.data);
  else isa().f64.axpy(n, alpha, (const double*)x.data, (double*)y.data);
  return undefinedValue(env);
}

// adamStep(n, w, g, m, v, stepSize, beta1, beta2, eps, bc2Sqrt, coupledDecay, shrink)
napi_value AdamStep(napi_env env, napi_callback_info info) {
  Call c(env, info, 12);
  const int64_t n = c.i64(0, "n");
  Arr w, g, m, v;
  getArr(c, 1, &w, "w"); getArr(c, 2, &g, "g"); getArr(c, 3, &m, "m"); getArr(c, 4, &v, "v");
  const double stepSize = c.f64(5, "stepSize"), b1 = c.f64(6, "beta1"), b2 = c.f64(7, "beta2");
  const double eps = c.f64(8, "eps"), bc2 = c.f64(9, "bc2Sqrt"), coupled = c.f64(10, "coupledDecay");
  const double shrink = c.f64(11, "shrink");
  const int size = sameType(c, {&w, &g, &m, &v});
  fits(c, w, n, "w"); fits(c, g, n, "g"); fits(c, m, n, "m"); fits(c, v, n, "v");
  if (!c.ok) return nullptr;
  if (size == 4) isa().f32.adam(n, (float*)w.data, (const float*)g.data, (float*)m.data, (float*)v.data, stepSize, b1, b2, eps, bc2, coupled, shrink);
  else isa().f64.adam(n, (double*)w.data, (const double*)g.data, (double*)m.data, (double*)v.data, stepSize, b1, b2, eps, bc2, coupled, shrink);
  return undefinedValue(env);
}

// dot(n, x, y) → number
napi_value Dot(napi_env env, napi_callback_info info) {
  Call c(env, info, 3);
  const int64_t n = c.i64(0, "n");
  Arr x, y;
  getArr(c, 1, &x, "x"); getArr(c, 2, &y, "y");
  const int size = sameType(c, {&x, &y});
  fits(c, x, n, "x"); fits(c, y, n, "y");
  if (!c.ok) return nullptr;
  const double r = size == 4 ? isa().f32.dot(n, (const float*)x.data, (const float*)y.data)
                             : isa().f64.dot(n, (const double*)x.data, (const double*)y.data);
  napi_value v;
  napi_create_double(env, r, &v);
  return v;
}

// select(n, cond, a, b, out)
napi_value Select(napi_env env, napi_callback_info info) {
  Call c(env, info, 5);
  const int64_t n = c.i64(0, "n");
  Arr cond, a, b, out;
  getArr(c, 1, &cond, "cond"); getArr(c, 2, &a, "a"); getArr(c, 3, &b, "b"); getArr(c, 4, &out, "out");
  const int size = sameType(c, {&cond, &a, &b, &out});
  fits(c, cond, n, "cond"); fits(c, a, n, "a"); fits(c, b, n, "b"); fits(c, out, n, "out");
  if (!c.ok) return nullptr;
  if (size == 4) isa().f32.select(n, (const float*)cond.data, (const float*)a.data, (const float*)b.data, (float*)out.data);
  else isa().f64.select(n, (const double*)cond.data, (const double*)a.data, (const double*)b.data, (double*)out.data);
  return undefinedValue(env);
}

// reduce(op, outer, len, inner, x, out)
napi_value Reduce(napi_env env, napi_callback_info info) {
  Call c(env, info, 6);
  const int64_t op = c.i64(0, "op"), outer = c.i64(1, "outer"), len = c.i64(2, "len"), inner = c.i64(3, "inner");
  Arr x, out;
  getArr(c, 4, &x, "x"); getArr(c, 5, &out, "out");
  const int size = sameType(c, {&x, &out});
  fits(c, x, (double)outer * len * inner, "x"); fits(c, out, (double)outer * inner, "out");
  if (!c.ok) return nullptr;
  if (op >= R_COUNT) { unknownOp(c, "reduce", op); return nullptr; }
  if (size == 4) isa().f32.reduce((int)op, outer, len, inner, (const float*)x.data, (float*)out.data);
  else isa().f64.reduce((int)op, outer, len, inner, (const double*)x.data, (double*)out.data);
  return undefinedValue(env);
}

// softmaxRows(outer, len, x, out, log): softmax over the last axis (inner == 1).
napi_value SoftmaxRows(napi_env env, napi_callback_info info) {
  Call c(env, info, 5);
  const int64_t outer = c.i64(0, "outer"), len = c.i64(1, "len");
  Arr x, out;
  getArr(c, 2, &x, "x"); getArr(c, 3, &out, "out");
  const bool log = c.boolean(4, "log");
  const int size = sameType(c, {&x, &out});
  fits(c, x, (double)outer * len, "x"); fits(c, out, (double)outer * len, "out");
  if (!c.ok) return nullptr;
  if (size == 4) isa().f32.softmaxRows(outer, len, (const float*)x.data, (float*)out.data, log);
  else isa().f64.softmaxRows(outer, len, (const double*)x.data, (double*)out.data, log);
  return undefinedValue(env);
}

// ---- fused kernels (fused_impl.inc), from the table of the instruction set in use ----

const FusedIsa& fused() {
#if defined(__x86_64__)
  const Isa* in = &isa();
  if (in == &avx512::isa) return avx512::fused;
  if (in == &avx2::isa) return avx2::fused;
#endif
  return generic::fused;
}

// softmaxCrossEntropy(rows, classes, logits, labels, grad, gradScale) → Σ −log softmax(z)[label]
napi_value SoftmaxCrossEntropy(napi_env env, napi_callback_info info) {
  Call c(env, info, 6);
  const int64_t rows = c.i64(0, "rows"), classes = c.i64(1, "classes");
  Arr z, labels, g;
  getArr(c, 2, &z, "logits"); getArr(c, 3, &labels, "labels"); getArr(c, 4, &g, "grad");
  const double scale = c.f64(5, "gradScale");
  const int size = sameType(c, {&z, &labels, &g});
  fits(c, z, (double)rows * classes, "logits"); fits(c, labels, (double)rows, "labels"); fits(c, g, (double)rows * classes, "grad");
  if (!c.ok) return nullptr;
  // Each label picks an element of its row: an index, so checked like every other one.
  for (int64_t r = 0; r < rows; r++) {
    const double v = size == 4 ? (double)((const float*)labels.data)[r] : ((const double*)labels.data)[r];
    if (!(v >= 0 && v < (double)classes && v == (double)(int64_t)v)) { c.fail("labels must be integers in [0, classes)", true); return nullptr; }
  }
  const double total = size == 4
      ? fused().f32.softmaxCrossEntropy(rows, classes, (const float*)z.data, (const float*)labels.data, (float*)g.data, scale)
      : fused().f64.softmaxCrossEntropy(rows, classes, (const double*)z.data, (const double*)labels.data, (double*)g.data, scale);
  napi_value out;
  napi_create_double(env, total, &out);
  return out;
}

// sgdMomentum(n, w, g, buf, lr, momentum, dampening, weightDecay, nesterov, first)
napi_value SgdMomentum(napi_env env, napi_callback_info info) {
  Call c(env, info, 10);
  const int64_t n = c.i64(0, "n");
  Arr w, g, buf;
  getArr(c, 1, &w, "w"); getArr(c, 2, &g, "g"); getArr(c, 3, &buf, "buf");
  const double lr = c.f64(4, "lr"), momentum = c.f64(5, "momentum"), dampening = c.f64(6, "dampening");
  const double weightDecay = c.f64(7, "weightDecay");
  const bool nesterov = c.boolean(8, "nesterov"), first = c.boolean(9, "first");
  const int size = sameType(c, {&w, &g, &buf});
  fits(c, w, (double)n, "w"); fits(c, g, (double)n, "g"); fits(c, buf, (double)n, "buf");
  if (!c.ok) return nullptr;
  if (size == 4) fused().f32.sgdMomentum(n, (float*)w.data, (const float*)g.data, (float*)buf.data, lr, momentum, dampening, weightDecay, nesterov, first);
  else fused().f64.sgdMomentum(n, (double*)w.data, (const double*)g.data, (double*)buf.data, lr, momentum, dampening, weightDecay, nesterov, first);
  return undefinedValue(env);
}

// ---- configuration ----

napi_value GetIsa(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_string_utf8(env, isa().name, NAPI_AUTO_LENGTH, &v);
  return v;
}

// setIsa(name) → boolean: false if this CPU (or this build) cannot run it.
napi_value SetIsa(napi_env env, napi_callback_info info) {
  Call c(env, info, 1);
  char name[32] = {};
  size_t len;
  if (napi_get_value_string_utf8(env, c.argv[0], name, sizeof name, &len) != napi_ok) { c.fail("isa name must be a string"); return nullptr; }
  const Isa* want = isaByName(name);
  const bool ok = want && isaSupported(want);
  if (ok) g_isa.store(want);
  napi_value v;
  napi_get_boolean(env, ok, &v);
  return v;
}

// setThreads(n, minMacs?): at most n threads per GEMM, used above minMacs multiply-adds.
napi_value SetThreads(napi_env env, napi_callback_info info) {
  Call c(env, info, 1);
  int64_t n = c.i64(0, "threads");
  if (!c.ok) return nullptr;
  if (n < 1) n = 1;
  if (n > MAX_THREADS) n = MAX_THREADS;
  g_threads.store((int)n);
  if (c.argc > 1) {
    const double t = c.f64(1, "minMacs");
    if (!c.ok) return nullptr;
    g_threadMinMacs.store(t);
  }
  return undefinedValue(env);
}

napi_value GetThreads(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_int32(env, g_threads.load(), &v);
  return v;
}

}  // namespace
}  // namespace nabla

NAPI_MODULE_INIT() {
  using namespace nabla;
  const Isa* expected = nullptr;
  g_isa.compare_exchange_strong(expected, bestIsa());
  struct Fn { const char* name; napi_callback cb; };
  const Fn fns[] = {
      {"gemm", Gemm}, {"unary", Unary}, {"unaryGrad", UnaryGrad}, {"binary", Binary},
      {"softmaxCrossEntropy", SoftmaxCrossEntropy}, {"sgdMomentum", SgdMomentum},  // fused_impl.inc
      {"affine", Affine}, {"axpy", Axpy}, {"dot", Dot}, {"select", Select}, {"reduce", Reduce},
      {"softmaxRows", SoftmaxRows}, {"adamStep", AdamStep}, {"isa", GetIsa}, {"setIsa", SetIsa},
      {"setThreads", SetThreads}, {"threads", GetThreads},
  };
  for (const Fn& f : fns) {
    napi_value fn;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.cb, nullptr, &fn);
    napi_set_named_property(env, exports, f.name, fn);
  }
  napi_value abi, cores;
  napi_create_int32(env, ABI_VERSION, &abi);
  napi_set_named_property(env, exports, "abiVersion", abi);
  napi_create_int32(env, (int)std::thread::hardware_concurrency(), &cores);
  napi_set_named_property(env, exports, "hardwareThreads", cores);
  return exports;
}
