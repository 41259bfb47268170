#pragma once
// Value types of a simulation: a scalar (double, float) or a SIMD batch of parameter sets
// (xsimd::batch<double>, one parameter set per lane).
//
// | expression                 | meaning                                                          |
// |----------------------------|------------------------------------------------------------------|
// | simd::lanes_v<V>           | lanes of V (1 for double and float)                              |
// | simd::scalar_t<V>          | element type (double for xsimd::batch<double>)                   |
// | simd::lane(v, l)           | lane l of v as a scalar                                          |
// | simd::rebind_t<P, V>       | P<V> for a policy or parameter struct written as a template      |
// |                            | P<double> over one scalar type (e.g. coupling::basic_linear)     |
// | simd::rebindable<P>        | whether P can be rebound and packed lane by lane                 |
// | simd::pack<V>(objs)        | one P<V> whose lane l holds objs[l] (objs: lanes_v<V> P<double>) |
// | simd::broadcast<V>(obj)    | P<V> with obj in every lane                                      |
// | simd::load<B>(p), store    | B from/to p: *p when B is p's own type, else B's lanes from the  |
// |                            | consecutive values at p (a batch of nodes)                       |
//
// Packing works field by field through std::bit_cast: a rebindable struct holds only members of
// its scalar type, so P<double> is an array of doubles and P<batch> an array of batches.
#include <brainweave/core/rebind.hpp>

#include <xsimd/xsimd.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <span>
#include <type_traits>

namespace brainweave::simd {

/// A B from p: *p if B is the type p points to, else lanes_v<B> consecutive values (unaligned).
template <class B, class T>
B load(const T* p) noexcept {
    if constexpr (std::is_same_v<B, T>)
        return *p;
    else
        return B::load_unaligned(p);
}
/// The inverse of load.
template <class B, class T>
void store(const B& b, T* p) noexcept {
    if constexpr (std::is_same_v<B, T>)
        *p = b;
    else
        b.store_unaligned(p);
}

/// The widest batch of doubles the target supports (8 lanes with AVX-512, 4 with AVX2).
using native_double = xsimd::batch<double>;

template <class V>
struct value_traits {
    static constexpr std::size_t lanes = 1;
    using scalar = V;
};
template <class T, class A>
struct value_traits<xsimd::batch<T, A>> {
    static constexpr std::size_t lanes = xsimd::batch<T, A>::size;
    using scalar = T;
};

template <class V>
inline constexpr std::size_t lanes_v = value_traits<V>::lanes;
template <class V>
using scalar_t = typename value_traits<V>::scalar;
template <class V>
inline constexpr bool is_batch_v = lanes_v<V> > 1;

/// Lane l of v.
template <class V>
scalar_t<V> lane(const V& v, std::size_t l) noexcept {
    if constexpr (is_batch_v<V>)
        return v.get(l);
    else
        return (void)l, v;
}

/// Batch (or scalar) from lanes_v<V> scalars.
template <class V>
V from_lanes(const scalar_t<V>* values) noexcept {
    if constexpr (is_batch_v<V>)
        return V::load_unaligned(values);
    else
        return values[0];
}

/// P is P<double> (a template over one scalar type) and holds nothing but doubles, so that it can be
/// packed into lanes field by field.
template <class P>
concept rebindable = std::is_same_v<typename detail::rebind_scalar<P>::type, double> &&
                     std::is_trivially_copyable_v<P> && sizeof(P) % sizeof(double) == 0 &&
                     std::is_trivially_copyable_v<rebind_t<P, native_double>> &&
                     sizeof(rebind_t<P, native_double>) / sizeof(native_double) == sizeof(P) / sizeof(double);

/// One P<V> whose lane l holds objs[l] (lanes past objs.size() repeat objs[0]); with a scalar V
/// (e.g. float) the fields are converted.
template <class V, class P>
    requires rebindable<P>
rebind_t<P, V> pack(std::span<const P> objs) {
    constexpr std::size_t n = sizeof(P) / sizeof(double), L = lanes_v<V>;
    static_assert(sizeof(rebind_t<P, V>) == n * sizeof(V), "brainweave: a rebindable struct holds only its scalar type");
    std::array<std::array<double, n>, L> fields{};
    for (std::size_t l = 0; l < L; ++l) fields[l] = std::bit_cast<std::array<double, n>>(objs[l < objs.size() ? l : 0]);
    std::array<V, n> packed{};
    for (std::size_t k = 0; k < n; ++k) {
        std::array<scalar_t<V>, L> lanes{};
        for (std::size_t l = 0; l < L; ++l) lanes[l] = static_cast<scalar_t<V>>(fields[l][k]);
        packed[k] = from_lanes<V>(lanes.data());
    }
    return std::bit_cast<rebind_t<P, V>>(packed);
}

/// P<V> with obj in every lane.
template <class V, class P>
    requires rebindable<P>
rebind_t<P, V> broadcast(const P& obj) {
    return pack<V>(std::span<const P>(&obj, 1));
}

}  // namespace brainweave::simd
