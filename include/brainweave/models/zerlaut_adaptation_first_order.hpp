#pragma once
// ZerlautAdaptationFirstOrder (TVB `models.zerlaut.ZerlautAdaptationFirstOrder`): first-order
// mean field of adaptive exponential integrate-and-fire networks, Zerlaut et al. 2018,
// J. Comput. Neurosci. 44:45; di Volo et al. 2019, Neural Comput. 31:653 ([MV_2018] in TVB).
//
//   T dE/dt   = F_e(E, I, Fe_ext, W_e) - E
//   T dI/dt   = F_i(E, I, Fe_ext, W_i) - I
//   dW_e/dt   = -W_e / tau_w_e + b_e E + a_e (mu_V(e) - E_L_e) / tau_w_e
//   dW_i/dt   = -W_i / tau_w_i + b_i I + a_i (mu_V(i) - E_L_i) / tau_w_i
//   dou/dt    = -ou / tau_OU
//   Fe_ext    = max-rectified (c_0 + weight_noise ou)   (set to 0 where Fe_ext K_ext_e < 0)
//   F(...)    = erfc((V_thre - mu_V) / (sqrt(2) sigma_V)) / (2 T_V), with mu_V, sigma_V, T_V the
//               conductance-based fluctuation statistics (eqns 5-9 of [MV_2018]) and V_thre the
//               fitted second-order polynomial P (eqn 11) in mV.
//
// E and I are rates in kHz, W in pA, time in ms. `S_i` is declared by TVB but not used by the
// first-order equations; it is kept so that TVB parameter sets load unchanged.
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
struct zerlaut_adaptation_first_order_parameters {
    double g_L = 10.0, E_L_e = -65.0, E_L_i = -65.0, C_m = 200.0, b_e = 60.0, a_e = 4.0, b_i = 0.0, a_i = 0.0,
           tau_w_e = 500.0, tau_w_i = 1.0, E_e = 0.0, E_i = -80.0, Q_e = 1.5, Q_i = 5.0, tau_e = 5.0, tau_i = 5.0,
           N_tot = 10000.0, p_connect_e = 0.05, p_connect_i = 0.05, g = 0.2, K_ext_e = 400.0, K_ext_i = 0.0, T = 20.0;
    std::array<double, 10> P_e{-0.04983106,           0.005063550882777035,  -0.023470121807314552,
                               0.0022951513725067503, -0.0004105302652029825, 0.010547051343547399,
                               -0.03659252821136933,  0.007437487505797858,  0.001265064721846073,
                               -0.04072161294490446};
    std::array<double, 10> P_i{-0.05149122024209484,   0.004003689190271077,  -0.008352013668528155,
                               0.0002414237992765705,  -0.0005070645080016026, 0.0014345394104282397,
                               -0.014686689498949967,  0.004502706285435741,  0.0028472190352532454,
                               -0.015357804594594548};
    double external_input_ex_ex = 0.0, external_input_ex_in = 0.0, external_input_in_ex = 0.0,
           external_input_in_in = 0.0, tau_OU = 5.0, weight_noise = 10.5, S_i = 1.0;
};
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::zerlaut_adaptation_first_order_parameters, g_L, E_L_e, E_L_i, C_m, b_e,
                        a_e, b_i, a_i, tau_w_e, tau_w_i, E_e, E_i, Q_e, Q_i, tau_e, tau_i, N_tot, p_connect_e,
                        p_connect_i, g, K_ext_e, K_ext_i, T, P_e, P_i, external_input_ex_ex, external_input_ex_in,
                        external_input_in_ex, external_input_in_in, tau_OU, weight_noise, S_i);

namespace brainweave::models {
struct zerlaut_adaptation_first_order {
    static constexpr sv name = "ZerlautAdaptationFirstOrder";
    using parameters = zerlaut_adaptation_first_order_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 5> state_variables{"E", "I", "W_e", "W_i", "ou_drift"};
    static constexpr std::array<std::size_t, 1> cvar{0};
    static constexpr std::array<interval, 5> state_variable_range{
        {{1e-3, 250e-3}, {1e-3, 250e-3}, {0.0, 200.0}, {0.0, 0.0}, {0.0, 0.0}}};
    static constexpr std::array<boundary, 2> state_variable_boundaries{{{0, 0.0, unbounded}, {1, 0.0, unbounded}}};

    /// Mean, standard deviation and autocorrelation time of the membrane potential.
    template <class T>
    struct fluctuations {
        T mu_V, sigma_V, T_V;
    };

    template <class P, class T>
    static fluctuations<T> fluct_regime(const P& p, T Fe, T Fi, T Fe_ext, T Fi_ext, T W, double E_L) noexcept {
        using std::sqrt;
        const T fe = (Fe + 1.0e-6) * (1.0 - p.g) * p.p_connect_e * p.N_tot + Fe_ext * p.K_ext_e;
        const T fi = (Fi + 1.0e-6) * p.g * p.p_connect_i * p.N_tot + Fi_ext * p.K_ext_i;
        const T mu_Ge = p.Q_e * p.tau_e * fe, mu_Gi = p.Q_i * p.tau_i * fi;
        const T mu_G = p.g_L + mu_Ge + mu_Gi;
        const T T_m = p.C_m / mu_G;
        const T mu_V = (mu_Ge * p.E_e + mu_Gi * p.E_i + p.g_L * E_L - W) / mu_G;
        const T U_e = p.Q_e / mu_G * (p.E_e - mu_V), U_i = p.Q_i / mu_G * (p.E_i - mu_V);
        const T ue2 = (U_e * p.tau_e) * (U_e * p.tau_e), ui2 = (U_i * p.tau_i) * (U_i * p.tau_i);
        const T sigma_V = sqrt(fe * ue2 / (2.0 * (p.tau_e + T_m)) + fi * ui2 / (2.0 * (p.tau_i + T_m)));
        const T T_V = (fe * ue2 + fi * ui2) / (fe * ue2 / (p.tau_e + T_m) + fi * ui2 / (p.tau_i + T_m));
        return {mu_V, sigma_V, T_V};
    }

    /// Transfer function: output rate of a population given its fluctuation regime.
    template <class P, class T>
    static T transfer(const P& p, const fluctuations<T>& f, const std::array<double, 10>& c) noexcept {
        using std::erfc;
        const T V = (f.mu_V - (-60.0)) / 10.0;
        const T S = (f.sigma_V - 4.0) / 6.0;
        const T Tn = (f.T_V * p.g_L / p.C_m - 0.5) / 1.0;
        T v_thre = c[0] + c[1] * V + c[2] * S + c[3] * Tn + c[4] * (V * V) + c[5] * (S * S) + c[6] * (Tn * Tn) +
                   c[7] * V * S + c[8] * V * Tn + c[9] * S * Tn;
        v_thre = v_thre * 1e3;  // the fitted threshold is in volts
        return erfc((v_thre - f.mu_V) / (std::sqrt(2.0) * f.sigma_V)) / (2.0 * f.T_V);
    }

    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx) noexcept {
        const T E = y[0], I = y[1], W_e = y[2], W_i = y[3], ou = y[4];
        T Fe_ext = c[0] + p.weight_noise * ou;
        if (Fe_ext * p.K_ext_e < 0.0) Fe_ext = 0.0;
        const T Fi_ext = 0.0;
        const auto fl_e = fluct_regime(p, E, I, T(Fe_ext + p.external_input_ex_ex), T(Fi_ext + p.external_input_ex_in),
                                       W_e, p.E_L_e);
        const auto fl_i = fluct_regime(p, E, I, T(Fe_ext + p.external_input_in_ex), T(Fi_ext + p.external_input_in_in),
                                       W_i, p.E_L_i);
        dx[0] = (transfer(p, fl_e, p.P_e) - E) / p.T;
        dx[1] = (transfer(p, fl_i, p.P_i) - I) / p.T;
        dx[2] = -W_e / p.tau_w_e + p.b_e * E + p.a_e * (fl_e.mu_V - p.E_L_e) / p.tau_w_e;
        dx[3] = -W_i / p.tau_w_i + p.b_i * I + p.a_i * (fl_i.mu_V - p.E_L_i) / p.tau_w_i;
        dx[4] = -ou / p.tau_OU;
    }
};
}  // namespace brainweave::models
