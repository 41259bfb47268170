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
// | simd::to_lanes(in, n, out, s) | lane l of in[k] to out[l s + k] (one row per parameter set)  |
// | simd::load<B>(p), store    | B from/to p: *p when B is p's own type, else B's lanes from the  |
// |                            | consecutive values at p (a batch of nodes)                       |
//
// Packing works field by field through std::bit_cast: a rebindable struct holds only members of
// its scalar type, so P<double> is an array of doubles and P<batch> an array of batches.
#include <brainweave/core/rebind.hpp>

#include <xsimd/xsimd.hpp>

#include <algorithm>
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

/// Lane l of in[k] to out[l * stride + k] as double, for k < count: a batch of parameter sets
/// split into one row per set. With AVX-512, batches of 8 doubles are transposed 8 at a time in
/// registers (three rounds of interleaving), so each row is written with vector stores; other
/// types go value by value.
template <class V>
void to_lanes(const V* in, std::size_t count, double* out, std::size_t stride) noexcept {
    constexpr std::size_t L = lanes_v<V>;
    std::size_t k = 0;
#if defined(__AVX512F__)
    if constexpr (L == 8 && std::is_same_v<scalar_t<V>, double>) {
        const __m512i lo = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11), hi = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
        for (; k + L <= count; k += L) {
            __m512d rows[L], next[L];
            for (std::size_t j = 0; j < L; ++j) rows[j] = in[k + j];
            for (int round = 0; round < 3; ++round) {  // row 2i + h <- interleave(half h of rows i and i + 4)
                for (std::size_t i = 0; i < L / 2; ++i) {
                    next[2 * i] = _mm512_permutex2var_pd(rows[i], lo, rows[i + L / 2]);
                    next[2 * i + 1] = _mm512_permutex2var_pd(rows[i], hi, rows[i + L / 2]);
                }
                std::copy(next, next + L, rows);
            }
            for (std::size_t l = 0; l < L; ++l) _mm512_storeu_pd(out + l * stride + k, rows[l]);
        }
    }
#endif
    for (; k < count; ++k) {
        std::array<scalar_t<V>, L> tmp;
        if constexpr (L > 1)
            in[k].store_unaligned(tmp.data());
        else
            tmp[0] = in[k];
        for (std::size_t l = 0; l < L; ++l) out[l * stride + k] = static_cast<double>(tmp[l]);
    }
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
