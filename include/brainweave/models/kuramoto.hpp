#pragma once
// Kuramoto (TVB `models.oscillator.Kuramoto`), Kuramoto 1975; Strogatz 2000; Cabral et al. 2011.
//
//   dtheta/dt = omega + c_0
//
// The phase is not wrapped (TVB does not wrap it either). Use with the Kuramoto coupling.
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_kuramoto_parameters {
    S omega = 1.0;
};
using kuramoto_parameters = basic_kuramoto_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_kuramoto_parameters<double>, omega);

namespace brainweave::models {
struct kuramoto {
    static constexpr sv name = "Kuramoto";
    static constexpr bool vectorizable = true;
    using parameters = kuramoto_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 1> state_variables{"theta"};
    static constexpr std::array<std::size_t, 1> cvar{0};
    static constexpr std::array<interval, 1> state_variable_range{{{0.0, 2.0 * std::numbers::pi}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    template <class P, class T>
    static void dfun(const P& p, const T*, const T* c, T* dx) noexcept {
        dx[0] = p.omega + c[0];
    }
};
}  // namespace brainweave::models
