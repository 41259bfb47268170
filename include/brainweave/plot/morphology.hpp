#pragma once
// Figures of cells and laminar signals on a plot::panel (plot/svg.hpp):
//  - morphology_2d: the cell projected on a plane (xz by default: z up, as cortical cells stand),
//    every 3-D segment drawn with a width that follows its diameter, coloured by SWC type
//    (soma black, axon grey, dendrite blue, apical dendrite red), equal scales on both axes;
//  - dendrogram: the section tree, each section a vertical line from its attachment point (path
//    distance from the root) to its end, children joined to their parent by a horizontal line,
//    leaves spread evenly (brian2tools' plot_dendrogram layout);
//  - laminar_lfp: LFP traces stacked at their contacts' depths, scaled together;
//  - laminar_csd: a CSD (volumes x time) as a diverging colour map over depth.
#include <brainweave/core/error.hpp>
#include <brainweave/multicompartment/morphology.hpp>
#include <brainweave/plot/svg.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

namespace brainweave::plot {

/// Colour of an SWC structure type.
inline std::string swc_colour(int type) {
    switch (type) {
        case 1: return "#000000";
        case 2: return "#8c8c8c";
        case 3: return "#1f4e9c";
        case 4: return "#c0392b";
        default: return "#6a3d9a";
    }
}

enum class plane { xy, xz, yz };

inline panel& morphology_2d(panel& p, const multicompartment::morphology& m, plane on = plane::xz) {
    m.validate();
    std::vector<double> x0, y0, x1, y1, w;
    std::vector<std::string> c;
    auto project = [&](const multicompartment::point3d& q) {
        return on == plane::xy ? std::pair{q.x, q.y} : on == plane::xz ? std::pair{q.x, q.z} : std::pair{q.y, q.z};
    };
    for (const auto& s : m.sections)
        for (std::size_t k = 1; k < s.points.size(); ++k) {
            const auto [a, b] = project(s.points[k - 1]);
            const auto [e, f] = project(s.points[k]);
            x0.push_back(a), y0.push_back(b), x1.push_back(e), y1.push_back(f);
            w.push_back(std::clamp(0.5 * (s.points[k - 1].diam + s.points[k].diam) * 0.6, 0.6, 9.0));
            c.push_back(swc_colour(s.type));
        }
    const char* axes[3][2] = {{"x (um)", "y (um)"}, {"x (um)", "z (um)"}, {"y (um)", "z (um)"}};
    const int k = static_cast<int>(on);
    return p.segments(x0, y0, x1, y1, w, c).equal_aspect().xlabel(axes[k][0]).ylabel(axes[k][1]);
}

inline panel& dendrogram(panel& p, const multicompartment::morphology& m) {
    m.validate();
    const std::size_t n = m.sections.size();
    std::vector<std::vector<std::size_t>> children(n);
    for (std::size_t s = 1; s < n; ++s) children[static_cast<std::size_t>(m.sections[s].parent)].push_back(s);
    std::vector<double> start(n, 0.0), x(n, 0.0);
    for (std::size_t s = 1; s < n; ++s) {  // parents come first
        const auto& sec = m.sections[s];
        const auto par = static_cast<std::size_t>(sec.parent);
        start[s] = start[par] + sec.parent_x * m.sections[par].length();
    }
    double next_leaf = 0;
    // Leaves in depth-first order get consecutive positions; a parent sits at its children's mean.
    std::vector<std::size_t> order, stack{0};
    while (!stack.empty()) {
        const std::size_t s = stack.back();
        stack.pop_back();
        order.push_back(s);
        for (auto it = children[s].rbegin(); it != children[s].rend(); ++it) stack.push_back(*it);
    }
    for (auto s : order)
        if (children[s].empty()) x[s] = next_leaf++;
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        if (!children[*it].empty()) {
            double sum = 0;
            for (auto ch : children[*it]) sum += x[ch];
            x[*it] = sum / static_cast<double>(children[*it].size());
        }
    std::vector<double> x0, y0, x1, y1, w;
    std::vector<std::string> c;
    for (std::size_t s = 0; s < n; ++s) {
        const auto& sec = m.sections[s];
        x0.push_back(x[s]), y0.push_back(start[s]), x1.push_back(x[s]), y1.push_back(start[s] + sec.length());
        w.push_back(s == 0 ? 3.0 : 1.4);
        c.push_back(swc_colour(sec.type));
        if (s > 0) {  // the join to the parent
            x0.push_back(x[static_cast<std::size_t>(sec.parent)]), y0.push_back(start[s]), x1.push_back(x[s]), y1.push_back(start[s]);
            w.push_back(0.8);
            c.push_back("#999999");
        }
    }
    return p.segments(x0, y0, x1, y1, w, c).xlabel("sections (leaves in tree order)").ylabel("path distance from the root (um)");
}

/// LFP (contacts x samples) against t from t_from on, each trace drawn at its contact's depth and
/// scaled so that the largest deflection spans `spacing` (depth units).
inline panel& laminar_lfp(panel& p, std::span<const double> t, const Eigen::MatrixXd& lfp, std::span<const double> depth,
                          double t_from, double spacing, std::string unit = "mV") {
    if (static_cast<std::size_t>(lfp.cols()) != t.size() || static_cast<std::size_t>(lfp.rows()) != depth.size())
        throw config_error("plot::laminar_lfp: lfp must be (contacts x samples) = (" + std::to_string(depth.size()) + " x " +
                           std::to_string(t.size()) + ")");
    std::size_t k0 = 0;
    while (k0 < t.size() && t[k0] < t_from) ++k0;
    if (k0 >= t.size()) throw config_error("plot::laminar_lfp: no samples after t_from");
    const std::vector<double> tt(t.begin() + static_cast<std::ptrdiff_t>(k0), t.end());
    const double scale = std::max(1e-30, lfp.rightCols(static_cast<Eigen::Index>(tt.size())).cwiseAbs().maxCoeff());
    for (Eigen::Index c = 0; c < lfp.rows(); ++c) {
        std::vector<double> y(tt.size());
        for (std::size_t k = 0; k < tt.size(); ++k) y[k] = depth[static_cast<std::size_t>(c)] + spacing * lfp(c, static_cast<Eigen::Index>(k0 + k)) / scale;
        p.line(tt, y, "#1f77b4");
    }
    char s[64];
    std::snprintf(s, sizeof s, "LFP (traces scaled to %.3g %s)", scale, unit.c_str());
    return p.title(s).ylabel("depth (um)");
}

/// CSD (volumes x samples, volume 0 at depth[0], the top) from t_from on, at most 500 columns.
inline panel& laminar_csd(panel& p, std::span<const double> t, const Eigen::MatrixXd& csd, std::span<const double> depth,
                          double t_from, std::string colour_label = "nA/um^3") {
    if (static_cast<std::size_t>(csd.cols()) != t.size() || static_cast<std::size_t>(csd.rows()) != depth.size() || depth.size() < 2)
        throw config_error("plot::laminar_csd: csd must be (volumes x samples) with at least two volumes");
    std::size_t k0 = 0;
    while (k0 < t.size() && t[k0] < t_from) ++k0;
    if (k0 >= t.size()) throw config_error("plot::laminar_csd: no samples after t_from");
    const std::size_t n = t.size() - k0, stride = (n + 499) / 500, cols = (n + stride - 1) / stride;
    const Eigen::Index rows = csd.rows();
    std::vector<double> img;
    for (Eigen::Index v = rows - 1; v >= 0; --v)  // image row 0 at the bottom: the deepest volume
        for (std::size_t k = k0; k < t.size(); k += stride) img.push_back(csd(v, static_cast<Eigen::Index>(k)));
    const double h = 0.5 * std::abs(depth[0] - depth[1]);
    const double top = std::max(depth.front(), depth.back()), bottom = std::min(depth.front(), depth.back());
    return p.image(img, static_cast<std::size_t>(rows), cols, t[k0], t.back(), bottom - h, top + h, std::move(colour_label))
        .colours(colour_map::diverging)
        .title("CSD")
        .ylabel("depth (um)");
}

}  // namespace brainweave::plot
