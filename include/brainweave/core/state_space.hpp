#pragma once
// Small value types that describe a model's state space.
#include <cstddef>
#include <limits>

namespace brainweave {

/// A closed interval [lo, hi]: the typical range of a state variable (used for random initial
/// conditions and phase-plane plots, as TVB's `state_variable_range`).
struct interval {
    double lo;
    double hi;
};

/// A hard boundary on a state variable, applied by clamping after every integrator stage
/// (TVB's `state_variable_boundaries`). An unbounded side is +/- infinity.
struct boundary {
    std::size_t variable;
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
};

inline constexpr double unbounded = std::numeric_limits<double>::infinity();

}  // namespace brainweave
