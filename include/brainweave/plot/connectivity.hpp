#pragma once
// Connectivity figures on a plot::panel (plot/svg.hpp):
//  - synapses: the synapses of a projection in the (source index, target index) plane, drawn as
//    an image (connection matrix), a scatter or a hexagonal 2-D histogram. With kind automatic the
//    choice is brian2tools' plot_synapses heuristic: an image when both the source and the target
//    index ranges are below 1000, else a scatter below 10 000 synapses, else a hexbin. Colour: the
//    synaptic variable given (weights, delays; the mean over the synapses of a pair, or of a
//    hexagon), else the number of synapses per pair where some pair has several (multapses), else
//    one colour. Absent connections in an image show the background (hatched by default).
//  - connectome: a connectivity's weights or tract lengths as a heat map with region labels,
//    absent connections as background, weights optionally on a log10 scale.
// Every function returns the panel so the caller can still set titles, labels and limits.
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/plot/svg.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace brainweave::plot {

enum class synapse_plot { automatic, image, scatter, hexbin };

/// brian2tools' heuristic (brian_plot for Synapses).
inline synapse_plot choose_synapse_plot(std::size_t n_synapses, std::size_t source_range, std::size_t target_range) {
    if (source_range < 1000 && target_range < 1000) return synapse_plot::image;
    return n_synapses < 10000 ? synapse_plot::scatter : synapse_plot::hexbin;
}

/// Synapses from sources[k] to targets[k]; `values` (empty, or one per synapse) colours them.
inline panel& synapses(panel& p, std::span<const std::uint32_t> sources, std::span<const std::uint32_t> targets,
                       std::span<const double> values = {}, std::string value_label = "", synapse_plot kind = synapse_plot::automatic,
                       background bg = background::hatched) {
    if (sources.size() != targets.size()) throw config_error("plot::synapses: sources and targets differ in length");
    if (!values.empty() && values.size() != sources.size()) throw config_error("plot::synapses: one value per synapse expected");
    if (sources.empty()) throw config_error("plot::synapses: no synapses to plot");
    const auto [smin, smax] = std::ranges::minmax(sources);
    const auto [tmin, tmax] = std::ranges::minmax(targets);
    if (kind == synapse_plot::automatic) kind = choose_synapse_plot(sources.size(), smax - smin, tmax - tmin);
    p.xlabel("source neuron index").ylabel("target neuron index");
    // Per pair: the number of synapses and the sum of their values.
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::size_t, double>> pairs;
    for (std::size_t k = 0; k < sources.size(); ++k) {
        auto& e = pairs[{sources[k], targets[k]}];
        ++e.first;
        e.second += values.empty() ? 0.0 : values[k];
    }
    const bool multapses = std::ranges::any_of(pairs, [](const auto& e) { return e.second.first > 1; });
    const bool coloured = !values.empty() || multapses;
    const std::string label = !values.empty() ? value_label + (multapses ? " (mean per pair)" : "") : "synapses per pair";
    auto pair_value = [&](const std::pair<std::size_t, double>& e) {
        return values.empty() ? static_cast<double>(e.first) : e.second / static_cast<double>(e.first);
    };
    if (kind == synapse_plot::image) {
        const std::size_t cols = smax - smin + 1, rows = tmax - tmin + 1;
        std::vector<double> m(rows * cols, std::numeric_limits<double>::quiet_NaN());
        for (const auto& [ij, e] : pairs) m[(ij.second - tmin) * cols + (ij.first - smin)] = coloured ? pair_value(e) : 0.15;
        p.image(m, rows, cols, smin - 0.5, smax + 0.5, tmin - 0.5, tmax + 0.5, coloured ? label : "").missing(bg);
        if (!coloured) p.clim(0, 1).colour_bar(false);  // one dark colour
        return p;
    }
    if (kind == synapse_plot::scatter) {
        std::vector<double> x, y, v;
        for (const auto& [ij, e] : pairs) {
            x.push_back(ij.first);
            y.push_back(ij.second);
            v.push_back(pair_value(e));
        }
        const double r = pairs.size() > 3000 ? 1.2 : 2.2;
        return coloured ? p.points(x, y, v, r, label) : p.points(x, y, "#1f77b4", r);
    }
    // Hexagonal bins: about 40 across the source range.
    const double w = std::max(1.0, static_cast<double>(smax - smin + 1) / 40.0);
    const double rx = w / 2, ry = std::max(1.0, static_cast<double>(tmax - tmin + 1) / 40.0) / std::sqrt(3.0);
    std::map<std::pair<long, long>, std::pair<std::size_t, double>> bins;
    for (std::size_t k = 0; k < sources.size(); ++k) {
        const double x = sources[k], y = targets[k];
        // The nearest centre of the two offset rectangular lattices that make the hexagonal grid.
        const long row = std::lround((y - tmin) / (1.5 * ry));
        long best_row = row, best_col = 0;
        double best = std::numeric_limits<double>::infinity();
        for (long rr = row - 1; rr <= row + 1; ++rr) {
            const double shift = (rr & 1) ? rx : 0.0;
            const long col = std::lround((x - smin - shift) / (2 * rx));
            for (long cc = col - 1; cc <= col + 1; ++cc) {
                const double cx = smin + shift + 2 * rx * static_cast<double>(cc), cy = tmin + 1.5 * ry * static_cast<double>(rr);
                const double d = (x - cx) * (x - cx) / (rx * rx) + (y - cy) * (y - cy) / (ry * ry);
                if (d < best) best = d, best_row = rr, best_col = cc;
            }
        }
        auto& b = bins[{best_row, best_col}];
        ++b.first;
        b.second += values.empty() ? 0.0 : values[k];
    }
    std::vector<double> cx, cy, v;
    for (const auto& [rc, b] : bins) {
        cx.push_back(smin + ((rc.first & 1) ? rx : 0.0) + 2 * rx * static_cast<double>(rc.second));
        cy.push_back(tmin + 1.5 * ry * static_cast<double>(rc.first));
        v.push_back(values.empty() ? static_cast<double>(b.first) : b.second / static_cast<double>(b.first));
    }
    return p.hexagons(cx, cy, v, rx, ry, values.empty() ? "synapses per bin" : value_label + " (mean per bin)");
}

enum class connectome_matrix { weights, tract_lengths };

/// The weights (optionally log10) or tract lengths (mm) of a connectome; rows are targets.
inline panel& connectome(panel& p, const connectivity& c, connectome_matrix which = connectome_matrix::weights, bool log10 = false) {
    const std::size_t n = c.n_regions();
    if (n == 0) throw config_error("plot::connectome: the connectivity has no regions");
    const Eigen::MatrixXd& m = which == connectome_matrix::weights ? c.weights : c.tract_lengths;
    std::vector<double> img(n * n);
    for (std::size_t r = 0; r < n; ++r)  // image row 0 at the bottom: the last region first
        for (std::size_t k = 0; k < n; ++k) {
            const double v = m(static_cast<Eigen::Index>(n - 1 - r), static_cast<Eigen::Index>(k));
            const bool absent = c.weights(static_cast<Eigen::Index>(n - 1 - r), static_cast<Eigen::Index>(k)) == 0.0;
            img[r * n + k] = absent ? std::numeric_limits<double>::quiet_NaN() : (log10 && which == connectome_matrix::weights ? std::log10(v) : v);
        }
    const std::string label = which == connectome_matrix::weights ? (log10 ? "log10 weight" : "weight") : "tract length (mm)";
    p.image(img, n, n, -0.5, static_cast<double>(n) - 0.5, -0.5, static_cast<double>(n) - 0.5, label).missing(background::grey);
    if (n <= 100 && c.region_labels.size() == n) {
        std::vector<double> at(n), yat(n);
        for (std::size_t k = 0; k < n; ++k) {
            at[k] = static_cast<double>(k);
            yat[k] = static_cast<double>(n - 1 - k);
        }
        p.xticks(at, c.region_labels, true).yticks(yat, c.region_labels);
    } else {
        p.xlabel("source region").ylabel("target region");
    }
    return p.title(which == connectome_matrix::weights ? "connectome weights" : "tract lengths");
}

}  // namespace brainweave::plot
