#pragma once
// Epileptor (TVB `models.epileptor.Epileptor`), Jirsa et al. 2014, Brain 137:2210; permittivity
// coupling after Proix et al. 2014, J. Neurosci. 34:15009.
//
//   dx1/dt = tt (y1 - z + Iext + Kvf c_0 + f1(x1, x2, z) x1)
//            f1 = -a x1^2 + b x1 if x1 < 0, else slope - x2 + 0.6 (z - 4)^2
//   dy1/dt = tt (c - d x1^2 - y1)
//   dz/dt  = tt r (h - z + Ks c_0),  h = 4 (x1 - x0) + [z < 0] (-0.1 z^7)
//            (modification: h = x0 + 3 / (1 + exp(-(x1 + 0.5) / 0.1)))
//   dx2/dt = tt (-y2 + x2 - x2^3 + Iext2 + bb g - 0.3 (z - 3.5) + Kf c_1)
//   dy2/dt = tt (-y2 + [x2 >= -0.25] aa (x2 + 0.25)) / tau
//   dg/dt  = tt (-0.01 (g - 0.1 x1))
//
// Coupling variables x1 and x2 (c_0 and c_1), usually through the Difference coupling.
#include <brainweave/models/model_support.hpp>

namespace brainweave::models {
struct epileptor_parameters {
    double a = 1.0, b = 3.0, c = 1.0, d = 5.0, r = 0.00035, s = 4.0, x0 = -1.6, Iext = 3.1, slope = 0.0, Iext2 = 0.45,
           tau = 10.0, aa = 6.0, bb = 2.0, Kvf = 0.0, Kf = 0.0, Ks = 0.0, tt = 1.0;
    bool modification = false;
};
}  // namespace brainweave::models
BOOST_HANA_ADAPT_STRUCT(brainweave::models::epileptor_parameters, a, b, c, d, r, s, x0, Iext, slope, Iext2, tau, aa,
                        bb, Kvf, Kf, Ks, tt, modification);

namespace brainweave::models {
struct epileptor {
    static constexpr sv name = "Epileptor";
    using parameters = epileptor_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<sv, 6> state_variables{"x1", "y1", "z", "x2", "y2", "g"};
    static constexpr std::array<std::size_t, 2> cvar{0, 3};
    static constexpr std::array<interval, 6> state_variable_range{
        {{-2.0, 1.0}, {-20.0, 2.0}, {2.0, 5.0}, {-2.0, 0.0}, {0.0, 2.0}, {-1.0, 1.0}}};
    static constexpr std::array<boundary, 0> state_variable_boundaries{};

    // Branches are written per scalar; a SIMD port would use masked selects.
    template <class P, class T>
    static void dfun(const P& p, const T* y, const T* c, T* dx) noexcept {
        using std::exp;
        const T c_pop1 = c[0], c_pop2 = c[1];
        T f1 = y[0] < 0.0 ? T((-p.a) * (y[0] * y[0]) + p.b * y[0]) : T(p.slope - y[3] + 0.6 * ((y[2] - 4.0) * (y[2] - 4.0)));
        dx[0] = p.tt * (y[1] - y[2] + p.Iext + p.Kvf * c_pop1 + f1 * y[0]);
        dx[1] = p.tt * (p.c - p.d * (y[0] * y[0]) - y[1]);
        T z7 = 0.0;
        if (y[2] < 0.0) {
            const T z2 = y[2] * y[2];
            z7 = -0.1 * (z2 * z2 * z2 * y[2]);
        }
        const T h = p.modification ? T(p.x0 + 3.0 / (1.0 + exp(-(y[0] + 0.5) / 0.1))) : T(4.0 * (y[0] - p.x0) + z7);
        dx[2] = p.tt * (p.r * (h - y[2] + p.Ks * c_pop1));
        dx[3] = p.tt * (-y[4] + y[3] - y[3] * y[3] * y[3] + p.Iext2 + p.bb * y[5] - 0.3 * (y[2] - 3.5) + p.Kf * c_pop2);
        const T f2 = y[3] < -0.25 ? T(0.0) : T(p.aa * (y[3] + 0.25));
        dx[4] = p.tt * ((-y[4] + f2) / p.tau);
        dx[5] = p.tt * (-0.01 * (y[5] - 0.1 * y[0]));
    }
};
}  // namespace brainweave::models
