#pragma once
// A neuron's morphology as NEURON sees it: a tree of unbranched sections, each a polyline of 3-D
// points with diameters (NEURON's pt3d list), connected to a position x in [0, 1] of its parent.
// Built from an SWC file (io/swc.hpp) or by hand (e.g. ball_and_stick()). Lengths in um.
#include <brainweave/core/error.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace brainweave::multicompartment {

/// One 3-D point of a section: position and diameter (um).
struct point3d {
    double x = 0, y = 0, z = 0, diam = 0;
};

/// SWC structure identifiers (the "type" column).
enum class structure : int { undefined = 0, soma = 1, axon = 2, basal_dendrite = 3, apical_dendrite = 4 };

/// An unbranched cable. `parent` is the index of the parent section (-1 for the root) and
/// `parent_x` where on the parent the section's 0-end attaches (NEURON's connect child(0), parent(x)).
struct section {
    std::string name;
    int type = 0;  ///< SWC type of the section's points (1 soma, 2 axon, 3 dendrite, 4 apical, ...)
    std::vector<point3d> points;
    int parent = -1;
    double parent_x = 1.0;

    /// Arc length of the polyline (NEURON's L for a section defined by 3-D points).
    double length() const {
        double l = 0;
        for (std::size_t i = 1; i < points.size(); ++i) l += distance(points[i - 1], points[i]);
        return l;
    }
    /// Arc length from the first point to point i.
    double arc(std::size_t i) const {
        double l = 0;
        for (std::size_t k = 1; k <= i && k < points.size(); ++k) l += distance(points[k - 1], points[k]);
        return l;
    }
    static double distance(const point3d& a, const point3d& b) {
        return std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y) + (b.z - a.z) * (b.z - a.z));
    }
};

/// A tree of sections. Invariant (checked by validate()): section 0 is the only root and every
/// parent comes before its children, so one pass in index order visits parents first.
struct morphology {
    std::vector<section> sections;
    std::string source;  ///< where it came from (file name), for messages

    /// Throws config_error naming the section if the tree is malformed.
    void validate() const {
        const std::string where = source.empty() ? std::string("morphology") : "morphology '" + source + "'";
        if (sections.empty()) throw config_error(where + ": no sections");
        for (std::size_t s = 0; s < sections.size(); ++s) {
            const section& sec = sections[s];
            const std::string what = where + ", section " + std::to_string(s) + " '" + sec.name + "'";
            if (sec.points.size() < 2) throw config_error(what + ": needs at least 2 points, has " + std::to_string(sec.points.size()));
            for (const point3d& p : sec.points)
                if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z) || !(p.diam > 0) || !std::isfinite(p.diam))
                    throw config_error(what + ": every point needs finite coordinates and a positive diameter");
            if (!(sec.length() > 0)) throw config_error(what + ": has zero length");
            if (s == 0 && sec.parent != -1) throw config_error(what + ": the first section must be the root (parent -1)");
            if (s > 0 && (sec.parent < 0 || sec.parent >= static_cast<int>(s)))
                throw config_error(what + ": parent " + std::to_string(sec.parent) + " must be an earlier section");
            if (!(sec.parent_x >= 0 && sec.parent_x <= 1)) throw config_error(what + ": parent_x must lie in [0, 1]");
        }
    }
};

/// A ball-and-stick cell along z: a soma cylinder of the given length and diameter centred at the
/// origin and a dendrite attached to its 1-end (all in um).
inline morphology ball_and_stick(double soma_length = 20, double soma_diam = 20, double dend_length = 600,
                                 double dend_diam = 2) {
    morphology m;
    m.source = "ball_and_stick";
    m.sections.push_back({"soma", 1, {{0, 0, -soma_length / 2, soma_diam}, {0, 0, soma_length / 2, soma_diam}}, -1, 1.0});
    m.sections.push_back({"dend", 3,
                          {{0, 0, soma_length / 2, dend_diam}, {0, 0, soma_length / 2 + dend_length, dend_diam}}, 0, 1.0});
    m.validate();
    return m;
}

}  // namespace brainweave::multicompartment
