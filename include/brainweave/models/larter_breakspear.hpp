#pragma once
// LarterBreakspear (TVB `models.larter_breakspear.LarterBreakspear`), Larter et al. 1999,
// Neurocomputing 25:103; Breakspear et al. 2003, Network 14:703.
//
//   m_ion = 0.5 (1 + tanh((V - T_ion) / d_ion)),  Q_V = 0.5 QV_max (1 + tanh((V - VT) / d_V)),
//   Q_Z = 0.5 QZ_max (1 + tanh((Z - ZT) / d_Z))
//   dV/dt = t_scale (-(gCa + (1 - C) rNMDA aee Q_V + C rNMDA aee c_0) m_Ca (V - VCa)
//                    - gK W (V - VK) - gL (V - VL)
//                    - (gNa m_Na + (1 - C) aee Q_V + C aee c_0) (V - VNa) - aie Z Q_Z + ane Iext)
//   dW/dt = t_scale phi (m_K - W) / tau_K
//   dZ/dt = t_scale b (ani Iext + aei V Q_V)
//
// c_0 is the mean firing rate of the other nodes (<Q_V>), usually via HyperbolicTangent coupling.
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
template <class S = double>
struct basic_larter_breakspear_parameters {
    S gCa = 1.1, gK = 2.0, gL = 0.5, phi = 0.7, gNa = 6.7, TK = 0.0, TCa = -0.01, TNa = 0.3, VCa = 1.0,
           VK = -0.7, VL = -0.5, VNa = 0.53, d_K = 0.3, tau_K = 1.0, d_Na = 0.15, d_Ca = 0.15, aei = 2.0, aie = 2.0,
           b = 0.1, C = 0.1, ane = 1.0, ani = 0.4, aee = 0.4, Iext = 0.3, rNMDA = 0.25, VT = 0.0, d_V = 0.65,
           ZT = 0.0, d_Z = 0.7, QV_max = 1.0, QZ_max = 1.0, t_scale = 1.0;
};
using larter_breakspear_parameters = basic_larter_breakspear_parameters<>;
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::basic_larter_breakspear_parameters<double>, gCa, gK, gL, phi, gNa, TK, TCa, TNa, VCa, VK,
                        VL, VNa, d_K, tau_K, d_Na, d_Ca, aei, aie, b, C, ane, ani, aee, Iext, rNMDA, VT, d_V, ZT, d_Z,
                        QV_max, QZ_max, t_scale);

namespace brainweave::models {
struct larter_breakspear {
    static constexpr sv name = "LarterBreakspear";
    static constexpr bool vectorizable = true;
    using parameters = larter_breakspear_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 3> state_variables{"V", "W", "Z"};
    static constexpr std::array<std::size_t, 1> cvar{0};
    static constexpr std::array<interval, 3> state_variable_range{{{-1.5, 1.5}, {-1.5, 1.5}, {-1.5, 1.5}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx) noexcept {
        using std::tanh;
        const T V = y[0], W = y[1], Z = y[2];
        const T m_Ca = 0.5 * (1.0 + tanh((V - p.TCa) / p.d_Ca));
        const T m_Na = 0.5 * (1.0 + tanh((V - p.TNa) / p.d_Na));
        const T m_K = 0.5 * (1.0 + tanh((V - p.TK) / p.d_K));
        const T QV = 0.5 * p.QV_max * (1.0 + tanh((V - p.VT) / p.d_V));
        const T QZ = 0.5 * p.QZ_max * (1.0 + tanh((Z - p.ZT) / p.d_Z));
        dx[0] = p.t_scale * (-(p.gCa + (1.0 - p.C) * (p.rNMDA * p.aee) * QV + p.C * p.rNMDA * p.aee * c[0]) * m_Ca *
                                 (V - p.VCa) -
                             p.gK * W * (V - p.VK) - p.gL * (V - p.VL) -
                             (p.gNa * m_Na + (1.0 - p.C) * p.aee * QV + p.C * p.aee * c[0]) * (V - p.VNa) -
                             p.aie * Z * QZ + p.ane * p.Iext);
        dx[1] = p.t_scale * p.phi * (m_K - W) / p.tau_K;
        dx[2] = p.t_scale * p.b * (p.ani * p.Iext + p.aei * V * QV);
    }
};
}  // namespace brainweave::models
