// Name -> type tables of the runner: models, couplings, integrators, monitors.
#include "model_list.hpp"

namespace brainweave::runner {

namespace {
template <class C>
bool try_coupling(const named_parameters& np, std::optional<coupling_variant>& out, std::string_view snake) {
    if (out || !name_matches(np.name, C::name, snake)) return false;
    C c{};
    apply_parameters(c, np, std::string(C::name) + " coupling");
    out = c;
    return true;
}
}  // namespace

coupling_variant make_coupling(const named_parameters& np) {
    std::optional<coupling_variant> out;
    named_parameters params = np;
    // PreSigmoidal: TVB's `dynamic` attribute picks one of two types; `globalT` is not provided.
    if (name_matches(np.name, "PreSigmoidal")) {
        bool dynamic = true;
        std::erase_if(params.values, [&](const auto& kv) {
            if (kv.first == "dynamic") dynamic = !kv.second.empty() && kv.second[0] != 0.0;
            if (kv.first == "globalT" && !kv.second.empty() && kv.second[0] != 0.0)
                throw config_error("PreSigmoidal coupling: globalT = true (a global threshold) is not supported");
            return kv.first == "dynamic" || kv.first == "globalT";
        });
        if (!dynamic) params.name = "pre_sigmoidal_static";
    }
    try_coupling<coupling::linear>(params, out, "linear");
    try_coupling<coupling::scaling>(params, out, "scaling");
    try_coupling<coupling::difference>(params, out, "difference");
    try_coupling<coupling::sigmoidal>(params, out, "sigmoidal");
    try_coupling<coupling::hyperbolic_tangent>(params, out, "hyperbolic_tangent");
    try_coupling<coupling::sigmoidal_jansen_rit>(params, out, "sigmoidal_jansen_rit");
    try_coupling<coupling::kuramoto>(params, out, "kuramoto");
    try_coupling<coupling::pre_sigmoidal>(params, out, "pre_sigmoidal");
    try_coupling<coupling::pre_sigmoidal_static>(params, out, "pre_sigmoidal_static");
    if (!out)
        throw config_error("unknown coupling '" + np.name +
                           "' (known: Linear, Scaling, Difference, Sigmoidal, HyperbolicTangent, SigmoidalJansenRit, "
                           "Kuramoto, PreSigmoidal)");
    return *out;
}

integrator_variant make_integrator(const description& d, std::size_t n_state, std::size_t n_nodes, std::size_t n_modes,
                                   std::int64_t first_step) {
    const std::string& name = d.integrator;
    const bool euler = name_matches(name, "EulerDeterministic", "euler") || name_matches(name, "EulerStochastic") ||
                       name_matches(name, "Euler") || name_matches(name, "EulerMaruyama");
    const bool heun = name_matches(name, "HeunDeterministic", "heun") || name_matches(name, "HeunStochastic") ||
                      name_matches(name, "Heun");
    const bool rk4 = name_matches(name, "RungeKutta4thOrderDeterministic", "rk4") || name_matches(name, "RungeKutta4");
    if (!euler && !heun && !rk4)
        throw config_error("unknown integrator '" + name +
                           "' (known: EulerDeterministic, EulerStochastic, HeunDeterministic, HeunStochastic, "
                           "RungeKutta4thOrderDeterministic)");
    const bool stochastic_name = name_matches(name, "EulerStochastic") || name_matches(name, "HeunStochastic") ||
                                 name_matches(name, "EulerMaruyama");
    const bool has_noise = !d.noise.name.empty();
    if (stochastic_name && !has_noise)
        throw config_error("integrator '" + name + "' is stochastic but no noise is given (e.g. \"noise\": {\"name\": "
                           "\"Additive\", \"nsig\": 0.001})");
    if (has_noise && rk4) throw config_error("RungeKutta4thOrderDeterministic cannot take noise; use HeunStochastic");
    if (!has_noise) {
        if (euler) return integrators::euler<>{.dt = d.dt};
        if (heun) return integrators::heun<>{.dt = d.dt};
        return integrators::rk4<>{.dt = d.dt};
    }
    noise::any_normal source = noise::philox_normal(d.noise.seed);
    if (d.noise.draws) {
        const auto& a = *d.noise.draws;
        if (a.shape.size() != 4 || a.shape[1] != n_state || a.shape[2] != n_nodes || a.shape[3] != n_modes)
            throw config_error("noise draws must have shape (steps, " + std::to_string(n_state) + ", " +
                               std::to_string(n_nodes) + ", " + std::to_string(n_modes) + ")");
        source = noise::replay_normal(a.data, a.shape[0], n_state, n_nodes, n_modes, first_step);
    }
    if (name_matches(d.noise.name, "Additive")) {
        additive_noise nz;
        nz.nsig = d.noise.nsig;
        nz.source = source;
        if (euler) return integrators::euler<additive_noise>{.dt = d.dt, .noise = nz};
        return integrators::heun<additive_noise>{.dt = d.dt, .noise = nz};
    }
    if (name_matches(d.noise.name, "Multiplicative")) {
        multiplicative_noise nz;
        nz.nsig = d.noise.nsig;
        nz.a = d.noise.a;
        nz.b = d.noise.b;
        nz.source = source;
        if (euler) return integrators::euler<multiplicative_noise>{.dt = d.dt, .noise = nz};
        return integrators::heun<multiplicative_noise>{.dt = d.dt, .noise = nz};
    }
    throw config_error("unknown noise '" + d.noise.name + "' (known: Additive, Multiplicative)");
}

/// The Bold monitor's kernel from its name and parameters (TVB class names or snake case).
equations::hrf_kernel make_hrf_kernel(const monitor_spec& m) {
    auto with_parameters = [&](auto k) -> equations::hrf_kernel {
        for (const auto& [name, v] : m.hrf_parameters)
            set_parameter(k, name, std::span<const double>(&v, 1), std::string(k.name) + " HRF kernel");
        return k;
    };
    if (m.hrf_kernel.empty() || name_matches(m.hrf_kernel, "FirstOrderVolterra", "first_order_volterra"))
        return with_parameters(equations::first_order_volterra{});
    if (name_matches(m.hrf_kernel, "Gamma", "gamma")) return with_parameters(equations::gamma{});
    if (name_matches(m.hrf_kernel, "DoubleExponential", "double_exponential"))
        return with_parameters(equations::double_exponential{});
    if (name_matches(m.hrf_kernel, "MixtureOfGammas", "mixture_of_gammas"))
        return with_parameters(equations::mixture_of_gammas{});
    throw config_error("unknown HRF kernel '" + m.hrf_kernel +
                       "' (known: FirstOrderVolterra, Gamma, DoubleExponential, MixtureOfGammas)");
}

monitors::any_region_monitor make_monitors(const description& d) {
    monitors::any_region_monitor list;
    if (d.monitors.empty()) throw config_error("no monitors: nothing would be recorded");
    for (const auto& m : d.monitors) {
        // Copies the settings a monitor type has from the spec, then appends it.
        auto add = [&](auto mon) {
            if constexpr (requires { mon.period; }) mon.period = m.period;
            if constexpr (requires { mon.variables_of_interest; }) mon.variables_of_interest = m.variables_of_interest;
            if constexpr (requires { mon.spatial_mask; }) {
                mon.spatial_mask = m.spatial_mask;
                mon.default_mask = m.default_mask;
            }
            if constexpr (requires { mon.hrf_kernel; }) {
                if (m.hrf_length) mon.hrf_length = *m.hrf_length;
                mon.hrf_kernel = make_hrf_kernel(m);
            }
            list.items.emplace_back(std::move(mon));
        };
        if (name_matches(m.name, "Raw")) add(monitors::raw{});
        else if (name_matches(m.name, "SubSample", "sub_sample")) add(monitors::sub_sample{});
        else if (name_matches(m.name, "TemporalAverage", "temporal_average")) add(monitors::temporal_average{});
        else if (name_matches(m.name, "GlobalAverage", "global_average")) add(monitors::global_average{});
        else if (name_matches(m.name, "SpatialAverage", "spatial_average")) add(monitors::spatial_average{});
        else if (name_matches(m.name, "AfferentCoupling", "afferent_coupling")) add(monitors::afferent_coupling{});
        else if (name_matches(m.name, "Bold", "bold")) add(monitors::bold{});
        else if (name_matches(m.name, "BalloonWindkessel", "balloon_windkessel")) add(monitors::balloon_windkessel{});
        else
            throw config_error("unknown monitor '" + m.name +
                               "' (known: Raw, SubSample, TemporalAverage, GlobalAverage, SpatialAverage, "
                               "AfferentCoupling, Bold, BalloonWindkessel)");
    }
    return list;
}

std::vector<std::string> model_names() {
    std::vector<std::string> names;
#define BRAINWEAVE_NAME(M, snake) names.push_back(std::string(M::name) + " (" snake ")");
    BRAINWEAVE_RUNNER_MODELS(BRAINWEAVE_NAME)
#undef BRAINWEAVE_NAME
    return names;
}

result run(const description& d) {
    bool dynamic = false;
    for (const auto& [k, v] : d.model.values)
        if (k == "dynamic" && !v.empty()) dynamic = v[0] != 0.0;
#define BRAINWEAVE_TRY(M, snake)                                                                                 \
    if (name_matches(d.model.name, M::name, snake) &&                                                           \
        (!name_matches(d.model.name, "Hopfield") || dynamic == std::is_same_v<M, models::hopfield_dynamic>))    \
        return run_model<M>(d);
    BRAINWEAVE_RUNNER_MODELS(BRAINWEAVE_TRY)
#undef BRAINWEAVE_TRY
    std::string known;
    for (auto& n : model_names()) known += (known.empty() ? "" : ", ") + n;
    throw config_error("unknown model '" + d.model.name + "' (known: " + known + ")");
}

}  // namespace brainweave::runner
