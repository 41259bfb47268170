#pragma once
// Figures of spiking activity on a plot::panel (plot/svg.hpp), as brian2tools draws them:
//  - raster: one mark per spike within [t_from, t_to] (of the first `shown` neurons of a group, if
//    given), groups stacked from the top with a gap, one colour per group, the group labels on the
//    y axis (optional);
//  - population_rate: the rate of a group (spikes per neuron per second) in bins of `bin`, smoothed
//    by a Gaussian (width = standard deviation) or a flat window (width = duration) as
//    brian2tools' plot_rate, drawn as a line;
//  - state_traces: recorded state variables, one line per neuron, the variable and its unit on the
//    y axis.
// Every function returns the panel so the caller can still set titles, labels and limits.
#include <brainweave/analysis/rates.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/plot/svg.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <string>
#include <vector>

namespace brainweave::plot {

/// The spikes of one group: senders (0 .. size-1) and times (the plot's time unit).
struct spike_group {
    std::string label;
    std::span<const std::uint32_t> senders;
    std::span<const double> times;
    std::size_t size = 0;
    std::string colour{};  ///< "" = the palette's next colour
    std::size_t shown = 0;  ///< draw only senders below this (0 = all)
};

inline panel& raster(panel& p, std::span<const spike_group> groups, double t_from, double t_to, bool label_axis = true) {
    if (!(t_to > t_from)) throw config_error("plot::raster: t_to must be after t_from");
    double offset = 0;
    std::vector<double> ticks;
    std::vector<std::string> labels;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto& grp = groups[g];
        if (grp.senders.size() != grp.times.size()) throw config_error("plot::raster: group '" + grp.label + "' has senders and times of different lengths");
        const std::size_t height = grp.shown ? std::min(grp.shown, grp.size) : grp.size;
        std::vector<double> x, y;
        for (std::size_t k = 0; k < grp.times.size(); ++k) {
            if (grp.senders[k] >= grp.size) throw config_error("plot::raster: sender " + std::to_string(grp.senders[k]) + " outside group '" + grp.label + "'");
            if (grp.times[k] < t_from || grp.times[k] > t_to || grp.senders[k] >= height) continue;
            x.push_back(grp.times[k]);
            y.push_back(-(offset + static_cast<double>(grp.senders[k])));
        }
        p.marks(x, y, grp.colour.empty() ? palette(g) : grp.colour, label_axis ? "" : grp.label);
        ticks.push_back(-(offset + static_cast<double>(height) / 2));
        labels.push_back(grp.label);
        offset += static_cast<double>(height) + std::max(1.0, 0.05 * static_cast<double>(height));
    }
    if (label_axis) p.yticks(ticks, labels);
    return p.xlim(t_from, t_to).ylim(-offset, 1.0);
}

enum class smoothing { none, gaussian, flat };

/// The smoothed population rate of a group (times in s for Hz; `bin` and `width` in the same unit).
inline std::vector<double> smoothed_rate(std::span<const double> times, std::size_t n_neurons, double t0, double t1, double bin,
                                         smoothing s = smoothing::none, double width = 0) {
    if (n_neurons == 0 || !(bin > 0) || !(t1 > t0)) throw config_error("plot::population_rate: needs neurons, a positive bin and t1 > t0");
    const auto n = static_cast<std::size_t>(std::ceil((t1 - t0) / bin - 1e-9));
    std::vector<double> r(n, 0.0);
    for (double t : times)
        if (t >= t0 && t < t1) r[std::min(n - 1, static_cast<std::size_t>((t - t0) / bin))] += 1.0 / (static_cast<double>(n_neurons) * bin);
    if (s == smoothing::none) return r;
    if (!(width > 0)) throw config_error("plot::population_rate: the smoothing width must be positive");
    return analysis::smooth(r, s == smoothing::gaussian ? analysis::gaussian_window(bin, width) : analysis::flat_window(bin, width));
}

inline panel& population_rate(panel& p, std::span<const double> times, std::size_t n_neurons, double t0, double t1, double bin,
                              smoothing s = smoothing::none, double width = 0, std::string colour = "", std::string label = "") {
    const auto r = smoothed_rate(times, n_neurons, t0, t1, bin, s, width);
    std::vector<double> t(r.size());
    for (std::size_t k = 0; k < t.size(); ++k) t[k] = t0 + (static_cast<double>(k) + 0.5) * bin;
    return p.line(t, r, std::move(colour), std::move(label)).ylabel("rate (Hz)");
}

/// Traces of a state variable: `traces[n]` sampled at `t` for the neuron labelled `labels[n]`.
inline panel& state_traces(panel& p, std::span<const double> t, const std::vector<std::vector<double>>& traces, const std::string& variable,
                           const std::string& unit, const std::vector<std::string>& labels = {}) {
    if (!labels.empty() && labels.size() != traces.size()) throw config_error("plot::state_traces: one label per trace expected");
    for (std::size_t n = 0; n < traces.size(); ++n) p.line(t, traces[n], "", labels.empty() ? "" : labels[n]);
    return p.ylabel(unit.empty() ? variable : variable + " (" + unit + ")");
}

}  // namespace brainweave::plot
