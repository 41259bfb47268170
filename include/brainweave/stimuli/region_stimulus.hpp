#pragma once
// Region stimuli (TVB's StimuliRegion): a spatial pattern (one weight per node) times a temporal
// equation (equations/temporal.hpp), driving the model's stimulus variables (model_traits::stvar,
// by default its coupling variables) of every mode.
//
// As in TVB, the stimulus of the step from n - 1 to n is evaluated at t = (n - 1) dt, counted
// from the simulation's first step after its initial history (n = 1 at t = 0; later run() calls
// go on counting, where TVB restarts at 0 on every call), and the integrators add dt * stimulus where
// TVB's schemes do (Euler: X + dt (f + s); Heun: in the predictor and the corrector; RK4: to the
// final sum only).
#include <brainweave/core/error.hpp>
#include <brainweave/equations/temporal.hpp>

#include <cmath>
#include <string>
#include <variant>
#include <vector>

namespace brainweave::stimuli {

struct region_stimulus {
    std::vector<double> weight;                                          ///< one per node
    equations::temporal_equation temporal = equations::pulse_train{};    ///< f(t), t in ms

    /// Checks the pattern against the number of nodes; throws naming what is wrong.
    void validate(std::size_t n_nodes) const {
        if (weight.size() != n_nodes)
            throw config_error("stimulus: the spatial pattern has " + std::to_string(weight.size()) +
                               " weights, expected one per node (" + std::to_string(n_nodes) + ")");
        for (std::size_t i = 0; i < weight.size(); ++i)
            if (!std::isfinite(weight[i]))
                throw config_error("stimulus: weight of node " + std::to_string(i) + " is not finite");
    }
    /// f(t).
    double temporal_value(double t) const {
        return std::visit([&](const auto& f) { return f(t); }, temporal);
    }
};

}  // namespace brainweave::stimuli
