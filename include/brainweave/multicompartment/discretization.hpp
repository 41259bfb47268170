#pragma once
// NEURON's spatial discretization of a morphology into segments and its node graph.
//
// - nseg per section by the d_lambda rule: nseg = int((L / (d_lambda * lambda_f(f)) + 0.9) / 2) * 2 + 1,
//   with lambda_f the AC length constant at frequency f computed over the 3-D points as NEURON's
//   stdlib does (defaults d_lambda = 0.1, f = 100 Hz, as LFPy and hybridLFPy use).
// - Segment area, diameter and axial resistance are integrated over the 3-D polyline as NEURON does
//   (treeset.cpp): the diameter is linear between points, the area is the sum of frustum lateral
//   areas (taper included), and the resistance of each half segment is 4 Ra / pi * sum dx / (d1 d2).
// - The node graph: one node per segment centre plus a zero-area node at the 1-end of every section
//   and at the 0-end of the root. A child's first centre hangs from the parent's node at its
//   connection x (the 0-end or 1-end node, or the centre of the segment containing x); the axial
//   resistance to the parent node is the left half of the segment (plus the right half of the
//   previous segment between centres). Nodes are numbered so that parents precede children.
// - Segment geometry as LFPy reports it: start and end points interpolated along the polyline at
//   the segment boundaries, diameter the segment's mean diameter.
#include <brainweave/core/error.hpp>
#include <brainweave/multicompartment/morphology.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace brainweave::multicompartment {

/// Passive membrane and cytoplasm (NEURON's units).
struct passive_properties {
    double Ra_ohm_cm = 150.0;       ///< axial resistivity
    double cm_uF_per_cm2 = 1.0;     ///< specific membrane capacitance
    double rm_ohm_cm2 = 20000.0;    ///< specific membrane resistance (g_pas = 1 / rm)
    double e_pas_mV = 0.0;          ///< leak reversal potential
    double v_init_mV = 0.0;         ///< initial membrane potential

    void validate(const std::string& where = "passive properties") const {
        if (!(Ra_ohm_cm > 0) || !std::isfinite(Ra_ohm_cm)) throw config_error(where + ": Ra must be positive (ohm cm)");
        if (!(cm_uF_per_cm2 > 0) || !std::isfinite(cm_uF_per_cm2)) throw config_error(where + ": cm must be positive (uF/cm2)");
        if (!(rm_ohm_cm2 > 0) || !std::isfinite(rm_ohm_cm2)) throw config_error(where + ": rm must be positive (ohm cm2)");
        if (!std::isfinite(e_pas_mV) || !std::isfinite(v_init_mV)) throw config_error(where + ": e_pas and v_init must be finite (mV)");
    }
};

/// The d_lambda rule's settings.
struct lambda_rule {
    double frequency_hz = 100.0;
    double d_lambda = 0.1;
};

/// NEURON's lambda_f(f) of a section (um), over its 3-D points.
inline double lambda_f(const section& s, double Ra, double cm, double frequency_hz) {
    double lam = 0;
    for (std::size_t i = 1; i < s.points.size(); ++i)
        lam += section::distance(s.points[i - 1], s.points[i]) / std::sqrt(s.points[i - 1].diam + s.points[i].diam);
    lam *= std::sqrt(2.0) * 1e-5 * std::sqrt(4 * std::numbers::pi * frequency_hz * Ra * cm);
    return s.length() / lam;
}

/// Number of segments of a section by the d_lambda rule (always odd).
inline int nseg_by_lambda_rule(const section& s, double Ra, double cm, lambda_rule rule = {}) {
    const double n = s.length() / (rule.d_lambda * lambda_f(s, Ra, cm, rule.frequency_hz));
    return static_cast<int>((n + 0.9) / 2) * 2 + 1;
}

/// The node graph that the cable solver integrates (NEURON's tree of nodes).
struct node_graph {
    std::vector<int> parent;      ///< parent node, -1 for the root; parent[i] < i
    std::vector<double> ri;       ///< axial resistance to the parent node (MOhm); unused for the root
    std::vector<double> area;     ///< membrane area (um^2), 0 for section-end nodes
    std::vector<int> segment;     ///< segment index of a centre node, -1 for an end node

    std::size_t size() const { return parent.size(); }
    std::size_t segments() const {
        return static_cast<std::size_t>(std::count_if(segment.begin(), segment.end(), [](int s) { return s >= 0; }));
    }

    /// Throws config_error naming the node if the graph is malformed.
    void validate(const std::string& where = "node graph") const {
        const std::size_t n = parent.size();
        if (n == 0) throw config_error(where + ": no nodes");
        if (ri.size() != n || area.size() != n || segment.size() != n)
            throw config_error(where + ": parent, ri, area and segment must have the same length (" + std::to_string(n) + ")");
        std::vector<char> seen(segments(), 0);
        for (std::size_t i = 0; i < n; ++i) {
            const std::string at = where + ", node " + std::to_string(i);
            if (i == 0 && parent[0] != -1) throw config_error(at + ": node 0 must be the root (parent -1)");
            if (i > 0 && (parent[i] < 0 || parent[i] >= static_cast<int>(i)))
                throw config_error(at + ": parent " + std::to_string(parent[i]) + " must be an earlier node");
            if (i > 0 && (!(ri[i] > 0) || !std::isfinite(ri[i]))) throw config_error(at + ": ri must be positive and finite (MOhm)");
            if (!(area[i] >= 0) || !std::isfinite(area[i])) throw config_error(at + ": area must be non-negative (um^2)");
            if (segment[i] >= 0) {
                if (static_cast<std::size_t>(segment[i]) >= seen.size() || seen[static_cast<std::size_t>(segment[i])])
                    throw config_error(at + ": segment indices must be 0..n_segments-1, each once");
                seen[static_cast<std::size_t>(segment[i])] = 1;
                if (!(area[i] > 0)) throw config_error(at + ": a segment node needs a positive area");
            } else if (area[i] != 0) {
                throw config_error(at + ": an end node (segment -1) must have zero area");
            }
        }
    }
};

/// Geometry of the segments (um): what the extracellular forward models need.
struct segment_geometry {
    std::vector<std::array<double, 3>> start, end;
    std::vector<double> diam;

    std::size_t size() const { return diam.size(); }
    std::array<double, 3> mid(std::size_t i) const {
        return {(start[i][0] + end[i][0]) / 2, (start[i][1] + end[i][1]) / 2, (start[i][2] + end[i][2]) / 2};
    }
    double length(std::size_t i) const {
        const double dx = end[i][0] - start[i][0], dy = end[i][1] - start[i][1], dz = end[i][2] - start[i][2];
        return std::sqrt(dx * dx + dy * dy + dz * dz);
    }
    void validate(const std::string& where = "segment geometry") const {
        if (start.size() != diam.size() || end.size() != diam.size())
            throw config_error(where + ": start, end and diam must have the same number of segments");
        for (std::size_t i = 0; i < diam.size(); ++i) {
            if (!(diam[i] > 0) || !std::isfinite(diam[i])) throw config_error(where + ", segment " + std::to_string(i) + ": diameter must be positive");
            for (int k = 0; k < 3; ++k)
                if (!std::isfinite(start[i][k]) || !std::isfinite(end[i][k]))
                    throw config_error(where + ", segment " + std::to_string(i) + ": coordinates must be finite");
        }
    }
};

/// A discretized cell: node graph, segment geometry and per-segment bookkeeping.
struct discretized_cell {
    node_graph nodes;
    segment_geometry geometry;
    std::vector<double> segment_area;   ///< um^2
    std::vector<int> segment_section;   ///< section of each segment
    std::vector<double> segment_x;      ///< position of the segment centre on its section
    std::vector<int> nseg;              ///< segments per section
};

namespace detail {
// Integrates diameter, area and axial resistance over [a, b] of a section's arc (NEURON's
// trapezoidal rule over the pieces of the polyline, diameter linear between points).
struct half_segment {
    double area = 0, ri_sum = 0, diam_integral = 0;
};

inline half_segment integrate_piece(const section& s, const std::vector<double>& arc, double a, double b) {
    half_segment h;
    auto diam_at = [&](double x) {
        if (x <= arc.front()) return s.points.front().diam;
        if (x >= arc.back()) return s.points.back().diam;
        auto it = std::upper_bound(arc.begin(), arc.end(), x);
        const std::size_t j = static_cast<std::size_t>(it - arc.begin());
        const double span = arc[j] - arc[j - 1];
        const double f = span > 0 ? (x - arc[j - 1]) / span : 1.0;
        return (1 - f) * s.points[j - 1].diam + f * s.points[j].diam;
    };
    // Breakpoints: a, every 3-D point strictly inside (a, b), b. Points at the same arc position
    // (a diameter step) contribute the annulus between them, as in NEURON.
    double x1 = a, d1 = diam_at(a);
    auto add = [&](double x2, double d2) {
        double delta = x2 - x1;
        h.diam_integral += (d1 + d2) * delta;
        const double dr = 0.5 * (d2 - d1);
        h.area += (d1 + d2) * std::sqrt(delta * delta + dr * dr);
        if (delta < 1e-15) delta = 1e-15;
        double t = d1 * d2 / delta;
        if (t == 0) t = 1e-15;
        h.ri_sum += 1 / t;
        x1 = x2;
        d1 = d2;
    };
    for (std::size_t j = 0; j < arc.size(); ++j)
        if (arc[j] > a && arc[j] < b) add(arc[j], s.points[j].diam);
    add(b, diam_at(b));
    return h;
}

inline std::array<double, 3> position_at(const section& s, const std::vector<double>& arc, double x) {
    const auto& p = s.points;
    if (x <= arc.front()) return {p.front().x, p.front().y, p.front().z};
    if (x >= arc.back()) return {p.back().x, p.back().y, p.back().z};
    auto it = std::upper_bound(arc.begin(), arc.end(), x);
    const std::size_t j = static_cast<std::size_t>(it - arc.begin());
    const double span = arc[j] - arc[j - 1];
    const double f = span > 0 ? (x - arc[j - 1]) / span : 1.0;
    return {(1 - f) * p[j - 1].x + f * p[j].x, (1 - f) * p[j - 1].y + f * p[j].y, (1 - f) * p[j - 1].z + f * p[j].z};
}
}  // namespace detail

/// Discretizes a morphology as NEURON does. `nseg` per section may be given (one entry per
/// section); otherwise the d_lambda rule decides.
inline discretized_cell discretize(const morphology& m, const passive_properties& props, lambda_rule rule = {},
                                   std::vector<int> nseg = {}) {
    m.validate();
    props.validate();
    const std::size_t ns = m.sections.size();
    if (nseg.empty()) {
        for (const section& s : m.sections) nseg.push_back(nseg_by_lambda_rule(s, props.Ra_ohm_cm, props.cm_uF_per_cm2, rule));
    } else if (nseg.size() != ns) {
        throw config_error("discretize: nseg has " + std::to_string(nseg.size()) + " entries for " + std::to_string(ns) + " sections");
    }
    for (std::size_t s = 0; s < ns; ++s)
        if (nseg[s] < 1) throw config_error("discretize: section '" + m.sections[s].name + "' needs nseg >= 1");

    discretized_cell c;
    c.nseg = nseg;
    node_graph& g = c.nodes;
    auto add_node = [&](int parent, double ri, double area, int seg) {
        g.parent.push_back(parent);
        g.ri.push_back(ri);
        g.area.push_back(area);
        g.segment.push_back(seg);
        return static_cast<int>(g.parent.size()) - 1;
    };
    std::vector<int> zero_end(ns, -1), one_end(ns, -1), first_centre(ns, -1);
    const double ra_factor = props.Ra_ohm_cm / std::numbers::pi * 4.0 * 0.01;  // -> MOhm
    int segment_count = 0;
    for (std::size_t s = 0; s < ns; ++s) {
        const section& sec = m.sections[s];
        std::vector<double> arc(sec.points.size(), 0.0);
        for (std::size_t i = 1; i < arc.size(); ++i) arc[i] = arc[i - 1] + section::distance(sec.points[i - 1], sec.points[i]);
        const double L = arc.back();
        const int n = nseg[s];
        const double ds = L / n;
        // Node this section's 0-end hangs from.
        int attach;
        if (sec.parent < 0) {
            attach = add_node(-1, 0.0, 0.0, -1);
            zero_end[s] = attach;
        } else {
            const auto p = static_cast<std::size_t>(sec.parent);
            if (sec.parent_x <= 0) attach = zero_end[p];
            else if (sec.parent_x >= 1) attach = one_end[p];
            else attach = first_centre[p] + std::min(static_cast<int>(sec.parent_x * nseg[p]), nseg[p] - 1);
            zero_end[s] = attach;
        }
        double r_right = 0;
        int prev = attach;
        for (int j = 0; j < n; ++j) {
            const double a = j * ds, mid = (j + 0.5) * ds, b = (j + 1) * ds;
            const auto left = detail::integrate_piece(sec, arc, a, mid);
            const auto right = detail::integrate_piece(sec, arc, mid, b);
            const double area = (left.area + right.area) * 0.5 * std::numbers::pi;
            const double r_left = left.ri_sum * ra_factor;
            const int node = add_node(prev, r_right + r_left, area, segment_count++);
            if (j == 0) first_centre[s] = node;
            r_right = right.ri_sum * ra_factor;
            prev = node;
            c.segment_area.push_back(area);
            c.segment_section.push_back(static_cast<int>(s));
            c.segment_x.push_back((j + 0.5) / n);
            c.geometry.start.push_back(detail::position_at(sec, arc, a));
            c.geometry.end.push_back(detail::position_at(sec, arc, b));
            c.geometry.diam.push_back((left.diam_integral + right.diam_integral) * 0.5 / ds);
        }
        one_end[s] = add_node(prev, r_right, 0.0, -1);
    }
    return c;
}

}  // namespace brainweave::multicompartment
