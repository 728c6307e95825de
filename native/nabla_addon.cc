// N-API glue for nabla's native backend: argument checking, instruction-set dispatch, pack
// buffers and the optional second GEMM thread. Kernels work in place on the JS typed arrays
// (napi_get_typedarray_info gives their memory; nothing is copied).
//
// Every index a kernel will touch is bounds-checked here first, so a wrong size from JS throws a
// RangeError instead of corrupting the heap.
#define NAPI_VERSION 8
#include <node_api.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "fused.h"
#include "kernels.h"

namespace nabla {
namespace {

constexpr int ABI_VERSION = 5;  // bump when the exported functions change (the loader checks it)
constexpr int MAX_THREADS = 8;

inline long lmin(long a, long b) { return a < b ? a : b; }

std::atomic<const Isa*> g_isa{nullptr};
std::atomic<int> g_threads{1};
// Below this many multiply-adds a GEMM stays on one thread: handing work to a parked worker and
// the barriers cost a few microseconds. The loader measures the real threshold (tune.ts).
std::atomic<double> g_threadMinMacs{4.0e6};

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

// Scratch the GEMM packs A and B panels into (one per thread).
struct PackBuffers { void* a; size_t aBytes; void* b; size_t bBytes; };

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
  size_t argc = 24;
  napi_value argv[24];
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

// ---- GEMM: cache blocking, persistent worker threads, run-time tile and blocking choice ----

// Which register tile and cache blocking each instruction set uses (set from JS after the
// autotune, src/backend/native/tune.ts; these defaults are the pre-tuning choice).
struct GemmConfig {
  int tile = 0;              // index into KernelSet::tiles
  long kcBytes = 32768;      // the kc×NR micro-panel of B kept in L1
  long mcBytes = 512 * 1024; // the packed mc×kc block of A kept in L2
  long nc = 4096;            // columns of B packed at once
  bool aInPlace = true;      // the micro-kernels read op(A) where it lies instead of packed (APanel)
};
constexpr int ISA_COUNT = 3;
GemmConfig g_config[ISA_COUNT];
int isaIndex(const Isa* isa) {
#if defined(__x86_64__)
  if (isa == &avx512::isa) return 0;
  if (isa == &avx2::isa) return 1;
#endif
  return 2;
}

template <typename T> struct Blocking { long kc, mc, nc; };

// Splits k into equal blocks of at most kcMax (784 → 4 × 196, not 3 × 256 + 16), a multiple of 8.
template <typename T> Blocking<T> blockingFor(const GemmConfig& cfg, const GemmTile<T>& tile, long m, long n, long k) {
  long kcMax = cfg.kcBytes / (tile.nr * (long)sizeof(T));
  if (kcMax < 16) kcMax = 16;
  long kc = 8;
  if (k >= 8) {
    const long blocks = (k + kcMax - 1) / kcMax;
    kc = ((k + blocks - 1) / blocks + 7) & ~7L;
  }
  long mc = cfg.mcBytes / (kc * (long)sizeof(T)) / tile.mr * tile.mr;
  if (mc < tile.mr) mc = tile.mr;
  const long mPad = (m + tile.mr - 1) / tile.mr * tile.mr;
  if (mc > mPad) mc = mPad;
  long nc = cfg.nc / tile.nr * tile.nr;
  if (nc < tile.nr) nc = tile.nr;
  const long nPad = (n + tile.nr - 1) / tile.nr * tile.nr;
  if (nc > nPad) nc = nPad;
  return {kc, mc, nc};
}

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Spins (about 30 µs) until done() holds, then yields between checks: a partner that is not
// running (a busy machine) then costs time slices rather than a core spinning against it.
template <typename F> void spinUntil(F done) {
  for (int spins = 0; !done(); spins++) {
    if (spins < 4096) cpuRelax();
    else std::this_thread::yield();
  }
}

// One GEMM shared by `threads` threads, which claim its pieces from atomic counters (see claim)
// instead of being handed fixed shares: a thread that is descheduled (a busy machine) or wakes late simply
// claims fewer pieces, and the others do the rest instead of waiting for it.
//
// splitM: the threads share one packed B panel per (jc, pc) block, packing its NR-wide panels
// between them, then claim pieces of C's rows, each packing its own rows of A: every core's A
// block stays in its own L2 and B micro-panels are read once per core. Otherwise (too few rows)
// they claim pieces of C's columns, each packing all of A and its own part of B.
struct RoundSync {
  std::atomic<long> bNext{0}, bDone{0}, rNext{0}, rDone{0};
};

template <typename T> struct GemmJob {
  const GemmTile<T>* tile;
  bool ta, tb, splitM, aInPlace;
  long m, n, k, lda, ldb, ldc;
  T alpha, beta;
  const T* a;
  const T* b;
  T* c;
  Blocking<T> blk;
  const Epilogue<T>* ep;
  PackBuffers* bufs;  // bufs[t].a: thread t's A block; bufs[t].b: its B panel (splitM: bufs[0].b is shared)
  int threads;
  long maxTiles;      // splitM: the most MR row tiles one claim may take (its A block fits the buffer)
  RoundSync* rounds;  // splitM: one per (jc, pc) block
  std::atomic<long> next{0}, done{0};  // column pieces claimed and finished
};

// Guided self-scheduling: a claim takes 1/threads of the tiles still unclaimed (at least one, at
// most maxTiles), so with every thread running the first claims are the fair shares (each core
// reuses its packed panels over as many tiles as a fixed split would), and only the tail is cut
// fine enough to balance. Returns the first tile, or −1 when none is left; *count the tiles.
long claim(std::atomic<long>& next, long total, int threads, long maxTiles, long* count) {
  long cur = next.load(std::memory_order_relaxed);
  for (;;) {
    if (cur >= total) return -1;
    long take = (total - cur + threads - 1) / threads;
    if (take > maxTiles) take = maxTiles;
    if (next.compare_exchange_weak(cur, cur + take, std::memory_order_relaxed)) {
      *count = take;
      return cur;
    }
  }
}

// The mc×kc block of op(A) at (ic, pc) as the micro-kernels read it: packed into pa, or in place
// with only a partial last row tile packed (into pa).
template <typename T> APanel<T> aPanel(const GemmJob<T>& J, long ic, long pc, long mc, long kc, T* pa) {
  const GemmTile<T>& tile = *J.tile;
  if (!J.aInPlace) {
    tile.packA(J.ta, J.a, J.lda, ic, pc, mc, kc, pa);
    return {pa, tile.mr * kc, 1, tile.mr, nullptr};
  }
  const long full = mc / tile.mr * tile.mr;
  const T* tail = nullptr;
  if (full < mc) {
    tile.packA(J.ta, J.a, J.lda, ic + full, pc, mc - full, kc, pa);
    tail = pa;
  }
  if (J.ta) return {J.a + pc * J.lda + ic, tile.mr, 1, J.lda, tail};
  return {J.a + ic * J.lda + pc, tile.mr * J.lda, J.lda, 1, tail};
}

// The rows split: round by round over the (jc, pc) blocks, B panels then row pieces.
template <typename T> void gemmRows(GemmJob<T>& J, int t) {
  const GemmTile<T>& tile = *J.tile;
  const int nr = tile.nr;
  T* pa = (T*)J.bufs[t].a;
  T* pb = (T*)J.bufs[0].b;
  const long rowTiles = (J.m + tile.mr - 1) / tile.mr;
  long r = 0;
  for (long jc = 0; jc < J.n; jc += J.blk.nc) {
    const long nc = lmin(J.blk.nc, J.n - jc), panels = (nc + nr - 1) / nr;
    for (long pc = 0; pc < J.k; pc += J.blk.kc, r++) {
      const long kc = lmin(J.blk.kc, J.k - pc);
      const bool last = pc + kc >= J.k;
      RoundSync& R = J.rounds[r];
      for (long p; (p = R.bNext.fetch_add(1, std::memory_order_relaxed)) < panels;) {
        tile.packB(J.tb, J.b, J.ldb, pc, jc + p * nr, kc, lmin(nr, nc - p * nr), pb + p * nr * kc);
        R.bDone.fetch_add(1, std::memory_order_release);
      }
      spinUntil([&] { return R.bDone.load(std::memory_order_acquire) == panels; });
      const T bt = pc == 0 ? J.beta : (T)1;  // later k blocks accumulate onto the first
      long q, count;
      while ((q = claim(R.rNext, rowTiles, J.threads, J.maxTiles, &count)) >= 0) {
        const long ic = q * tile.mr, mc = lmin(count * tile.mr, J.m - ic);
        tile.macro(kc, mc, nc, aPanel<T>(J, ic, pc, mc, kc, pa), pb, J.c + ic * J.ldc + jc, J.ldc, J.alpha, bt,
                   last ? J.ep : nullptr, ic, jc);
        R.rDone.fetch_add(count, std::memory_order_release);
      }
      // The shared panel is repacked next round, and the caller returns after the last one: wait
      // until every row tile of this round is finished (by whichever thread claimed it).
      spinUntil([&] { return R.rDone.load(std::memory_order_acquire) == rowTiles; });
    }
  }
}

// The columns split (and the one-thread case, with a single piece): each piece is a whole GEMM.
template <typename T> void gemmCols(GemmJob<T>& J, int t) {
  const GemmTile<T>& tile = *J.tile;
  T* pa = (T*)J.bufs[t].a;
  T* pb = (T*)J.bufs[t].b;
  const long colTiles = (J.n + tile.nr - 1) / tile.nr;
  long q, count;
  while ((q = claim(J.next, colTiles, J.threads, colTiles, &count)) >= 0) {
    const long j0 = q * tile.nr, j1 = lmin(J.n, j0 + count * tile.nr);
    for (long jc = j0; jc < j1; jc += J.blk.nc) {
      const long nc = lmin(J.blk.nc, j1 - jc);
      for (long pc = 0; pc < J.k; pc += J.blk.kc) {
        const long kc = lmin(J.blk.kc, J.k - pc);
        const bool last = pc + kc >= J.k;
        tile.packB(J.tb, J.b, J.ldb, pc, jc, kc, nc, pb);
        const T bt = pc == 0 ? J.beta : (T)1;
        for (long ic = 0; ic < J.m; ic += J.blk.mc) {
          const long mc = lmin(J.blk.mc, J.m - ic);
          tile.macro(kc, mc, nc, aPanel<T>(J, ic, pc, mc, kc, pa), pb, J.c + ic * J.ldc + jc, J.ldc, J.alpha, bt,
                     last ? J.ep : nullptr, ic, jc);
        }
      }
    }
    J.done.fetch_add(count, std::memory_order_release);
  }
  spinUntil([&] { return J.done.load(std::memory_order_acquire) == colTiles; });
}

template <typename T> void gemmPart(GemmJob<T>& J, int t) {
  if (J.splitM) gemmRows<T>(J, t);
  else gemmCols<T>(J, t);
}

// Persistent GEMM workers: created on first use, then parked. A worker spins briefly after each
// job (the next GEMM of a training step usually follows within microseconds), then sleeps on a
// condition variable so an idle worker gives its core back. One GEMM uses the pool at a time; a
// caller that finds it busy (another JS thread) runs single-threaded.
//
// The caller never waits for a worker to wake: it does whatever work is left unclaimed, then
// closes the job and waits only for workers inside it (`entered`). A worker that wakes after the
// close skips the job without touching it (the job lives on the caller's stack).
struct Task {
  void (*fn)(void*, int);
  void* arg;
  int active;  // threads of this job (caller included)
};

struct Pool {
  std::mutex busy;
  std::mutex sleepLock;
  std::condition_variable wake;
  std::atomic<uint64_t> generation{0};
  std::atomic<int> sleepers{0};
  std::atomic<int> entered{0};
  std::atomic<bool> closed{true};
  std::atomic<const Task*> task{nullptr};
  int workers = 0;  // threads started; worker w runs part w + 1
  PackBuffers bufs[MAX_THREADS] = {};

  void workerLoop(int part, uint64_t seen) {
    for (;;) {
      uint64_t g = seen;
      const auto start = std::chrono::steady_clock::now();
      for (int spins = 0; (g = generation.load(std::memory_order_acquire)) == seen; spins++) {
        cpuRelax();
        if ((spins & 255) == 255 && std::chrono::steady_clock::now() - start > std::chrono::microseconds(200)) break;
      }
      if (g == seen) {
        std::unique_lock<std::mutex> lk(sleepLock);
        sleepers.fetch_add(1);
        wake.wait(lk, [&] { return generation.load() != seen; });
        sleepers.fetch_sub(1);
        g = generation.load();
      }
      seen = g;
      // seq_cst increment, then check: either the caller sees us inside and waits, or we see the
      // job closed and leave it alone.
      entered.fetch_add(1);
      if (!closed.load()) {
        const Task* tk = task.load();
        if (part < tk->active) tk->fn(tk->arg, part);
      }
      entered.fetch_sub(1);
    }
  }

  // Starts workers up to threads − 1; returns how many threads a job can use.
  int reserve(int threads) {
    while (workers < threads - 1) {
      try {
        const int part = workers + 1;
        const uint64_t now = generation.load();
        std::thread([this, part, now] { workerLoop(part, now); }).detach();
        workers = part;
      } catch (...) {
        break;
      }
    }
    return threads < workers + 1 ? threads : workers + 1;
  }

  // Runs fn(arg, part) on the calling thread (part 0) and the woken workers; fn itself returns
  // only when the whole job is done. Caller holds `busy` and reserved the workers.
  void run(int threads, void (*f)(void*, int), void* a) {
    const Task tk{f, a, threads};
    task.store(&tk);
    closed.store(false);
    generation.fetch_add(1);  // seq_cst: pairs with the sleepers check below
    if (sleepers.load() > 0) {
      std::lock_guard<std::mutex> lk(sleepLock);
      wake.notify_all();
    }
    f(a, 0);
    closed.store(true);
    spinUntil([&] { return entered.load() == 0; });
  }
};
Pool& pool() {
  static Pool* p = new Pool;  // never destroyed: detached workers may outlive static destructors
  return *p;
}

template <typename T> void runPart(void* job, int t) { gemmPart<T>(*(GemmJob<T>*)job, t); }

// Effective threads for an m×n×k product: 1 below the threshold, and never more than there are
// row (splitM) or column tiles to share.
//
// With op(A) read in place, the columns split is preferred: each core packs only its own columns
// of B, which stay in its own L2, reads A where it lies (nothing is packed twice) and meets the
// other core only at the end. Sharing one packed B panel instead (the rows split) makes each core
// read the half of B that the other packed, from the other core's cache, and wait at a barrier per
// panel: measured on Zen 5 at 128×784×256 (best of 800 calls, A in place), 2 threads over 1 were
// 1.78× (NN), 1.95× (TN) and 1.88× (NT) splitting columns against 1.22×, 1.76× and 1.24× splitting
// rows. Packing A (aInPlace off) keeps the rows split, which packs each row of A once.
template <typename T>
int threadsFor(const GemmTile<T>& tile, bool aInPlace, long m, long n, long k, bool* splitM) {
  int threads = g_threads.load(std::memory_order_relaxed);
  if (threads > 1 && (double)m * n * k < g_threadMinMacs.load(std::memory_order_relaxed)) threads = 1;
  const long rowTiles = (m + tile.mr - 1) / tile.mr, colTiles = (n + tile.nr - 1) / tile.nr;
  if (aInPlace) *splitM = colTiles < 2L * threads && rowTiles > colTiles;
  else *splitM = rowTiles >= 2L * threads || rowTiles >= colTiles;
  const long tiles = *splitM ? rowTiles : colTiles;
  if (threads > tiles) threads = (int)tiles;
  return threads < 1 ? 1 : threads;
}

template <typename T>
bool runGemm(const Isa& isaRef, const KernelSet<T>& ks, bool ta, bool tb, long m, long n, long k, T alpha,
             const T* a, long lda, const T* b, long ldb, T beta, T* c, long ldc, const Epilogue<T>* ep) {
  if (k == 0 || alpha == 0) {
    // Nothing to multiply: C = beta·C, with beta == 0 overwriting (NaN included).
    for (long i = 0; i < m; i++)
      for (long j = 0; j < n; j++) {
        T* p = c + i * ldc + j;
        *p = beta == 0 ? 0 : beta * *p;
      }
    if (ep) ks.epilogue(ep, m, n, c, ldc, 0, 0);
    return true;
  }
  const GemmConfig& cfg = g_config[isaIndex(&isaRef)];
  const GemmTile<T>& tile = ks.tiles[cfg.tile < ks.tileCount ? cfg.tile : 0];
  bool splitM = true;
  int threads = threadsFor<T>(tile, cfg.aInPlace, m, n, k, &splitM);
  Pool& P = pool();
  std::unique_lock<std::mutex> lock(P.busy, std::defer_lock);
  if (threads > 1 && !lock.try_lock()) threads = 1;
  if (threads > 1) threads = P.reserve(threads);
  const Blocking<T> blk = blockingFor<T>(cfg, tile, m, splitM || threads == 1 ? n : (n + threads - 1) / threads, k);
  PackBuffers* bufs = threads > 1 ? P.bufs : t_scratch.bufs;
  for (int t = 0; t < threads; t++) {
    const size_t aBytes = (size_t)(blk.mc * blk.kc) * sizeof(T), bBytes = (size_t)(blk.nc * blk.kc) * sizeof(T);
    if (!ensure(&bufs[t].a, &bufs[t].aBytes, aBytes)) return false;
    if ((t == 0 || !splitM) && !ensure(&bufs[t].b, &bufs[t].bBytes, bBytes)) return false;
  }
  if (threads == 1) splitM = false;  // one claim of every column: the plain blocked loops
  std::unique_ptr<RoundSync[]> rounds;
  if (splitM) {
    const long count = ((n + blk.nc - 1) / blk.nc) * ((k + blk.kc - 1) / blk.kc);
    rounds.reset(new (std::nothrow) RoundSync[count]);
    if (!rounds) return false;
  }
  GemmJob<T> job{&tile, ta, tb, splitM, cfg.aInPlace, m, n, k, lda, ldb, ldc, alpha, beta, a, b, c, blk, ep, bufs, threads,
                 blk.mc / tile.mr, rounds.get()};
  if (threads == 1) gemmPart<T>(job, 0);
  else P.run(threads, runPart<T>, &job);
  return true;
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
  bool ok;
  if (size == 4)
    ok = runGemm<float>(*isa, isa->f32, ta, tb, m, n, k, (float)alpha, (const float*)A.data + aOff, lda,
                        (const float*)B.data + bOff, ldb, (float)beta, (float*)C.data + cOff, ldc, nullptr);
  else
    ok = runGemm<double>(*isa, isa->f64, ta, tb, m, n, k, alpha, (const double*)A.data + aOff, lda,
                         (const double*)B.data + bOff, ldb, beta, (double*)C.data + cOff, ldc, nullptr);
  if (!ok) { napi_throw_error(env, "ERR_NABLA_OOM", "nabla native: out of memory for GEMM packing"); return nullptr; }
  return undefinedValue(env);
}

const Isa& isa() { return *g_isa.load(std::memory_order_relaxed); }

// gemmFused(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
//           bias|null, preact|null, act, actParam, grad, gradParam, v|null); act/grad −1: none.
// C = epilogue(op(A)·op(B)), see Epilogue in kernels.h and gemmFused in src/backend/backend.ts.
napi_value GemmFused(napi_env env, napi_callback_info info) {
  Call c(env, info, 21);
  const bool ta = c.boolean(0, "transA"), tb = c.boolean(1, "transB");
  const int64_t m = c.i64(2, "m"), n = c.i64(3, "n"), k = c.i64(4, "k");
  Arr A, B, C, bias, preact, v;
  getArr(c, 5, &A, "a");
  const int64_t aOff = c.i64(6, "aOffset"), lda = c.i64(7, "lda");
  getArr(c, 8, &B, "b");
  const int64_t bOff = c.i64(9, "bOffset"), ldb = c.i64(10, "ldb");
  getArr(c, 11, &C, "c");
  const int64_t cOff = c.i64(12, "cOffset"), ldc = c.i64(13, "ldc");
  auto optional = [&](size_t i, Arr* out, const char* what) {
    napi_valuetype t = napi_undefined;
    if (c.ok) napi_typeof(env, c.argv[i], &t);
    if (t == napi_null || t == napi_undefined) return false;
    return getArr(c, i, out, what);
  };
  const bool hasBias = optional(14, &bias, "bias"), hasPreact = optional(15, &preact, "preact");
  double actD = c.f64(16, "act"), actParam = c.f64(17, "actParam");
  double gradD = c.f64(18, "grad"), gradParam = c.f64(19, "gradParam");
  const bool hasV = optional(20, &v, "v");
  const int size = sameType(c, {&A, &B, &C});
  if (!c.ok) return nullptr;
  for (const auto& [has, arr] : {std::pair<bool, const Arr*>{hasBias, &bias}, {hasPreact, &preact}, {hasV, &v}})
    if (has && arr->type != A.type) { c.fail("all arrays must have the same type (Float32Array or Float64Array)"); return nullptr; }
  const int act = (int)actD, grad = (int)gradD;
  if (act != actD || grad != gradD || act < -1 || act >= U_COUNT || grad < -1 || grad >= G_COUNT) {
    c.fail("act and grad must be op codes or -1", true);
    return nullptr;
  }
  if (act >= 0 && grad >= 0) { c.fail("an epilogue applies act or grad, not both"); return nullptr; }
  if (grad >= 0 && !hasV) { c.fail("grad needs v"); return nullptr; }
  // n = 0 probes whether this build has a kernel for the code, touching nothing.
  if (act >= 0 && !(size == 4 ? isa().f32.unary(act, 0, nullptr, nullptr, 0) : isa().f64.unary(act, 0, nullptr, nullptr, 0))) {
    unknownOp(c, "unary", act);
    return nullptr;
  }
  if (grad >= 0 && !(size == 4 ? isa().f32.unaryGrad(grad, 0, nullptr, nullptr, nullptr, 0) : isa().f64.unaryGrad(grad, 0, nullptr, nullptr, nullptr, 0))) {
    unknownOp(c, "unaryGrad", grad);
    return nullptr;
  }
  if (k > 0) {
    matrixFits(c, A, aOff, ta ? k : m, ta ? m : k, lda, "a");
    matrixFits(c, B, bOff, tb ? n : k, tb ? k : n, ldb, "b");
  }
  matrixFits(c, C, cOff, m, n, ldc, "c");
  if (hasBias) fits(c, bias, (double)n, "bias");
  if (hasPreact) fits(c, preact, (double)m * n, "preact");
  if (hasV && grad >= 0) fits(c, v, (double)m * n, "v");
  if (!c.ok) return nullptr;
  if (m == 0 || n == 0) return undefinedValue(env);
  const Isa* is = g_isa.load(std::memory_order_relaxed);
  bool ok;
  if (size == 4) {
    const Epilogue<float> ep{hasBias ? (const float*)bias.data : nullptr, hasPreact ? (float*)preact.data : nullptr,
                             grad >= 0 ? (const float*)v.data : nullptr, (long)n, act, grad, (float)actParam, (float)gradParam};
    ok = runGemm<float>(*is, is->f32, ta, tb, m, n, k, 1.0f, (const float*)A.data + aOff, lda,
                        (const float*)B.data + bOff, ldb, 0.0f, (float*)C.data + cOff, ldc, &ep);
  } else {
    const Epilogue<double> ep{hasBias ? (const double*)bias.data : nullptr, hasPreact ? (double*)preact.data : nullptr,
                              grad >= 0 ? (const double*)v.data : nullptr, (long)n, act, grad, actParam, gradParam};
    ok = runGemm<double>(*is, is->f64, ta, tb, m, n, k, 1.0, (const double*)A.data + aOff, lda,
                         (const double*)B.data + bOff, ldb, 0.0, (double*)C.data + cOff, ldc, &ep);
  }
  if (!ok) { napi_throw_error(env, "ERR_NABLA_OOM", "nabla native: out of memory for GEMM packing"); return nullptr; }
  return undefinedValue(env);
}

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

// gemmTiles() → the register tiles of the current instruction set ("<MR>x<NV>v"), default first.
napi_value GemmTiles(napi_env env, napi_callback_info) {
  napi_value arr;
  napi_create_array(env, &arr);
  const KernelSet<float>& ks = isa().f32;
  for (int i = 0; i < ks.tileCount; i++) {
    napi_value s;
    napi_create_string_utf8(env, ks.tiles[i].name, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, i, s);
  }
  return arr;
}

// gemmConfig() → { tile, kcBytes, mcBytes, nc, aInPlace } of the current instruction set.
napi_value GetGemmConfig(napi_env env, napi_callback_info) {
  const GemmConfig& cfg = g_config[isaIndex(&isa())];
  napi_value o, v;
  napi_create_object(env, &o);
  napi_create_string_utf8(env, isa().f32.tiles[cfg.tile].name, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "tile", v);
  napi_create_double(env, (double)cfg.kcBytes, &v);
  napi_set_named_property(env, o, "kcBytes", v);
  napi_create_double(env, (double)cfg.mcBytes, &v);
  napi_set_named_property(env, o, "mcBytes", v);
  napi_create_double(env, (double)cfg.nc, &v);
  napi_set_named_property(env, o, "nc", v);
  napi_get_boolean(env, cfg.aInPlace, &v);
  napi_set_named_property(env, o, "aInPlace", v);
  return o;
}

// setGemmConfig(tile, kcBytes, mcBytes, nc, aInPlace) → boolean: false (nothing changed) for a tile
// name this instruction set lacks or blocking outside sane bounds.
napi_value SetGemmConfig(napi_env env, napi_callback_info info) {
  Call c(env, info, 5);
  char name[32] = {};
  size_t len;
  if (napi_get_value_string_utf8(env, c.argv[0], name, sizeof name, &len) != napi_ok) { c.fail("tile must be a string"); return nullptr; }
  const int64_t kcBytes = c.i64(1, "kcBytes"), mcBytes = c.i64(2, "mcBytes"), nc = c.i64(3, "nc");
  const bool aInPlace = c.boolean(4, "aInPlace");
  if (!c.ok) return nullptr;
  const KernelSet<float>& ks = isa().f32;
  int tile = -1;
  for (int i = 0; i < ks.tileCount; i++)
    if (std::strcmp(ks.tiles[i].name, name) == 0) tile = i;
  const bool ok = tile >= 0 && kcBytes >= 4096 && kcBytes <= (1 << 22) && mcBytes >= 16384 && mcBytes <= (1 << 26) &&
                  nc >= 64 && nc <= (1 << 20);
  if (ok) {
    GemmConfig& cfg = g_config[isaIndex(&isa())];
    cfg.tile = tile;
    cfg.kcBytes = (long)kcBytes;
    cfg.mcBytes = (long)mcBytes;
    cfg.nc = (long)nc;
    cfg.aInPlace = aInPlace;
  }
  napi_value v;
  napi_get_boolean(env, ok, &v);
  return v;
}

napi_value GetThreadMinMacs(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_double(env, g_threadMinMacs.load(), &v);
  return v;
}

napi_value GetThreads(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_int32(env, g_threads.load(), &v);
  return v;
}

// Keeps freed memory of large typed arrays in the process instead of handing it back to the
// kernel at once. V8 allocates every ArrayBuffer's backing store with calloc and frees it when the
// garbage collector sweeps; glibc serves anything above its mmap threshold (128 KiB at first) with
// a fresh mmap and trims the heap top above 2× that threshold, so the GEMM outputs and gradients
// of a training step (800 KiB for 784×256) came back as new, zero pages every step: a page fault
// per 4 KiB on first write, about as costly as the 128×784×256 GEMM that writes them (measured:
// new Float32Array(784·256) and a write per page 160–190 µs, 25 µs with these settings; the MLP
// step 1.4× faster on one thread). Up to 32 MiB per block then comes from the heap and is reused,
// and up to 64 MiB of free heap top stays mapped. glibc's own settings win: a process started with
// MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ or GLIBC_TUNABLES keeps what it asked for.
void keepFreedMemory() {
#if defined(__GLIBC__)
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TRIM_THRESHOLD_") || std::getenv("GLIBC_TUNABLES")) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

}  // namespace
}  // namespace nabla

NAPI_MODULE_INIT() {
  using namespace nabla;
  static std::once_flag mallocTuned;  // once per process, though each worker_thread loads the addon
  std::call_once(mallocTuned, keepFreedMemory);
  const Isa* expected = nullptr;
  g_isa.compare_exchange_strong(expected, bestIsa());
  struct Fn { const char* name; napi_callback cb; };
  const Fn fns[] = {
      {"gemm", Gemm}, {"unary", Unary}, {"unaryGrad", UnaryGrad}, {"binary", Binary},
      {"softmaxCrossEntropy", SoftmaxCrossEntropy}, {"sgdMomentum", SgdMomentum},  // fused_impl.inc
      {"affine", Affine}, {"axpy", Axpy}, {"dot", Dot}, {"select", Select}, {"reduce", Reduce},
      {"softmaxRows", SoftmaxRows}, {"adamStep", AdamStep}, {"isa", GetIsa}, {"setIsa", SetIsa},
      {"setThreads", SetThreads}, {"threads", GetThreads}, {"threadMinMacs", GetThreadMinMacs}, {"gemmFused", GemmFused},
      {"gemmTiles", GemmTiles}, {"gemmConfig", GetGemmConfig}, {"setGemmConfig", SetGemmConfig},
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
