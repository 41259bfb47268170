#pragma once
// plot(x): a quick figure of whatever x is, as brian2tools' brian_plot does, next to the specific
// functions (plot/spiking.hpp, connectivity.hpp, region.hpp, morphology.hpp, surface.hpp) that give
// full control.
// Every overload returns the figure, which the caller can still change before saving:
//
//   bw::plot::plot(spikes, net.dt()).title("E population").save("raster.svg");
//
//   spike_recorder        raster (time in the network's time unit)
//   state_recorder        one panel of traces per recorded variable
//   projection            its synapses (image, scatter or hexbin by brian2tools' heuristic),
//                         coloured by weight when weights differ
//   connectivity          weights (log10) and tract lengths as heat maps
//   morphology            2-D projection (xz) and dendrogram
//   monitor_output        the first variable of every node, stacked
//   square Eigen matrix   the matrix (e.g. functional connectivity), diverging colours
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/monitors/output.hpp>
#include <brainweave/multicompartment/morphology.hpp>
#include <brainweave/plot/connectivity.hpp>
#include <brainweave/plot/morphology.hpp>
#include <brainweave/plot/region.hpp>
#include <brainweave/plot/spiking.hpp>
#include <brainweave/plot/surface.hpp>
#include <brainweave/spiking/projection.hpp>
#include <brainweave/spiking/recorders.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace brainweave::plot {

/// `shown`: draw only the first `shown` neurons (0: all).
inline figure plot(const spiking::spike_recorder& r, double dt, std::size_t group_size = 0, std::size_t shown = 0) {
    figure fig(900, 450);
    const auto t = r.times(dt);
    std::size_t n = group_size;
    for (auto s : r.senders()) n = std::max<std::size_t>(n, s + 1);
    const double t_end = std::max(t.empty() ? dt : t.back(), dt);
    const spike_group g{r.group_name(), r.senders(), t, std::max<std::size_t>(n, 1), "", shown};
    raster(fig.add_panel(), std::span<const spike_group>(&g, 1), 0.0, t_end)
        .title(r.group_name() + ": spikes" + (shown && shown < n ? " of the first " + std::to_string(shown) + " neurons" : ""))
        .xlabel("time");
    return fig;
}

inline figure plot(const spiking::state_recorder& r, double dt, const std::string& group = "") {
    const auto& vars = r.variables();
    figure fig(900, 220.0 * static_cast<double>(std::max<std::size_t>(1, vars.size())) + 60);
    std::vector<double> t;
    for (auto s : r.steps()) t.push_back(static_cast<double>(s) * dt);
    std::vector<std::string> labels;
    for (auto n : r.neurons()) labels.push_back("neuron " + std::to_string(n));
    for (std::size_t v = 0; v < vars.size(); ++v) {
        std::vector<std::vector<double>> traces;
        for (std::size_t k = 0; k < r.neurons().size(); ++k) traces.push_back(r.trace(v, k));
        state_traces(fig.add_panel(), t, traces, vars[v], "", labels.size() <= 10 ? labels : std::vector<std::string>{})
            .title(group.empty() ? vars[v] : group + ": " + vars[v])
            .xlabel("time");
    }
    return fig;
}

/// The synapses of a projection as lists (source, target, weight per synapse), for synapses().
struct synapse_table {
    std::vector<std::uint32_t> sources, targets;
    std::vector<double> weights;
};
inline synapse_table synapses_of(const spiking::projection& p) {
    synapse_table t;
    for (std::size_t i = 0; i < p.n_pre(); ++i) {
        const auto targets = p.targets(i);
        for (std::size_t k = 0; k < targets.size(); ++k) {
            t.sources.push_back(static_cast<std::uint32_t>(i));
            t.targets.push_back(targets[k]);
            t.weights.push_back(p.weight(p.row_begin(i) + k));
        }
    }
    return t;
}

inline figure plot(const spiking::projection& p) {
    const auto t = synapses_of(p);
    figure fig(760, 680);
    auto& panel = fig.add_panel().title(p.name());
    if (p.homogeneous_weight()) synapses(panel, t.sources, t.targets);
    else synapses(panel, t.sources, t.targets, t.weights, "weight");
    return fig;
}

inline figure plot(const connectivity& c) {
    figure fig(1000, 1900);
    connectome(fig.add_panel(), c, connectome_matrix::weights, true);
    connectome(fig.add_panel(), c, connectome_matrix::tract_lengths);
    return fig;
}

inline figure plot(const multicompartment::morphology& m) {
    figure fig(900, 1100);
    morphology_2d(fig.add_panel(1.6), m).title(m.source.empty() ? "morphology" : m.source);
    dendrogram(fig.add_panel(1.0), m).title("dendrogram");
    return fig;
}

inline figure plot(const monitor_output& out, const std::vector<std::string>& labels = {}) {
    figure fig(900, std::clamp(40.0 + 14.0 * static_cast<double>(out.n_space), 300.0, 1400.0));
    const std::string var = out.variables.empty() ? "variable 0" : out.variables.front();
    stacked_series(fig.add_panel(), out.time, series(out, 0), labels).title(var).xlabel("time (ms)");
    return fig;
}

inline figure plot(const Eigen::MatrixXd& m, const std::vector<std::string>& labels = {}) {
    figure fig(860, 800);
    matrix(fig.add_panel(), m, labels);
    return fig;
}

}  // namespace brainweave::plot
