#pragma once
// A spiking network: groups (populations of one neuron model each, spike sources) composed
// statically as a tuple, projections between them, devices, recorders, and the schedule.
//
//   auto net = bw::spiking::network(0.1,                                // dt (ms)
//       bw::spiking::population<bw::spiking::models::iaf_psc_exp>("E", 3200),
//       bw::spiking::population<bw::spiking::models::iaf_psc_exp>("I", 800));
//   net.connect("E", "I", rules::fixed_probability{0.02}, {.weight = {1.6}, .receptor = "ex"});
//   auto& spikes = net.record_spikes("E");
//   net.run(1000.0);
//
// Schedule of one step n (time n dt -> (n+1) dt), Brian 2's order:
//   0. state recorders sample (the state at time n dt); devices set this step's currents;
//   1. update: every neuron is advanced by one step (refractory neurons hold V_m) and tested
//      against its threshold; spike sources emit; the spikes of step n are collected per group in
//      increasing neuron index;
//   2. deliver: each projection, in the order they were created, adds the weights due in step n
//      into its target receptor (spike_t + delay == n; zero-delay synapses carry step n's spikes);
//      then Poisson inputs add theirs;
//   3. reset: the neurons that spiked in step n are reset and become refractory; spike
//      recorders append them with time n dt.
// NEST applies the same order within a step (update, then input added to the synaptic variables,
// then threshold and reset) but stamps a spike with the end of its step ((n+1) dt) and requires
// delays of at least one step; docs/spiking.md spells out the correspondence.
//
// Threads (set_threads): neurons are split into blocks of 256; each thread updates its share of
// every population, delivers into its share of every target population and draws the Poisson
// inputs of its share. Sums onto one target keep the serial order, so results are bitwise
// independent of the number of threads.
#include <brainweave/core/error.hpp>
#include <brainweave/core/random.hpp>
#include <brainweave/core/serialize.hpp>
#include <brainweave/parallel/team.hpp>
#include <brainweave/spiking/connect.hpp>
#include <brainweave/spiking/devices.hpp>
#include <brainweave/spiking/population.hpp>
#include <brainweave/spiking/projection.hpp>
#include <brainweave/spiking/recorders.hpp>
#include <brainweave/spiking/sources.hpp>

#include <cmath>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace brainweave::spiking {

/// Memory held by a network, in bytes, and the number of synapses.
struct memory_report {
    std::size_t neurons = 0, synapses = 0;
    std::size_t neuron_bytes = 0, synapse_bytes = 0;
    double bytes_per_synapse() const noexcept {
        return synapses ? static_cast<double>(synapse_bytes) / static_cast<double>(synapses) : 0.0;
    }
};

template <class... Groups>
class network {
public:
    static constexpr std::size_t n_groups = sizeof...(Groups);

    explicit network(double dt, Groups... groups) : dt_(dt), groups_(std::move(groups)...) {
        if (!(dt > 0) || !std::isfinite(dt)) throw config_error("network: dt must be > 0, got " + std::to_string(dt));
        for (std::size_t g = 0; g < n_groups; ++g)
            for (std::size_t h = 0; h < g; ++h)
                if (group_name(g) == group_name(h))
                    throw config_error("network: two groups are named '" + group_name(g) + "'");
    }

    double dt() const noexcept { return dt_; }
    std::int64_t current_step() const noexcept { return step_; }
    double time() const noexcept { return static_cast<double>(step_) * dt_; }
    /// Seconds per time unit (1e-3: times in ms, the default; 1: SI). Used for rates in Hz.
    double seconds_per_time_unit() const noexcept { return seconds_per_unit_; }
    void set_time_unit(double seconds) {
        if (!(seconds > 0)) throw config_error("network: the time unit must be > 0 seconds");
        seconds_per_unit_ = seconds;
        prepared_ = false;
    }
    void set_threads(std::size_t threads) { threads_ = threads ? threads : std::max(1u, std::thread::hardware_concurrency()); }
    std::size_t threads() const noexcept { return threads_; }

    template <std::size_t I>
    auto& group() noexcept { return std::get<I>(groups_); }
    template <std::size_t I>
    const auto& group() const noexcept { return std::get<I>(groups_); }

    /// The index of the group called `name` (config_error listing the names if there is none).
    std::size_t group_index(std::string_view name) const {
        for (std::size_t g = 0; g < n_groups; ++g)
            if (group_name(g) == name) return g;
        std::string known;
        for (std::size_t g = 0; g < n_groups; ++g) known += (g ? ", " : "") + group_name(g);
        throw config_error("network has no group '" + std::string(name) + "' (groups: " + known + ")");
    }
    std::string group_name(std::size_t g) const {
        std::string n;
        visit(g, [&](const auto& x) { n = x.name(); });
        return n;
    }
    std::size_t group_size(std::size_t g) const {
        std::size_t n = 0;
        visit(g, [&](const auto& x) { n = x.size(); });
        return n;
    }

    /// Connects group `pre` to receptor `syn.receptor` of group `post`.
    projection& connect(std::string_view pre, std::string_view post, const connection_rule& rule,
                        const synapse_spec& syn = {}, std::uint64_t seed = 1) {
        const std::size_t a = group_index(pre), b = group_index(post);
        const std::size_t r = receptor_index(b, syn.receptor, "network");
        auto& p = projections_.emplace_back(std::string(pre) + " -> " + std::string(post) + " (" + syn.receptor + ")",
                                            a, b, r);
        p.build(rule, group_size(a), group_size(b), a == b, seed, syn, dt_);
        prepared_ = false;
        return p;
    }
    const std::deque<projection>& projections() const noexcept { return projections_; }

    input_handle add(poisson_input in) {
        const std::size_t g = group_index(in.target);
        const std::size_t r = receptor_index(g, in.receptor, "poisson_input");
        if (!(in.rate >= 0) || !std::isfinite(in.rate) || !(in.n_sources >= 0) || !std::isfinite(in.weight))
            throw config_error("poisson_input into '" + in.target + "': rate and n_sources must be >= 0, weight finite");
        std::visit([](const auto& m) { m.validate(); }, in.trains);
        poisson_inputs_.push_back({std::move(in), g, r, nullptr, 0.0});
        prepared_ = false;
        return {poisson_inputs_.size() - 1};
    }
    /// Sets the rate (Hz, per train) of an input from the next step on; may be called between runs
    /// or from run_steps' per-step callback.
    void set_rate(input_handle h, double rate) {
        if (h.index >= poisson_inputs_.size()) throw config_error("set_rate: no such poisson_input");
        if (!(rate >= 0) || !std::isfinite(rate))
            throw config_error("set_rate: the rate of the poisson_input into '" + poisson_inputs_[h.index].spec.target +
                               "' must be finite and >= 0 Hz, got " + std::to_string(rate));
        poisson_inputs_[h.index].spec.rate = rate;
    }
    /// Sets a uniform current into every neuron of a group (population::set_drive).
    void set_drive(std::size_t group, double amplitude) {
        visit(group, [&](auto& x) {
            if constexpr (!std::decay_t<decltype(x)>::has_receptors)
                throw config_error("set_drive: group '" + x.name() + "' is a spike source");
            else
                x.set_drive(amplitude);
        });
    }

    spike_recorder& record_spikes(std::string_view group) {
        const std::size_t g = group_index(group);
        return spike_recorders_.emplace_back(g, group_name(g));
    }
    spike_counter& count_spikes(std::string_view group) {
        const std::size_t g = group_index(group);
        return spike_counters_.emplace_back(g, group_name(g), group_size(g));
    }

    /// Records `variables` of `neurons` every `interval` steps (Brian's StateMonitor, when='start').
    state_recorder& record_state(std::string_view group, std::vector<std::string> variables,
                                 std::vector<std::uint32_t> neurons, std::int64_t interval = 1) {
        const std::size_t g = group_index(group);
        if (interval < 1) throw config_error("record_state: interval must be >= 1 step");
        std::vector<std::size_t> index;
        visit(g, [&](auto& x) {
            if constexpr (!std::decay_t<decltype(x)>::has_receptors) {
                throw config_error("record_state: group '" + x.name() + "' has no state variables");
            } else {
                for (auto& v : variables) index.push_back(x.variable_index(v));
                for (auto n : neurons)
                    if (n >= x.size())
                        throw config_error("record_state: neuron " + std::to_string(n) + " is outside group '" + x.name() +
                                           "' (size " + std::to_string(x.size()) + ")");
            }
        });
        return state_recorders_.emplace_back(g, std::move(variables), std::move(index), std::move(neurons), interval);
    }

    /// Runs for `duration` time units (rounded to whole steps).
    void run(double duration) {
        if (!(duration >= 0) || !std::isfinite(duration))
            throw config_error("network: run duration must be finite and >= 0, got " + std::to_string(duration));
        run_steps(std::llround(duration / dt_));
    }

    void run_steps(std::int64_t n) {
        run_steps(n, [](std::int64_t) {});
    }

    /// Runs n steps and calls before_step(step) at the start of each, on one thread while the
    /// others wait: it may change rates and drives (set_rate, set_drive) for that step.
    template <class F>
    void run_steps(std::int64_t n, F&& before_step) {
        if (n <= 0) return;
        prepare();
        const std::int64_t end = step_ + n;
        const std::size_t T = threads_;
        std::exception_ptr error;
        std::atomic<bool> stop{false};
        parallel::run_team(T, [&](std::size_t t, parallel::spin_barrier& sync) {
            for (std::int64_t s = step_; s < end; ++s) {
                if (t == 0) {
                    try {  // an error stops the run at the end of this step
                        before_step(s);
                    } catch (...) {
                        error = std::current_exception();
                        stop.store(true);
                    }
                    open_step(s);
                }
                sync.arrive_and_wait();
                update_phase(s, t, T);
                sync.arrive_and_wait();
                if (t == 0 && T > 1) merge_spikes();
                sync.arrive_and_wait();
                deliver_phase(s, t, T);
                sync.arrive_and_wait();
                if (t == 0) {
                    close_step(s);
                    if ((s + 1) % 1024 == 0 || s + 1 == end) {
                        try {
                            check_finite(s);
                        } catch (...) {
                            error = std::current_exception();
                            stop.store(true);
                        }
                    }
                }
                sync.arrive_and_wait();
                if (stop.load()) break;
            }
        });
        if (error) std::rethrow_exception(error);
    }

    /// What was added to the network, for exporters (spiking/description.hpp).
    const poisson_input& poisson_input_spec(std::size_t k) const { return poisson_inputs_.at(k).spec; }
    std::size_t n_poisson_inputs() const noexcept { return poisson_inputs_.size(); }
    const std::deque<spike_recorder>& spike_recorders() const noexcept { return spike_recorders_; }
    const std::deque<state_recorder>& state_recorders() const noexcept { return state_recorders_; }
    /// Calls f(group) for each group, in order.
    template <class F>
    void for_each_group(F&& f) {
        std::apply([&](auto&... g) { (f(g), ...); }, groups_);
    }
    template <class F>
    void for_each_group(F&& f) const {
        std::apply([&](const auto&... g) { (f(g), ...); }, groups_);
    }

    // --- checkpoints (docs/checkpoints.md) ---------------------------------------------------------
    /// Saves what a continued run depends on: the step, every neuron's state and last spike, the
    /// spikes in flight on every projection, the Poisson inputs' rates and drives, and what the
    /// recorders hold. Sources and Poisson trains draw from (seed, step): nothing to save.
    void save_checkpoint(const std::filesystem::path& path) { serial::save(path, *this, "spiking network"); }
    /// Restores into a network built the way the saving one was (groups, projections with their
    /// seeds, inputs, recorders; checked); on any error the network is left as it was.
    void load_checkpoint(const std::filesystem::path& path) { serial::restore(path, *this, "spiking network"); }

    template <class Archive>
    void serialize(Archive& ar) {
        prepare();  // sizes the projections' rings
        ar.same("dt", dt_);
        ar.same("groups", n_groups);
        ar("step", step_);
        std::size_t g = 0;
        for_each_group([&](auto& x) { ar("group " + std::to_string(g++), x); });
        serial::each(ar, "projection", projections_);
        ar.same("poisson inputs", poisson_inputs_.size());
        for (std::size_t k = 0; k < poisson_inputs_.size(); ++k) ar("rate of poisson input " + std::to_string(k), poisson_inputs_[k].spec.rate);
        serial::each(ar, "spike recorder", spike_recorders_);
        serial::each(ar, "spike counter", spike_counters_);
        serial::each(ar, "state recorder", state_recorders_);
        if constexpr (Archive::loading) prepared_ = false;  // bind the projections to this network's arrays again
    }

    memory_report memory() const {
        memory_report m;
        for_each_group([&](const auto& x) {
            m.neurons += x.size();
            m.neuron_bytes += x.bytes();
        });
        for (const auto& p : projections_) {
            m.synapses += p.size();
            m.synapse_bytes += p.bytes();
        }
        return m;
    }

private:
    struct bound_poisson_input {
        poisson_input spec;
        std::size_t group, receptor;
        double* target;
        double weight;  // scaled by the receptor
    };

    template <class F>
    void visit(std::size_t k, F&& f) {
        [&]<std::size_t... I>(std::index_sequence<I...>) { ((I == k ? (void)f(std::get<I>(groups_)) : void()), ...); }(
            std::index_sequence_for<Groups...>{});
    }
    template <class F>
    void visit(std::size_t k, F&& f) const {
        [&]<std::size_t... I>(std::index_sequence<I...>) { ((I == k ? (void)f(std::get<I>(groups_)) : void()), ...); }(
            std::index_sequence_for<Groups...>{});
    }

    /// Receptor `name` of group g (config_error if g is a spike source or has no such receptor).
    std::size_t receptor_index(std::size_t g, std::string_view name, const char* who) {
        std::size_t r = 0;
        visit(g, [&](auto& x) {
            if constexpr (!std::decay_t<decltype(x)>::has_receptors)
                throw config_error(std::string(who) + ": group '" + x.name() + "' receives no input (it is a spike source)");
            else
                r = x.receptor_index(name);
        });
        return r;
    }
    /// The input array of receptor r of group g and the factor applied to weights arriving there.
    std::pair<double*, double> receptor_input(std::size_t g, std::size_t r) {
        std::pair<double*, double> out{nullptr, 1.0};
        visit(g, [&](auto& x) {
            if constexpr (std::decay_t<decltype(x)>::has_receptors) out = {x.receptor(r), x.receptor_scale(r)};
        });
        return out;
    }

    void prepare() {
        if (prepared_) return;
        for_each_group([&](auto& g) { g.prepare(dt_, seconds_per_unit_); });
        for (auto& p : projections_) {
            const auto [input, scale] = receptor_input(p.post(), p.receptor());
            p.bind(input, scale);
        }
        for (auto& in : poisson_inputs_) {
            const auto [input, scale] = receptor_input(in.group, in.receptor);
            in.target = input;
            in.weight = in.spec.weight * scale;
        }
        spikes_.assign(n_groups, {});
        chunk_spikes_.assign(n_groups, std::vector<std::vector<std::uint32_t>>(threads_));
        prepared_ = true;
    }

    void open_step(std::int64_t s) {
        for (auto& r : state_recorders_)
            if (r.due(s))
                visit(r.group(), [&](auto& x) {
                    if constexpr (std::decay_t<decltype(x)>::has_receptors)
                        r.sample(s, [&](std::size_t v) { return x.variable(v); });
                });
        for_each_group([&](auto& g) { g.begin_step(s); });
        for (auto& v : spikes_) v.clear();
    }

    void update_phase(std::int64_t s, std::size_t t, std::size_t T) {
        std::size_t g = 0;
        for_each_group([&](auto& x) {
            if constexpr (std::decay_t<decltype(x)>::chunked) {
                const auto r = parallel::share(x.size(), t, T);
                auto& out = T == 1 ? spikes_[g] : chunk_spikes_[g][t];
                out.clear();
                x.update(s, r.begin, r.end, out);
            } else if (t == 0) {
                x.update(s, 0, x.size(), spikes_[g]);
            }
            ++g;
        });
    }

    void merge_spikes() {
        std::size_t g = 0;
        for_each_group([&](auto& x) {
            if constexpr (std::decay_t<decltype(x)>::chunked)
                for (auto& c : chunk_spikes_[g]) spikes_[g].insert(spikes_[g].end(), c.begin(), c.end());
            ++g;
        });
    }

    void deliver_phase(std::int64_t s, std::size_t t, std::size_t T) {
        for (const auto& p : projections_) {
            const auto r = parallel::share(group_size(p.post()), t, T);
            if (r.begin < r.end)
                p.deliver(s, spikes_[p.pre()], static_cast<std::uint32_t>(r.begin), static_cast<std::uint32_t>(r.end));
        }
        for (const auto& in : poisson_inputs_) {
            const std::size_t n = group_size(in.group);
            const auto r = parallel::share(n, t, T);
            const double mean = in.spec.n_sources * in.spec.rate * dt_ * seconds_per_unit_;
            if (mean <= 0) continue;
            std::visit(
                [&](const auto& trains) {
                    for (std::size_t b = r.begin; b < r.end; b += 256)
                        trains.draw(in.spec.seed, s, b / 256, mean, b, std::min(b + 256, r.end),
                                    [&](std::size_t i, std::uint64_t k) { in.target[i] += static_cast<double>(k) * in.weight; });
                },
                in.spec.trains);
        }
    }

    void close_step(std::int64_t s) {
        for (auto& p : projections_) p.commit(s, spikes_[p.pre()]);
        std::size_t g = 0;
        for_each_group([&](auto& x) {
            x.reset(s, spikes_[g]);
            ++g;
        });
        for (auto& r : spike_recorders_) r.record(s, spikes_[r.group()]);
        for (auto& c : spike_counters_) c.record(s, spikes_[c.group()]);
        step_ = s + 1;
    }

    void check_finite(std::int64_t s) {
        for_each_group([&](auto& x) {
            if constexpr (std::decay_t<decltype(x)>::has_receptors) {
                for (std::size_t v = 0; v < x.n_variables(); ++v) {
                    const auto values = x.variable(v);
                    for (std::size_t i = 0; i < values.size(); ++i)
                        if (!std::isfinite(values[i]))
                            throw numerical_error("group '" + x.name() + "': " + std::string(x.variable_name(v)) +
                                                      " of neuron " + std::to_string(i) + " is not finite at step " +
                                                      std::to_string(s) + " (t = " + std::to_string(static_cast<double>(s) * dt_) +
                                                      "); reduce dt or check the parameters",
                                                  s, i, std::string(x.variable_name(v)));
                }
            }
        });
    }

    double dt_;
    double seconds_per_unit_ = 1e-3;
    std::tuple<Groups...> groups_;
    std::deque<projection> projections_;
    std::vector<bound_poisson_input> poisson_inputs_;
    std::deque<spike_recorder> spike_recorders_;
    std::deque<spike_counter> spike_counters_;
    std::deque<state_recorder> state_recorders_;
    std::vector<std::vector<std::uint32_t>> spikes_;
    std::vector<std::vector<std::vector<std::uint32_t>>> chunk_spikes_;
    std::size_t threads_ = 1;
    std::int64_t step_ = 0;
    bool prepared_ = false;
};

}  // namespace brainweave::spiking
