#pragma once
// Figures of region (neural-mass) simulations on a plot::panel (plot/svg.hpp):
//  - stacked_series: one trace per region (or EEG/MEG channel), stacked from the top with the
//    names on the y axis, scaled together (the largest peak-to-peak range fills one row) or each
//    to its own range;
//  - matrix: a labelled square matrix (functional connectivity, coherence), diverging colours
//    around zero by default;
//  - sweep_heatmap: a summary over a 2-D parameter grid, cells centred on the parameter values.
// `series(output, variable)` takes one state variable out of a monitor's output as a
// (samples x nodes) matrix.
#include <brainweave/core/error.hpp>
#include <brainweave/monitors/output.hpp>
#include <brainweave/plot/svg.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace brainweave::plot {

/// Variable `v` (mode `mode`) of a monitor's output: samples x nodes (or sensors).
inline Eigen::MatrixXd series(const monitor_output& out, std::size_t v = 0, std::size_t mode = 0) {
    if (v >= out.n_var || mode >= std::max<std::size_t>(out.n_modes, 1))
        throw config_error("plot::series: the output has " + std::to_string(out.n_var) + " variables and " +
                           std::to_string(out.n_modes) + " modes; asked for variable " + std::to_string(v) + ", mode " + std::to_string(mode));
    Eigen::MatrixXd m(static_cast<Eigen::Index>(out.n_samples()), static_cast<Eigen::Index>(out.n_space));
    for (std::size_t t = 0; t < out.n_samples(); ++t)
        for (std::size_t s = 0; s < out.n_space; ++s) m(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(s)) = out(t, v, s, mode);
    return m;
}

struct stacked_options {
    double t_from = -std::numeric_limits<double>::infinity();  ///< draw from here on (e.g. after a transient)
    bool each = false;             ///< scale every trace to its own range (default: all together)
    std::string colour = "#1f3b73";
    std::size_t max_labels = 40;   ///< at most this many labels on the axis, evenly spaced
};

/// Columns of `x` (samples x traces) against t, stacked from the top, labelled `labels`.
inline panel& stacked_series(panel& p, std::span<const double> t, const Eigen::MatrixXd& x, const std::vector<std::string>& labels = {},
                             const stacked_options& o = {}) {
    if (static_cast<std::size_t>(x.rows()) != t.size())
        throw config_error("plot::stacked_series: " + std::to_string(x.rows()) + " samples for " + std::to_string(t.size()) + " times");
    if (!labels.empty() && labels.size() != static_cast<std::size_t>(x.cols()))
        throw config_error("plot::stacked_series: one label per trace expected");
    std::size_t k0 = 0;
    while (k0 < t.size() && t[k0] < o.t_from) ++k0;
    if (k0 >= t.size()) throw config_error("plot::stacked_series: no samples after t_from");
    const auto n = static_cast<Eigen::Index>(t.size() - k0);
    const auto shown = x.bottomRows(n);
    double range = 0;
    for (Eigen::Index c = 0; c < x.cols(); ++c) range = std::max(range, shown.col(c).maxCoeff() - shown.col(c).minCoeff());
    if (!(range > 0)) range = 1;
    std::vector<double> at;
    std::vector<std::string> names;
    const std::size_t every = std::max<std::size_t>(1, (static_cast<std::size_t>(x.cols()) + o.max_labels - 1) / std::max<std::size_t>(o.max_labels, 1));
    const std::span<const double> tt = t.subspan(k0);
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
        const double offset = -static_cast<double>(c), mean = shown.col(c).mean();
        const double own = shown.col(c).maxCoeff() - shown.col(c).minCoeff();
        const double scale = o.each ? (own > 0 ? own : 1.0) : range;
        std::vector<double> y(tt.size());
        for (std::size_t k = 0; k < tt.size(); ++k) y[k] = offset + 0.9 * (shown(static_cast<Eigen::Index>(k), c) - mean) / scale;
        p.line(tt, y, o.colour, "", 0.8);
        if (static_cast<std::size_t>(c) % every == 0) {
            at.push_back(offset);
            names.push_back(labels.empty() ? std::to_string(c) : labels[static_cast<std::size_t>(c)]);
        }
    }
    return p.yticks(at, names).ylim(-static_cast<double>(x.cols()) + 0.3, 0.7).xlim(tt.front(), tt.back());
}

/// A square matrix (row 0 at the top) with labels on both axes.
inline panel& matrix(panel& p, const Eigen::MatrixXd& m, const std::vector<std::string>& labels = {}, std::string colour_label = "",
                     colour_map map = colour_map::diverging) {
    const auto n = static_cast<std::size_t>(m.rows());
    if (m.cols() != m.rows() || n == 0) throw config_error("plot::matrix: a non-empty square matrix is expected");
    if (!labels.empty() && labels.size() != n) throw config_error("plot::matrix: one label per row expected");
    std::vector<double> img(n * n);
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < n; ++c) img[r * n + c] = m(static_cast<Eigen::Index>(n - 1 - r), static_cast<Eigen::Index>(c));
    p.image(img, n, n, -0.5, static_cast<double>(n) - 0.5, -0.5, static_cast<double>(n) - 0.5, std::move(colour_label)).colours(map);
    if (!labels.empty() && n <= 100) {
        std::vector<double> at(n), yat(n);
        for (std::size_t k = 0; k < n; ++k) {
            at[k] = static_cast<double>(k);
            yat[k] = static_cast<double>(n - 1 - k);
        }
        p.xticks(at, labels, true).yticks(yat, labels);
    }
    return p;
}

/// values(iy, ix) over the grid xs x ys (cells centred on the values; spacing taken from neighbours).
inline panel& sweep_heatmap(panel& p, const Eigen::MatrixXd& values, std::span<const double> xs, std::span<const double> ys,
                            std::string xlabel, std::string ylabel, std::string colour_label) {
    if (static_cast<std::size_t>(values.cols()) != xs.size() || static_cast<std::size_t>(values.rows()) != ys.size() || xs.empty() || ys.empty())
        throw config_error("plot::sweep_heatmap: values must be (ys.size() x xs.size())");
    auto half = [](std::span<const double> v) { return v.size() > 1 ? 0.5 * (v[1] - v[0]) : 0.5; };
    std::vector<double> img(static_cast<std::size_t>(values.size()));
    for (Eigen::Index r = 0; r < values.rows(); ++r)
        for (Eigen::Index c = 0; c < values.cols(); ++c) img[static_cast<std::size_t>(r * values.cols() + c)] = values(r, c);
    return p.image(img, ys.size(), xs.size(), xs.front() - half(xs), xs.back() + half(xs), ys.front() - half(ys), ys.back() + half(ys),
                   std::move(colour_label))
        .xlabel(std::move(xlabel))
        .ylabel(std::move(ylabel));
}

}  // namespace brainweave::plot
