#pragma once
// Statistics of the Poisson input trains that a poisson_input (devices.hpp) gives each target
// neuron: independent, or correlated after Kuhn, Aertsen & Rotter (2003, Neural Comput. 15:67).
//
// Each model turns a per-target rate r (spikes per step: the mean m = r dt) into a count of input
// spikes per target and step, for targets [first, last) of one block of at most 256 neurons:
//
// - independent:          every target draws Poisson(m) on its own.
// - single_interaction:   a shared train of mean c m, whose spikes reach every target, plus an own
//   (SIP)                 train of mean (1 - c) m per target: rate r, pairwise count correlation c.
// - multiple_interaction: a mother train of mean m / c; each of its spikes reaches each target
//   (MIP)                 independently with probability c: rate r, pairwise count correlation c.
//
// Draws are addressed by (seed, step, block) for what belongs to the block and (seed, step) for
// the shared or mother train, so every block (and thread) sees the same shared train and results
// do not depend on the number of threads.
#include <brainweave/core/error.hpp>
#include <brainweave/core/random.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace brainweave::spiking::trains {

namespace detail {
inline std::uint64_t block_stream(std::int64_t step, std::size_t block) noexcept {
    return (static_cast<std::uint64_t>(step) << 24) | (block & 0xFFFFFFu);
}
/// The stream of what all blocks share in one step (block id 2^24 - 1, never a real block's:
/// a population would need 2^32 neurons to reach it).
inline std::uint64_t shared_stream(std::int64_t step) noexcept { return block_stream(step, 0xFFFFFFu); }

inline void check_correlation(double c, std::string_view who) {
    if (!(c > 0.0 && c <= 1.0))
        throw config_error(std::string(who) + ": the correlation c must lie in (0, 1], got " + std::to_string(c));
}
}  // namespace detail

struct independent {
    static constexpr std::string_view name = "independent";
    void validate() const {}
    /// add(i, k): target i receives k spikes in this step.
    template <class Add>
    void draw(std::uint64_t seed, std::int64_t step, std::size_t block, double mean, std::size_t first,
              std::size_t last, Add&& add) const {
        random::uniform_stream u(seed, detail::block_stream(step, block));
        const random::poisson_sampler own(mean);
        for (std::size_t i = first; i < last; ++i)
            if (const auto k = own(u)) add(i, k);
    }
};

struct single_interaction {
    static constexpr std::string_view name = "single interaction (SIP)";
    double c = 0.1;  ///< pairwise correlation of the counts
    void validate() const { detail::check_correlation(c, "single_interaction"); }
    template <class Add>
    void draw(std::uint64_t seed, std::int64_t step, std::size_t block, double mean, std::size_t first,
              std::size_t last, Add&& add) const {
        random::uniform_stream shared(seed, detail::shared_stream(step));
        const auto common = random::poisson_sampler(c * mean)(shared);
        random::uniform_stream u(seed, detail::block_stream(step, block));
        const random::poisson_sampler own((1.0 - c) * mean);
        for (std::size_t i = first; i < last; ++i)
            if (const auto k = common + own(u)) add(i, k);
    }
};

struct multiple_interaction {
    static constexpr std::string_view name = "multiple interaction (MIP)";
    double c = 0.1;  ///< copy probability = pairwise correlation of the counts
    void validate() const { detail::check_correlation(c, "multiple_interaction"); }
    template <class Add>
    void draw(std::uint64_t seed, std::int64_t step, std::size_t block, double mean, std::size_t first,
              std::size_t last, Add&& add) const {
        random::uniform_stream shared(seed, detail::shared_stream(step));
        const auto mother = random::poisson_sampler(mean / c)(shared);
        if (mother == 0) return;
        random::uniform_stream u(seed, detail::block_stream(step, block));
        for (std::size_t i = first; i < last; ++i) {
            std::uint64_t k = 0;
            for (std::uint64_t s = 0; s < mother; ++s) k += u() < c;
            if (k) add(i, k);
        }
    }
};

/// The train statistics of one input, chosen at run time (visited once per step and block).
using model = std::variant<independent, single_interaction, multiple_interaction>;

}  // namespace brainweave::spiking::trains
