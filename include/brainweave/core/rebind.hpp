#pragma once
// Rebinding a policy or parameter struct written as a template over one scalar type (P<double>) to
// another value type (P<float>, P<xsimd::batch<double>>); see core/simd.hpp for packing lanes.
namespace brainweave::simd {

template <class P, class V>
struct rebind {};
template <template <class> class P, class U, class V>
struct rebind<P<U>, V> {
    using type = P<V>;
};
template <class P, class V>
using rebind_t = typename rebind<P, V>::type;

namespace detail {
template <class P>
struct rebind_scalar {
    using type = void;
};
template <template <class> class P, class U>
struct rebind_scalar<P<U>> {
    using type = U;
};
}  // namespace detail

}  // namespace brainweave::simd
