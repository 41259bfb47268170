#pragma once
// Linear (TVB `models.linear.Linear`): a damped linear node, dx/dt = gamma x + c_0.
// Stable in a network when -gamma exceeds the node's weighted in-degree.
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_linear_parameters {
    S gamma = -10.0;
};
using linear_parameters = basic_linear_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_linear_parameters<double>, gamma);

namespace brainweave::models {
struct linear {
    static constexpr sv name = "Linear";
    static constexpr bool vectorizable = true;
    using parameters = linear_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 1> state_variables{"x"};
    static constexpr std::array<std::size_t, 1> cvar{0};
    static constexpr std::array<interval, 1> state_variable_range{{{-1.0, 1.0}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    template <class P, class T>
    static void dfun(const P& p, const T* x, const T* c, T* dx) noexcept {
        dx[0] = p.gamma * x[0] + c[0];
    }
};
}  // namespace brainweave::models
