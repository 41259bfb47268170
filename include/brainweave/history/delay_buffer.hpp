#pragma once
// Ring buffer of the coupling variables: the delayed states that couplings read.
//
// Each node keeps its own ring of `horizon` steps, laid out [node][slot][mode][cvar], so that the
// values a connection reads on consecutive steps are contiguous (a block of steps reads one run of
// memory). Slot (n mod horizon) holds step n. The horizon must exceed the longest delay: a step
// reads back at most horizon - 1 steps. V is the simulation's value type (double, float, or a SIMD
// batch of parameter sets).
//
// Every ring is stored twice over (2 * horizon slots; every value written at slot s is also
// written at slot s + horizon, see twin()), so that the value of node j at step n - d lies at a
// fixed offset from origin(n):
//   origin(n) + j * node_stride() + (horizon - d) * block()      for 0 <= d < horizon,
// with no wrap-around test in the innermost loop (see read_offset), and steps n - d, n - d + 1,
// ..., n lie one block() apart.
#include <brainweave/core/error.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace brainweave {

template <class V>
class basic_delay_buffer {
public:
    basic_delay_buffer() = default;
    basic_delay_buffer(std::size_t horizon, std::size_t n_nodes, std::size_t block)
        : horizon_(horizon), n_nodes_(n_nodes), block_(block), data_(2 * horizon * n_nodes * block, V(0.0)) {
        if (horizon == 0) throw config_error("delay_buffer: horizon must be at least 1");
    }

    std::size_t horizon() const noexcept { return horizon_; }
    std::size_t block() const noexcept { return block_; }
    /// Distance between one node's values of consecutive steps.
    std::size_t step_stride() const noexcept { return block_; }
    /// Distance between the rings of consecutive nodes.
    std::size_t node_stride() const noexcept { return 2 * horizon_ * block_; }
    std::size_t slot_of(std::int64_t step) const noexcept {
        const auto h = static_cast<std::int64_t>(horizon_);
        return static_cast<std::size_t>(((step % h) + h) % h);
    }
    /// Node 0's values at step n; node j's lie j * node_stride() further.
    V* origin(std::int64_t step) noexcept { return data_.data() + slot_of(step) * block_; }
    const V* origin(std::int64_t step) const noexcept { return data_.data() + slot_of(step) * block_; }
    /// Offset from origin(n) to the values of `node` at step n - delay.
    std::size_t read_offset(std::size_t delay, std::size_t node) const noexcept {
        return node * node_stride() + (horizon_ - delay) * block_;
    }
    /// Offset from a stored value to its twin: write every value to at(step, node)[k] and to
    /// at(step, node)[twin() + k].
    std::size_t twin() const noexcept { return horizon_ * block_; }
    /// Values of node `node` at step `step` (block() values).
    V* at(std::int64_t step, std::size_t node) noexcept { return origin(step) + node * node_stride(); }
    const V* at(std::int64_t step, std::size_t node) const noexcept { return origin(step) + node * node_stride(); }
    std::size_t memory_bytes() const noexcept { return data_.size() * sizeof(V); }

    /// Every stored value (a checkpoint); restoring needs a buffer of the same shape.
    template <class Archive>
    void serialize(Archive& ar) {
        ar.same("layout", std::string("node-major rings"));
        ar.same("steps", horizon_);
        ar.same("nodes", n_nodes_);
        ar.same("values per node", block_);
        ar.sized("values", data_, data_.size());
    }

private:
    std::size_t horizon_ = 0, n_nodes_ = 0, block_ = 0;
    std::vector<V> data_;
};

using delay_buffer = basic_delay_buffer<double>;

}  // namespace brainweave
