#pragma once
// Sources of standard-normal draws for stochastic integrators.
//
// A source fills the draws of one node for one step: `fill(step, node, z, n)`. Draws are addressed
// by (step, node, index), not by the order in which they are requested, so that a run gives the
// same numbers whatever the number of threads or the order of nodes.
//
// - philox_normal: counter-based generator (Philox4x32-10, Salmon et al. 2011) with Box-Muller;
//   the seed is the key, (step, node, block) the counter: independent streams for free.
// - replay_normal: replays a recorded array of draws (TVB's `noise_draws.npy`, shape
//   (steps, n_state, n_nodes, n_modes)), used to reproduce a TVB run exactly.
#include <brainweave/core/error.hpp>
#include <brainweave/core/random.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

namespace brainweave::noise {

class philox_normal {
public:
    philox_normal() = default;
    explicit philox_normal(std::uint64_t seed) : seed_(seed) {}
    std::uint64_t seed() const noexcept { return seed_; }

    void fill(std::int64_t step, std::size_t node, double* z, std::size_t n) const noexcept {
        for (std::size_t k = 0; k < n; k += 2) {
            const auto r = random::philox4x32(seed_, static_cast<std::uint64_t>(step), (static_cast<std::uint64_t>(node) << 20) | (k / 2));
            // Two uniforms in (0, 1] and [0, 1) from 53 bits each.
            const double u1 = random::to_unit(r[0], r[1]) + 0x1p-53;
            const double u2 = random::to_unit(r[2], r[3]);
            const double radius = std::sqrt(-2.0 * std::log(u1));
            const double angle = 2.0 * std::numbers::pi * u2;
            z[k] = radius * std::cos(angle);
            if (k + 1 < n) z[k + 1] = radius * std::sin(angle);
        }
    }

private:
    std::uint64_t seed_ = 42;
};

class replay_normal {
public:
    replay_normal() = default;
    /// draws: C-order array of shape (n_steps, n_state, n_nodes, n_modes); the draws at index 0
    /// are used for the step that produces `first_step`.
    replay_normal(std::vector<double> draws, std::size_t n_steps, std::size_t n_state, std::size_t n_nodes,
                  std::size_t n_modes, std::int64_t first_step)
        : draws_(std::move(draws)), n_steps_(n_steps), n_state_(n_state), n_nodes_(n_nodes), n_modes_(n_modes),
          first_step_(first_step) {
        if (draws_.size() != n_steps * n_state * n_nodes * n_modes)
            throw config_error("replayed noise draws: expected " + std::to_string(n_steps * n_state * n_nodes * n_modes) +
                               " values, got " + std::to_string(draws_.size()));
    }

    void fill(std::int64_t step, std::size_t node, double* z, std::size_t n) const {
        const std::int64_t s = step - first_step_;
        if (s < 0 || static_cast<std::size_t>(s) >= n_steps_)
            throw config_error("replayed noise draws cover steps " + std::to_string(first_step_) + " to " +
                               std::to_string(first_step_ + static_cast<std::int64_t>(n_steps_) - 1) +
                               "; step " + std::to_string(step) + " was requested (run is longer than the draws)");
        if (n != n_state_ * n_modes_ || node >= n_nodes_)
            throw config_error("replayed noise draws have shape (" + std::to_string(n_steps_) + ", " +
                               std::to_string(n_state_) + ", " + std::to_string(n_nodes_) + ", " +
                               std::to_string(n_modes_) + "), which does not fit this simulation");
        const std::size_t base = static_cast<std::size_t>(s) * n_state_ * n_nodes_ * n_modes_;
        for (std::size_t v = 0; v < n_state_; ++v)
            for (std::size_t m = 0; m < n_modes_; ++m)
                z[v * n_modes_ + m] = draws_[base + (v * n_nodes_ + node) * n_modes_ + m];
    }

private:
    std::vector<double> draws_;
    std::size_t n_steps_ = 0, n_state_ = 0, n_nodes_ = 0, n_modes_ = 0;
    std::int64_t first_step_ = 0;
};

}  // namespace brainweave::noise

namespace brainweave::noise {
/// Either a generator or a replay, chosen at run time (used by the command-line runner).
class any_normal {
public:
    any_normal() = default;
    any_normal(philox_normal g) : replay_(false), gen_(g) {}
    any_normal(replay_normal r) : replay_(true), rep_(std::move(r)) {}
    void fill(std::int64_t step, std::size_t node, double* z, std::size_t n) const {
        if (replay_)
            rep_.fill(step, node, z, n);
        else
            gen_.fill(step, node, z, n);
    }

private:
    bool replay_ = false;
    philox_normal gen_{};
    replay_normal rep_{};
};
}  // namespace brainweave::noise
