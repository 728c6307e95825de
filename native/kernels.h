// The table of kernels one instruction-set build provides. kernels_impl.inc is compiled three
// times (AVX-512, AVX2+FMA, baseline) into separate namespaces; the addon picks one table at load
// time with __builtin_cpu_supports, so a single binary runs on any x86-64 (or any CPU, generic only).
#ifndef NABLA_KERNELS_H
#define NABLA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

namespace nabla {

// Elementwise op codes: the op registry's (src/ops/, each kernel's `code`), one numbering for WASM
// and native. Gaps are ops this addon leaves to JavaScript. test/ops/kernel-codes.test.ts checks
// these enums against the registry. Each *_COUNT stays last: the addon rejects codes from it up.
enum UnaryCode { U_NEG = 0, U_EXP = 1, U_SQRT = 3, U_ABS = 4, U_SIGN = 5, U_SQUARE = 6, U_RECIPROCAL = 7,
                 U_TANH = 10, U_SIGMOID = 11, U_RELU = 12, U_HEAVISIDE = 14, U_LEAKY_RELU = 15, U_GELU = 17,
                 U_COUNT = 18 };
enum UnaryGradCode { G_RELU = 0, G_SIGMOID = 1, G_TANH = 2, G_LEAKY_RELU = 3, G_GELU = 5, G_COUNT = 7 };
enum BinaryCode { B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_MAXIMUM = 5, B_MINIMUM = 6, B_EQ = 7, B_NE = 8,
                  B_LT = 9, B_LE = 10, B_GT = 11, B_GE = 12, B_COUNT = 13 };
enum ReduceCode { R_SUM, R_MAX, R_MIN, R_ARGMAX, R_ARGMIN, R_COUNT };

// What gemmFused does to each finished block of C (alpha = 1, beta = 0), in this order: + bias[j];
// preact = C; C = act(C) — or instead of act, C = C ⊙ grad′(v). bias/preact/v are contiguous with row
// stride n (C's own stride is ldc). act/grad < 0: none.
template <typename T> struct Epilogue {
  const T* bias;
  T* preact;
  const T* v;
  long ld;  // row stride of preact and v (= n)
  int act, grad;
  T actParam, gradParam;
};

// Where the micro-kernels read an mc×kc block of op(A): row tile t (rows t·MR .. t·MR + MR − 1 of
// the block) starts at a + t·tileStep, and its element (i, p) is at [i·rs + p·cs]; one of rs and cs
// is 1. Packed panels: tileStep = MR·kc, rs = 1, cs = MR. A read in place, where it lies in the
// caller's array: op(A) = A gives rs = lda, cs = 1 (MR rows side by side), op(A) = Aᵀ gives rs = 1,
// cs = lda (MR consecutive values of one row of A). Reading in place saves packing, which is most
// of what a GEMM at a training step's sizes spends outside the micro-kernel. In place, a last row
// tile with fewer than MR rows would read past op(A): it is packed, into `tail` (kc×MR, padded).
template <typename T> struct APanel {
  const T* a;
  long tileStep, rs, cs;
  const T* tail;  // the packed last row tile when it is partial and A is read in place; else null
};

// One register-tile variant of the GEMM: the micro-kernel is MR×NR, and the packing routines lay
// op(A) and op(B) out in the panels it reads. The loops around it (cache blocking, threads) are the
// addon's, so that blocking and splitting can be chosen at run time for every variant alike.
template <typename T> struct GemmTile {
  const char* name;  // "<MR>x<NR>", unique within one instruction set
  int mr, nr;
  // op(A)[ic.., pc..] (mc×kc) → ceil(mc/MR) panels, each kc×MR, zero-padded.
  void (*packA)(bool trans, const T* a, long lda, long ic, long pc, long mc, long kc, T* dst);
  // op(B)[pc.., jc..] (kc×nc) → ceil(nc/NR) panels, each kc×NR, zero-padded.
  void (*packB)(bool trans, const T* b, long ldb, long pc, long jc, long kc, long nc, T* dst);
  // C (mc×nc block at c) = alpha·A·packedB + beta·C, A as `a` says; beta == 0 never reads C. With
  // ep, each mc×NR column panel gets the epilogue once it is computed (while it is still in L1);
  // (i0, j0) is the block's position in the whole C, where bias/preact/v are indexed.
  void (*macro)(long kc, long mc, long nc, const APanel<T>& a, const T* pb, T* c, long ldc, T alpha, T beta,
                const Epilogue<T>* ep, long i0, long j0);
};

constexpr int MAX_TILES = 4;

template <typename T> struct KernelSet {
  GemmTile<T> tiles[MAX_TILES];  // tiles[0] is this instruction set's default
  int tileCount;
  // The epilogue on rows × cols of C at c, (i0, j0) its position in the whole C (the k == 0 case).
  void (*epilogue)(const Epilogue<T>* ep, long rows, long cols, T* c, long ldc, long i0, long j0);
  bool (*unary)(int op, long n, const T* x, T* out, T param);
  bool (*unaryGrad)(int op, long n, const T* v, const T* g, T* out, T param);
  bool (*binary)(int op, long n, const T* a, const T* b, T* out);
  void (*affine)(long n, const T* x, double s, double t, T* out);
  void (*axpy)(long n, double alpha, const T* x, T* y);
  double (*dot)(long n, const T* x, const T* y);
  void (*select)(long n, const T* cond, const T* a, const T* b, T* out);
  void (*reduce)(int op, long outer, long len, long inner, const T* x, T* out);
  // Softmax over rows (inner == 1) of an [outer, len] matrix.
  void (*softmaxRows)(long outer, long len, const T* x, T* out, bool log);
  // One Adam step in place (see adamStep in src/backend/backend.ts).
  void (*adam)(long n, T* w, const T* g, T* m, T* v, double stepSize, double beta1, double beta2,
               double eps, double bc2Sqrt, double coupledDecay, double shrink);
};

struct Isa {
  const char* name;
  KernelSet<float> f32;
  KernelSet<double> f64;
};

namespace generic { extern const Isa isa; }
#if defined(__x86_64__)
namespace avx2 { extern const Isa isa; }
namespace avx512 { extern const Isa isa; }
#endif

}  // namespace nabla

#endif
