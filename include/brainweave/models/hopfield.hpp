#pragma once
// Hopfield (TVB `models.hopfield.Hopfield`), Hopfield 1984, PNAS 81:3088; continuous-time form
// with static or dynamic threshold (Golos, Jirsa & Dauce 2015).
//
//   static threshold  (cvar x):        dx/dt = (-x + c_0) / taux,  dtheta/dt = dx/dt
//   dynamic threshold (cvar x, theta): dx/dt = (-x + c_0) / taux,  dtheta/dt = (-theta + c_1) / tauT
//
// TVB switches between the two at configure time from the `dynamic` parameter; here they are two
// types (`hopfield`, `hopfield_dynamic`) because the coupling variables differ. The static form
// returns dx twice, as TVB does. Use PreSigmoidal coupling for the dynamic form.
#include <brainweave/core/error.hpp>
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
struct hopfield_parameters {
    double taux = 1.0, tauT = 5.0;
    bool dynamic = false;
};
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::hopfield_parameters, taux, tauT, dynamic);

namespace brainweave::models {
template <bool Dynamic>
struct basic_hopfield {
    static constexpr sv name = "Hopfield";
    using parameters = hopfield_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 2> state_variables{"x", "theta"};
    static constexpr auto cvar = [] {
        if constexpr (Dynamic)
            return std::array<std::size_t, 2>{0, 1};
        else
            return std::array<std::size_t, 1>{0};
    }();
    static constexpr std::array<interval, 2> state_variable_range{{{-1.0, 2.0}, {0.0, 1.0}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    using node_data = parameters;
    static node_data derive(const parameters& p) {
        if (p.dynamic != Dynamic)
            throw config_error(std::string("Hopfield parameter 'dynamic' is ") + (p.dynamic ? "1" : "0") +
                               " but the model type is " + (Dynamic ? "hopfield_dynamic" : "hopfield") +
                               "; choose the type that matches");
        return p;
    }

    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx) noexcept {
        dx[0] = (-y[0] + c[0]) / p.taux;
        if constexpr (Dynamic)
            dx[1] = (-y[1] + c[1]) / p.tauT;
        else
            dx[1] = dx[0];
    }
};
using hopfield = basic_hopfield<false>;
using hopfield_dynamic = basic_hopfield<true>;
}  // namespace brainweave::models
