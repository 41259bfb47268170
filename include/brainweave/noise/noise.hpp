#pragma once
// Noise processes of the stochastic integrators (TVB `noise.Additive`, `noise.Multiplicative`).
//
// The increment added to state variable v of a node over one step is
//
//   dW_v = sqrt(dt) z_v g_v(x),   additive:       g_v = sqrt(2 nsig_v)
//                                 multiplicative: g_v = sqrt(2 nsig_v (a x_v + b))
//
// with z standard-normal draws from the Source policy, and g evaluated at the state at the start
// of the step (TVB's convention; the same increment is used by both Heun stages).
// nsig holds one value for all state variables or one per state variable.
// With a SIMD value type (one parameter set per lane) every lane draws the same z: each lane
// equals the scalar run with the same seed (common random numbers across a sweep).
#include <brainweave/core/error.hpp>
#include <brainweave/noise/sources.hpp>

#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace brainweave::noise {

/// No noise: the integrators' deterministic forms.
struct none {
    static constexpr bool enabled = false;
    static constexpr std::string_view name = "None";
};

namespace detail {
inline void check_nsig(const std::vector<double>& nsig, std::size_t n_state, std::string_view owner) {
    if (nsig.size() != 1 && nsig.size() != n_state)
        throw config_error(std::string(owner) + " noise: nsig has " + std::to_string(nsig.size()) +
                           " values; expected 1 or one per state variable (" + std::to_string(n_state) + ")");
    for (double v : nsig)
        if (!(v >= 0.0) || !std::isfinite(v))
            throw config_error(std::string(owner) + " noise: nsig must be finite and >= 0, got " + std::to_string(v));
}
inline double nsig_of(const std::vector<double>& nsig, std::size_t var) noexcept {
    return nsig.size() == 1 ? nsig[0] : nsig[var];
}
}  // namespace detail

template <class Source = philox_normal>
struct additive {
    static constexpr bool enabled = true;
    static constexpr std::string_view name = "Additive";
    std::vector<double> nsig{1.0};  ///< TVB's default
    Source source{};

    void check(std::size_t n_state, std::string_view owner) const { detail::check_nsig(nsig, n_state, owner); }

    /// Increments for one node: x and dW hold n_state * n_modes values ([var][mode]).
    template <std::size_t NS, std::size_t NM, class T>
    void increment(std::int64_t step, std::size_t node, const T*, T* dW, double dt) const {
        std::array<double, NS * NM> z;
        source.fill(step, node, z.data(), NS * NM);
        const double sdt = std::sqrt(dt);
        for (std::size_t v = 0; v < NS; ++v) {
            const double g = std::sqrt(2.0 * detail::nsig_of(nsig, v));
            for (std::size_t m = 0; m < NM; ++m) dW[v * NM + m] = T(sdt * z[v * NM + m] * g);
        }
    }
};

template <class Source = philox_normal>
struct multiplicative {
    static constexpr bool enabled = true;
    static constexpr std::string_view name = "Multiplicative";
    std::vector<double> nsig{1.0};
    Source source{};
    double a = 1.0, b = 0.0;  ///< TVB's default b(x) = equations.Linear(a=1, b=0)

    void check(std::size_t n_state, std::string_view owner) const { detail::check_nsig(nsig, n_state, owner); }

    template <std::size_t NS, std::size_t NM, class T>
    void increment(std::int64_t step, std::size_t node, const T* x, T* dW, double dt) const {
        using std::sqrt;
        std::array<double, NS * NM> z;
        source.fill(step, node, z.data(), NS * NM);
        const double sdt = std::sqrt(dt);
        for (std::size_t v = 0; v < NS; ++v)
            for (std::size_t m = 0; m < NM; ++m) {
                const std::size_t k = v * NM + m;
                dW[k] = sdt * z[k] * sqrt(2.0 * detail::nsig_of(nsig, v) * (a * x[k] + b));
            }
    }
};

}  // namespace brainweave::noise
