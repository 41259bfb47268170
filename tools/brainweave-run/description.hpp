#pragma once
// A simulation described at run time, by names and numbers: what a JSON spec or a TVB reference
// case folder is turned into before the runner picks the compiled types for it.
#include <brainweave/brainweave.hpp>
#include <brainweave/surface.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace brainweave::runner {

struct named_parameters {
    std::string name;
    std::vector<std::pair<std::string, std::vector<double>>> values;  ///< in the order given
};

struct monitor_spec {
    std::string name;                       ///< TVB class name
    double period = monitors::default_period;
    std::vector<std::size_t> variables_of_interest;
    std::vector<std::size_t> spatial_mask;
    std::string default_mask = "hemispheres";
    std::optional<double> hrf_length;       ///< Bold: ms (default 20000)
    std::string hrf_kernel;                 ///< Bold: TVB's kernel name ("" = FirstOrderVolterra)
    std::vector<std::pair<std::string, double>> hrf_parameters;  ///< Bold: kernel parameters by name
    std::string file_prefix;                ///< outputs are <prefix>_time.npy, <prefix>_data.npy
};

struct noise_spec {
    std::string name;                       ///< "" (deterministic), "Additive", "Multiplicative"
    std::vector<double> nsig{1.0};
    double a = 1.0, b = 0.0;                ///< multiplicative b(x) = a x + b
    std::uint64_t seed = 42;
    std::optional<io::npy_array> draws;     ///< replay these instead of generating
};

/// A surface simulation (TVB's surface cases): the vertices' regions, the local coupling and,
/// optionally, initial conditions already averaged to regions.
struct surface_spec {
    std::vector<int> region_mapping;
    std::optional<surface::sparse_operator> local_connectivity;
    std::vector<double> local_coupling_strength{1.0};
    std::optional<io::npy_array> region_history;  ///< (time, state, regions, modes), with `state`
    std::optional<io::npy_array> state;           ///< (state, vertices, modes)
    std::vector<std::size_t> vertex_sample;       ///< --check compares these vertices (empty: all)
};

/// Checkpoint/restart of a region or surface run (--checkpoint-every, --resume, --stop-after).
struct checkpoint_spec {
    std::filesystem::path file;    ///< where checkpoints are written (replaced each time)
    double every = 0.0;            ///< ms of simulated time between checkpoints (0: none on the way)
    std::filesystem::path resume;  ///< restore this checkpoint before running (empty: start afresh)
    double stop_after = 0.0;       ///< ms to simulate in this invocation, then checkpoint and stop (0: to the end)
    bool any() const noexcept { return every > 0.0 || !resume.empty() || stop_after > 0.0; }
};

struct description {
    named_parameters model, coupling;
    std::string integrator;                 ///< TVB class name, e.g. "HeunDeterministic"
    double dt = 0.1;
    noise_spec noise;
    Eigen::MatrixXd weights;
    Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> delays;
    std::vector<bool> hemispheres, cortical;
    std::vector<std::string> region_labels;  ///< from the connectivity, if it has them
    std::optional<io::npy_array> initial_history;
    std::uint64_t seed = 42;                ///< for random initial history
    std::int64_t steps = 0;
    std::vector<monitor_spec> monitors;
    std::optional<surface_spec> surface;    ///< set: a surface simulation
    std::size_t threads = 1;                ///< surface simulations: threads (0 = all)
    checkpoint_spec checkpoint;
};

struct result {
    std::vector<std::pair<std::string, monitor_output>> outputs;  ///< (file prefix, samples)
    double wall_seconds = 0.0;
    std::int64_t first_step = 0;
    bool complete = true;                   ///< false: stopped early (--stop-after), checkpoint written
    std::int64_t step = 0, end_step = 0;    ///< the step reached and the last step of the run
};

/// Runs a description: picks the model type by name and the coupling, integrator and monitors.
result run(const description& d);

/// Names the runner knows, for --list and error messages.
std::vector<std::string> model_names();

}  // namespace brainweave::runner
