#pragma once
// Stimulation devices that act on a population's neurons directly (not through projections):
//
// - step_current: a piecewise-constant current into chosen neurons (NEST's
//   step_current_generator); `step_current::dc` is a DC current between a start and a stop time
//   (NEST's dc_generator). The amplitude of the segment that contains the start of a step is held
//   over the whole step.
// - poisson_input: `n_sources` independent Poisson trains of rate `rate` (Hz) into every neuron of a
//   population, each spike adding `weight` to a receptor (Brian 2's PoissonInput; NEST's
//   poisson_generator connected to every neuron, which gives each target its own trains). The
//   number of input spikes per neuron and step is drawn from a Poisson distribution of mean
//   n_sources * rate * dt, from a counter-based stream addressed by (seed, step, block of
//   neurons): the draws do not depend on the number of threads. `trains` makes the targets'
//   trains correlated instead (input_trains.hpp: Kuhn et al. 2003's single- and
//   multiple-interaction processes); network::set_rate changes the rate while a simulation runs
//   (a co-simulation's rate-to-spikes transformer).
#include <brainweave/core/error.hpp>
#include <brainweave/spiking/input_trains.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace brainweave::spiking {

struct step_current {
    std::vector<std::uint32_t> targets;  ///< neuron indices within the population
    std::vector<double> times;           ///< segment starts (time units), increasing
    std::vector<double> amplitudes;      ///< current of each segment (pA); none before times[0]

    /// A constant current from `start` until `stop` (NEST's dc_generator).
    static step_current dc(double amplitude, std::vector<std::uint32_t> targets, double start = 0.0,
                           double stop = std::numeric_limits<double>::infinity()) {
        step_current c{std::move(targets), {start}, {amplitude}};
        if (std::isfinite(stop)) {
            c.times.push_back(stop);
            c.amplitudes.push_back(0.0);
        }
        return c;
    }
};

struct poisson_input {
    std::string target;          ///< population name
    std::string receptor = "ex"; ///< receptor name of the target's model
    double n_sources = 1;        ///< number of independent trains per neuron
    double rate = 0;             ///< rate of each train (Hz)
    double weight = 0;           ///< weight of each input spike
    std::uint64_t seed = 1;
    trains::model trains{};      ///< independent (default) or correlated trains
};

/// Names a poisson_input added to a network (for network::set_rate).
struct input_handle {
    std::size_t index;
};

namespace detail {
/// A step_current converted to steps.
struct prepared_current {
    std::vector<std::uint32_t> targets;
    std::vector<std::int64_t> steps;
    std::vector<double> amplitudes;
    double amplitude_at(std::int64_t step) const noexcept {
        double a = 0.0;
        for (std::size_t k = 0; k < steps.size() && steps[k] <= step; ++k) a = amplitudes[k];
        return a;
    }
};

inline prepared_current prepare_current(const step_current& c, double dt, std::size_t n, const std::string& where) {
    if (c.times.size() != c.amplitudes.size())
        throw config_error(where + ": step_current has " + std::to_string(c.times.size()) + " times but " +
                           std::to_string(c.amplitudes.size()) + " amplitudes");
    prepared_current p{c.targets, {}, c.amplitudes};
    for (std::size_t k = 0; k < c.times.size(); ++k) {
        if (!std::isfinite(c.times[k]) || !std::isfinite(c.amplitudes[k]))
            throw config_error(where + ": step_current time and amplitude " + std::to_string(k) + " must be finite");
        if (k && !(c.times[k] > c.times[k - 1]))
            throw config_error(where + ": step_current times must increase (time " + std::to_string(k) + ")");
        p.steps.push_back(std::llround(c.times[k] / dt));
    }
    for (auto t : c.targets)
        if (t >= n)
            throw config_error(where + ": current target " + std::to_string(t) + " is outside the population (size " +
                               std::to_string(n) + ")");
    return p;
}
}  // namespace detail

}  // namespace brainweave::spiking
