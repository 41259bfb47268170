#pragma once
// The spiking side of a co-simulation played by a brainweave spiking network, and its ports:
//
//   rates_in{region, input, to_rate}         region signal -> to_rate (a Transformer) -> the rate (Hz,
//                                            per train) of a poisson_input of the network (whose
//                                            `trains` make it independent or correlated)
//   current_in{region, population, to_current}
//                                            region signal -> a current (pA) into every neuron of
//                                            a population (population::set_drive)
//   rate_out{population, region, variable, from_rate}
//                                            the population's rate in each region step (spikes
//                                            counted over the step, per neuron, in Hz) ->
//                                            from_rate (a Transformer) -> the proxy's state variable
//
// The network counts time in ms (its default) and its dt must divide the region dt: each region
// step runs m = dt_region / dt_spiking network steps with the rates and currents of that step.
//
//   auto side = cosim::network_side(net,
//       std::tuple{cosim::rates_in{.region = 5, .input = drive_e, .to_rate = cosim::linear{800.0}}},
//       std::tuple{cosim::rate_out{.population = "E5", .region = 5, .variable = "S_e",
//                                  .from_rate = cosim::rww_gating{}}});
#include <brainweave/concepts/transformer.hpp>
#include <brainweave/cosim/spiking_side.hpp>
#include <brainweave/cosim/transformers.hpp>
#include <brainweave/spiking/devices.hpp>
#include <brainweave/spiking/recorders.hpp>

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace brainweave::cosim {

template <Transformer T = chain<>>
struct rates_in {
    std::size_t region = 0;
    spiking::input_handle input{0};  ///< from network::add(poisson_input)
    T to_rate{};
    std::size_t term = 0, mode = 0;  ///< which coupling term of the region
};

template <Transformer T = chain<>>
struct current_in {
    std::size_t region = 0;
    std::string population;
    T to_current{};
    std::size_t term = 0, mode = 0;
};

template <Transformer T = chain<>>
struct rate_out {
    std::string population;
    std::size_t region = 0;
    std::string variable;
    T from_rate{};
    std::size_t mode = 0;
};

template <class Network, class Inputs, class Outputs>
class network_side;

template <class Network, class... Ins, class... Outs>
class network_side<Network, std::tuple<Ins...>, std::tuple<Outs...>> {
public:
    network_side(Network& net, std::tuple<Ins...> inputs, std::tuple<Outs...> outputs)
        : net_(net), inputs_(std::move(inputs)), outputs_(std::move(outputs)) {
        std::apply([&](auto&... in) { (bind_input(in), ...); }, inputs_);
        std::apply([&](auto&... out) { (counters_.push_back(&net_.count_spikes(out.population)), ...); }, outputs_);
    }

    std::vector<input_port> inputs() const {
        std::vector<input_port> p;
        std::apply([&](const auto&... in) { (p.push_back({in.region, in.term, in.mode}), ...); }, inputs_);
        return p;
    }
    std::vector<output_port> outputs() const {
        std::vector<output_port> p;
        std::apply([&](const auto&... out) { (p.push_back({out.region, out.variable, out.mode}), ...); }, outputs_);
        return p;
    }

    void start(double region_dt, std::int64_t) {
        if (net_.seconds_per_time_unit() != 1e-3)
            throw config_error("network_side: the spiking network must count time in ms (its time unit is " +
                               std::to_string(net_.seconds_per_time_unit()) + " s), as the region simulator does");
        const double ratio = region_dt / net_.dt();
        per_step_ = std::llround(ratio);
        if (per_step_ < 1 || std::abs(ratio - static_cast<double>(per_step_)) > 1e-9 * ratio)
            throw config_error("network_side: the spiking network's dt (" + std::to_string(net_.dt()) +
                               ") must divide the region dt (" + std::to_string(region_dt) + " ms)");
        region_dt_ = region_dt;
        for (auto* c : counters_) c->clear();
    }

    void advance(std::int64_t, std::size_t W, std::span<const double> in, std::span<double> out) {
        const std::int64_t first = net_.current_step();
        net_.run_steps(static_cast<std::int64_t>(W) * per_step_, [&](std::int64_t s) {
            if ((s - first) % per_step_ != 0) return;
            const auto k = static_cast<std::size_t>((s - first) / per_step_);
            std::size_t ch = 0;
            std::apply([&](auto&... x) { ((apply_input(x, in[ch * W + k], binding_[ch]), ++ch), ...); }, inputs_);
        });
        std::size_t ch = 0;
        std::apply([&](auto&... x) { ((collect_output(x, *counters_[ch], W, out.subspan(ch * W, W)), ++ch), ...); }, outputs_);
    }

    void finish() {}

    // --- checkpoints (cosimulator::save_checkpoint) -------------------------------------------------
    /// What evolves on this side, as a value: the network and the ports' transformers (a
    /// cosimulator restores a checkpoint into such a copy first, to check it).
    struct checkpoint_state {
        Network net;
        std::tuple<Ins...> inputs;
        std::tuple<Outs...> outputs;
        template <class Archive>
        void serialize(Archive& ar) {
            serialize_parts(ar, net, inputs, outputs);
        }
    };
    checkpoint_state checkpoint_copy() const { return {net_, inputs_, outputs_}; }
    template <class Archive>
    void serialize(Archive& ar) {
        serialize_parts(ar, net_, inputs_, outputs_);
    }

private:
    template <class Archive>
    static void serialize_parts(Archive& ar, Network& net, std::tuple<Ins...>& inputs, std::tuple<Outs...>& outputs) {
        ar("network", net);
        std::size_t k = 0;
        std::apply([&](auto&... in) { (serialize_transformer(ar, "input port " + std::to_string(k++), port_transformer(in)), ...); },
                   inputs);
        k = 0;
        std::apply([&](auto&... out) { (serialize_transformer(ar, "output port " + std::to_string(k++), out.from_rate), ...); },
                   outputs);
    }
    template <class T>
    static T& port_transformer(rates_in<T>& in) {
        return in.to_rate;
    }
    template <class T>
    static T& port_transformer(current_in<T>& in) {
        return in.to_current;
    }

    template <class T>
    void bind_input(const rates_in<T>& in) {
        binding_.push_back(in.input.index);
    }
    template <class T>
    void bind_input(const current_in<T>& in) {
        binding_.push_back(net_.group_index(in.population));
    }

    template <class T>
    void apply_input(rates_in<T>& in, double x, std::size_t) {
        const double r = in.to_rate(x, region_dt_);
        if (!(r >= 0) || !std::isfinite(r))
            throw numerical_error("rates_in (region " + std::to_string(in.region) + "): the transformed rate is " +
                                      std::to_string(r) + " Hz (a rate must be finite and >= 0; add cosim::clamp)",
                                  net_.current_step(), in.region, "rate");
        net_.set_rate(in.input, r);
    }
    template <class T>
    void apply_input(current_in<T>& in, double x, std::size_t group) {
        net_.set_drive(group, in.to_current(x, region_dt_));
    }

    template <class T>
    void collect_output(rate_out<T>& o, spiking::spike_counter& c, std::size_t W, std::span<double> out) {
        const auto& counts = c.counts();
        const auto per = static_cast<std::size_t>(per_step_);
        const double to_hz = 1000.0 / (static_cast<double>(c.group_size()) * region_dt_);  // region dt in ms
        for (std::size_t k = 0; k < W; ++k) {
            double n = 0;
            for (std::size_t j = k * per; j < std::min(counts.size(), (k + 1) * per); ++j) n += counts[j];
            out[k] = o.from_rate(n * to_hz, region_dt_);
        }
        c.clear();
    }

    Network& net_;
    std::tuple<Ins...> inputs_;
    std::tuple<Outs...> outputs_;
    std::vector<std::size_t> binding_;  // per input: the poisson_input index or the group index
    std::vector<spiking::spike_counter*> counters_;
    std::int64_t per_step_ = 1;
    double region_dt_ = 0.1;
};

template <class Network, class... Ins, class... Outs>
network_side(Network&, std::tuple<Ins...>, std::tuple<Outs...>) -> network_side<Network, std::tuple<Ins...>, std::tuple<Outs...>>;

}  // namespace brainweave::cosim
