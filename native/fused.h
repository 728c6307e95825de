// The table of fused (non-GEMM) kernels one instruction-set build provides: fused_impl.inc is
// compiled into the same three namespaces as kernels_impl.inc, and the addon picks the table of
// the instruction set in use (kernels.h's Isa). Kept apart from KernelSet so that the GEMM's table
// and this one change independently.
#ifndef NABLA_FUSED_H
#define NABLA_FUSED_H

namespace nabla {

template <typename T> struct FusedSet {
  // Σ_rows −log softmax(z)[label] (double); grad = scale·(softmax(z) − onehot(label)).
  double (*softmaxCrossEntropy)(long rows, long classes, const T* logits, const T* labels, T* grad, double scale);
  // One SGD step with momentum in place (see sgdMomentumStep in src/backend/backend.ts).
  void (*sgdMomentum)(long n, T* w, const T* g, T* buf, double lr, double momentum, double dampening,
                      double weightDecay, bool nesterov, bool first);
};

struct FusedIsa {
  FusedSet<float> f32;
  FusedSet<double> f64;
};

namespace generic { extern const FusedIsa fused; }
#if defined(__x86_64__)
namespace avx2 { extern const FusedIsa fused; }
namespace avx512 { extern const FusedIsa fused; }
#endif

}  // namespace nabla

#endif
