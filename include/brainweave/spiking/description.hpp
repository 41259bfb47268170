#pragma once
// A spiking network as plain data: its groups (model, parameters, initial state, devices),
// projections (every synapse's source, target, weight and delay), Poisson inputs and recordings.
// `describe(net)` reads it off a network (before it runs); exporters such as NeuroML2
// (io/neuroml/) translate it, and importers produce it, so that "the same network" is something a
// test can compare.
//
// Units are the network's own (ms, mV, pA, pF, nS by default; SI after set_time_unit(1)), stated
// by `seconds_per_time_unit`. Delays are whole steps times dt, as the network stores them.
#include <brainweave/core/parameters.hpp>
#include <brainweave/spiking/devices.hpp>
#include <brainweave/spiking/network.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace brainweave::spiking {

struct group_description {
    std::string name;
    std::string model;  ///< a neuron model's name ("iaf_psc_exp", ...), "spike_generator" or "poisson_generator"
    std::size_t size = 0;
    std::vector<std::pair<std::string, double>> parameters;                // neuron models: by name, declaration order
    std::vector<std::pair<std::string, std::vector<double>>> state;        // neuron models: initial value per neuron
    std::vector<step_current> currents;                                    // neuron models: injected currents
    double drive = 0;                                                      // neuron models: uniform current
    std::vector<std::uint32_t> spike_index;                                // spike_generator
    std::vector<double> spike_time;                                        // spike_generator
    std::vector<double> rates;                                             // poisson_generator (Hz)
    double rate_period = 0;
    bool rates_per_unit = false;
    std::uint64_t seed = 1;

    bool is_neuron_model() const noexcept { return model != "spike_generator" && model != "poisson_generator"; }
    /// The value of parameter `key` (config_error naming the group if there is none).
    double parameter(std::string_view key) const {
        for (const auto& [k, v] : parameters)
            if (k == key) return v;
        throw config_error("group '" + name + "' (" + model + ") has no parameter '" + std::string(key) + "'");
    }
    /// The initial values of state variable `key`, or nullptr.
    const std::vector<double>* initial(std::string_view key) const {
        for (const auto& [k, v] : state)
            if (k == key) return &v;
        return nullptr;
    }
    bool operator==(const group_description&) const = default;
};

struct projection_description {
    std::string pre, post, receptor;
    std::vector<std::uint32_t> source, target;  ///< one entry per synapse
    std::vector<double> weight, delay;          ///< one entry per synapse (time units)
    bool operator==(const projection_description&) const = default;
};

struct poisson_input_description {
    std::string target, receptor;
    double n_sources = 1, rate = 0, weight = 0;
    std::uint64_t seed = 1;
    bool operator==(const poisson_input_description&) const = default;
};

struct recording_description {
    std::string group;
    std::vector<std::string> variables;  ///< empty: spikes
    std::vector<std::uint32_t> neurons;  ///< state recordings
    std::int64_t interval = 1;           ///< steps between samples
    bool operator==(const recording_description&) const = default;
};

struct network_description {
    double dt = 0;
    double seconds_per_time_unit = 1e-3;
    std::vector<group_description> groups;
    std::vector<projection_description> projections;
    std::vector<poisson_input_description> poisson_inputs;
    std::vector<recording_description> recordings;

    const group_description& group(std::string_view name) const {
        for (const auto& g : groups)
            if (g.name == name) return g;
        throw config_error("the network has no group '" + std::string(name) + "'");
    }
    bool operator==(const network_description&) const = default;
};

namespace detail {
inline bool close(double a, double b, double rel) {
    return a == b || std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}
inline bool close(const std::vector<double>& a, const std::vector<double>& b, double rel) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (!close(a[k], b[k], rel)) return false;
    return true;
}
}  // namespace detail

/// The first difference between two descriptions, values compared to a relative tolerance `rel`
/// (a unit conversion on the way through a file rounds); empty if they describe the same network.
inline std::string difference(const network_description& a, const network_description& b, double rel = 1e-12) {
    using detail::close;
    if (!close(a.dt, b.dt, rel)) return "dt: " + std::to_string(a.dt) + " vs " + std::to_string(b.dt);
    if (a.seconds_per_time_unit != b.seconds_per_time_unit) return "time unit differs";
    if (a.groups.size() != b.groups.size()) return "number of groups differs";
    for (std::size_t k = 0; k < a.groups.size(); ++k) {
        const auto &x = a.groups[k], &y = b.groups[k];
        const std::string g = "group " + std::to_string(k) + " ('" + x.name + "'): ";
        if (x.name != y.name || x.model != y.model || x.size != y.size) return g + "name, model or size differs ('" + y.name + "', " + y.model + ", " + std::to_string(y.size) + ")";
        if (x.parameters.size() != y.parameters.size()) return g + "number of parameters differs";
        for (std::size_t p = 0; p < x.parameters.size(); ++p)
            if (x.parameters[p].first != y.parameters[p].first || !close(x.parameters[p].second, y.parameters[p].second, rel))
                return g + "parameter " + x.parameters[p].first + " " + std::to_string(x.parameters[p].second) + " vs " +
                       y.parameters[p].first + " " + std::to_string(y.parameters[p].second);
        if (x.state.size() != y.state.size()) return g + "number of state variables differs";
        for (std::size_t v = 0; v < x.state.size(); ++v)
            if (x.state[v].first != y.state[v].first || !close(x.state[v].second, y.state[v].second, rel))
                return g + "initial " + x.state[v].first + " differs";
        if (x.currents.size() != y.currents.size()) return g + "number of currents differs";
        for (std::size_t c = 0; c < x.currents.size(); ++c)
            if (x.currents[c].targets != y.currents[c].targets || !close(x.currents[c].times, y.currents[c].times, rel) ||
                !close(x.currents[c].amplitudes, y.currents[c].amplitudes, rel))
                return g + "current " + std::to_string(c) + " differs";
        if (!close(x.drive, y.drive, rel)) return g + "drive differs";
        auto sorted_spikes = [](const group_description& d) {
            std::vector<std::pair<std::uint32_t, double>> s;
            for (std::size_t i = 0; i < d.spike_index.size(); ++i) s.emplace_back(d.spike_index[i], d.spike_time[i]);
            std::ranges::stable_sort(s);
            return s;
        };
        const auto sx = sorted_spikes(x), sy = sorted_spikes(y);
        if (sx.size() != sy.size()) return g + "number of generated spikes differs";
        for (std::size_t i = 0; i < sx.size(); ++i)
            if (sx[i].first != sy[i].first || !close(sx[i].second, sy[i].second, rel)) return g + "generated spike " + std::to_string(i) + " differs";
        if (!close(x.rates, y.rates, rel) || x.rate_period != y.rate_period || x.rates_per_unit != y.rates_per_unit || x.seed != y.seed)
            return g + "Poisson rates or seed differ";
    }
    if (a.projections.size() != b.projections.size()) return "number of projections differs";
    for (std::size_t k = 0; k < a.projections.size(); ++k) {
        const auto &x = a.projections[k], &y = b.projections[k];
        const std::string p = "projection " + x.pre + " -> " + x.post + " (" + x.receptor + "): ";
        if (x.pre != y.pre || x.post != y.post || x.receptor != y.receptor) return p + "endpoints differ";
        if (x.source != y.source || x.target != y.target) return p + "synapses differ";
        if (!close(x.weight, y.weight, rel)) return p + "weights differ";
        if (!close(x.delay, y.delay, rel)) return p + "delays differ";
    }
    if (a.poisson_inputs.size() != b.poisson_inputs.size()) return "number of Poisson inputs differs";
    for (std::size_t k = 0; k < a.poisson_inputs.size(); ++k) {
        const auto &x = a.poisson_inputs[k], &y = b.poisson_inputs[k];
        if (x.target != y.target || x.receptor != y.receptor || !close(x.n_sources, y.n_sources, rel) || !close(x.rate, y.rate, rel) ||
            !close(x.weight, y.weight, rel) || x.seed != y.seed)
            return "Poisson input into '" + x.target + "' differs";
    }
    if (a.recordings != b.recordings) return "recordings differ";
    return {};
}

namespace detail {
template <class G>
group_description describe_group(const G& g) {
    group_description d;
    d.name = g.name();
    d.size = g.size();
    if constexpr (std::is_same_v<G, spike_generator>) {
        d.model = "spike_generator";
        d.spike_index = g.indices();
        d.spike_time = g.times();
    } else if constexpr (std::is_same_v<G, poisson_generator>) {
        d.model = "poisson_generator";
        d.rates = g.rates();
        d.rate_period = g.period();
        d.rates_per_unit = g.per_unit();
        d.seed = g.seed();
    } else {
        d.model = std::string(G::model::name);
        for_each_parameter(g.params(), [&](std::string_view n, const auto& v) {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>) d.parameters.emplace_back(std::string(n), v);
        });
        for (std::size_t k = 0; k < G::n_variables(); ++k) {
            const auto x = g.variable(k);
            d.state.emplace_back(std::string(G::variable_name(k)), std::vector<double>(x.begin(), x.end()));
        }
        d.currents = g.currents();
        d.drive = g.drive();
    }
    return d;
}
}  // namespace detail

/// The network as data (call it before running: the state is the current state).
template <class... Groups>
network_description describe(const network<Groups...>& net) {
    network_description d;
    d.dt = net.dt();
    d.seconds_per_time_unit = net.seconds_per_time_unit();
    net.for_each_group([&](const auto& g) { d.groups.push_back(detail::describe_group(g)); });
    for (const auto& p : net.projections()) {
        projection_description q;
        q.pre = net.group_name(p.pre());
        q.post = net.group_name(p.post());
        net.for_each_group([&](const auto& g) {
            using G = std::decay_t<decltype(g)>;
            if constexpr (G::has_receptors)
                if (g.name() == q.post) q.receptor = std::string(G::model::receptor_names[p.receptor()]);
        });
        for (std::size_t i = 0; i < p.n_pre(); ++i) {
            const auto targets = p.targets(i);
            for (std::size_t k = 0; k < targets.size(); ++k) {
                const std::size_t syn = p.row_begin(i) + k;
                q.source.push_back(static_cast<std::uint32_t>(i));
                q.target.push_back(targets[k]);
                q.weight.push_back(p.weight(syn));
                q.delay.push_back(static_cast<double>(p.delay(syn)) * net.dt());
            }
        }
        d.projections.push_back(std::move(q));
    }
    for (std::size_t k = 0; k < net.n_poisson_inputs(); ++k) {
        const auto& in = net.poisson_input_spec(k);
        if (!std::holds_alternative<trains::independent>(in.trains))
            throw config_error("describe: the poisson_input into '" + in.target +
                               "' has correlated trains, which a network description cannot hold");
        d.poisson_inputs.push_back({in.target, in.receptor, in.n_sources, in.rate, in.weight, in.seed});
    }
    for (const auto& r : net.spike_recorders()) d.recordings.push_back({r.group_name(), {}, {}, 1});
    for (const auto& r : net.state_recorders())
        d.recordings.push_back({net.group_name(r.group()), r.variables(), r.neurons(), r.interval()});
    return d;
}

/// The spike_generator a description's group stands for.
inline spike_generator make_spike_generator(const group_description& g) {
    if (g.model != "spike_generator") throw config_error("group '" + g.name + "' is a " + g.model + ", not a spike_generator");
    return spike_generator(g.name, g.size, g.spike_index, g.spike_time);
}
/// The poisson_generator a description's group stands for.
inline poisson_generator make_poisson_generator(const group_description& g) {
    if (g.model != "poisson_generator") throw config_error("group '" + g.name + "' is a " + g.model + ", not a poisson_generator");
    poisson_generator p(g.name, g.size, g.rates, g.rate_period, g.seed);
    p.rates_per_unit(g.rates_per_unit);
    return p;
}

/// Makes `net` the network `d` describes: `net` holds groups with the description's names, sizes
/// and models (spike sources built with make_spike_generator / make_poisson_generator); this sets
/// the populations' parameters, initial state and currents, and adds the projections, Poisson
/// inputs and recordings. Errors name the group that does not match.
template <class... Groups>
void instantiate(network<Groups...>& net, const network_description& d) {
    if (net.dt() != d.dt)
        throw config_error("instantiate: the network's dt (" + std::to_string(net.dt()) + ") differs from the description's (" +
                           std::to_string(d.dt) + ")");
    net.set_time_unit(d.seconds_per_time_unit);
    if (d.groups.size() != network<Groups...>::n_groups)
        throw config_error("instantiate: the description has " + std::to_string(d.groups.size()) + " groups, the network " +
                           std::to_string(network<Groups...>::n_groups));
    std::size_t k = 0;
    net.for_each_group([&](auto& g) {
        using G = std::decay_t<decltype(g)>;
        const auto& gd = d.groups[k++];
        const std::string where = "instantiate: group " + std::to_string(k - 1) + " ('" + g.name() + "')";
        if (gd.name != g.name() || gd.size != g.size())
            throw config_error(where + " does not match the description's '" + gd.name + "' of size " + std::to_string(gd.size));
        if constexpr (std::is_same_v<G, spike_generator>) {
            if (gd.model != "spike_generator" || gd.spike_index != g.indices() || gd.spike_time != g.times())
                throw config_error(where + ": build it with make_spike_generator(description.group(\"" + gd.name + "\"))");
        } else if constexpr (std::is_same_v<G, poisson_generator>) {
            if (gd.model != "poisson_generator" || gd.rates != g.rates() || gd.seed != g.seed())
                throw config_error(where + ": build it with make_poisson_generator(description.group(\"" + gd.name + "\"))");
        } else {
            if (gd.model != G::model::name)
                throw config_error(where + " is a " + std::string(G::model::name) + ", the description's a " + gd.model);
            for (const auto& [name, value] : gd.parameters) g.set_parameter(name, value);
            for (const auto& [var, values] : gd.state) g.set(var, values);
            for (const auto& c : gd.currents) g.inject(c);
            g.set_drive(gd.drive);
        }
    });
    for (const auto& p : d.projections)
        net.connect(p.pre, p.post, rules::explicit_list{p.source, p.target}, {p.weight, p.delay, p.receptor});
    for (const auto& in : d.poisson_inputs) {
        poisson_input x;
        x.target = in.target;
        x.receptor = in.receptor;
        x.n_sources = in.n_sources;
        x.rate = in.rate;
        x.weight = in.weight;
        x.seed = in.seed;
        net.add(std::move(x));
    }
    for (const auto& r : d.recordings) {
        if (r.variables.empty()) net.record_spikes(r.group);
        else net.record_state(r.group, r.variables, r.neurons, r.interval);
    }
}

}  // namespace brainweave::spiking
