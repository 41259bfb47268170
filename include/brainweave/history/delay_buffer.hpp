#pragma once
// Ring buffer of the coupling variables: the delayed states that couplings read.
//
// Slot (n mod horizon) holds the coupling variables of every node at step n, laid out
// [slot][node][mode][cvar] so that the values a connection reads are contiguous.
// The horizon must exceed the longest delay: a step reads back at most horizon - 1 steps.
#include <brainweave/core/error.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace brainweave {

class delay_buffer {
public:
    delay_buffer() = default;
    delay_buffer(std::size_t horizon, std::size_t n_nodes, std::size_t block)
        : horizon_(horizon), n_nodes_(n_nodes), block_(block), data_(horizon * n_nodes * block, 0.0) {
        if (horizon == 0) throw config_error("delay_buffer: horizon must be at least 1");
    }

    std::size_t horizon() const noexcept { return horizon_; }
    std::size_t block() const noexcept { return block_; }
    std::size_t slot_stride() const noexcept { return n_nodes_ * block_; }
    std::size_t slot_of(std::int64_t step) const noexcept {
        const auto h = static_cast<std::int64_t>(horizon_);
        return static_cast<std::size_t>(((step % h) + h) % h);
    }
    double* slot(std::size_t s) noexcept { return data_.data() + s * slot_stride(); }
    const double* slot(std::size_t s) const noexcept { return data_.data() + s * slot_stride(); }
    /// Values of node `node` at step `step` (block() values).
    double* at(std::int64_t step, std::size_t node) noexcept { return slot(slot_of(step)) + node * block_; }
    const double* at(std::int64_t step, std::size_t node) const noexcept { return slot(slot_of(step)) + node * block_; }
    std::size_t memory_bytes() const noexcept { return data_.size() * sizeof(double); }

private:
    std::size_t horizon_ = 0, n_nodes_ = 0, block_ = 0;
    std::vector<double> data_;
};

}  // namespace brainweave
