#pragma once
// SWC morphology reader. Each line is "id type x y z radius parent" (um; '#' starts a comment).
// The points become NEURON-style sections (multicompartment/morphology.hpp):
//  - Soma: the type-1 points. A chain of them (or the NeuroMorpho three-point soma, two chains from
//    the root) is one section following the points; a single soma point becomes a cylinder along y
//    whose length and diameter are the point's diameter (the cylinder NEURON uses for a sphere of
//    the same area). A neurite starting at a soma point attaches at that point's arc position x.
//  - Neurites: a section runs from its first point to the next branch point (two or more
//    children), leaf, or change of type; children of its last point attach at x = 1. A child
//    section whose first point is not at its parent point starts with a copy of the parent point
//    (position only, with the child's diameter), as NEURON's Import3d does, so the cable has no gap;
//    children of the soma do not (a dendrite starts at its own first point, not inside the soma).
// Errors (io_error) name the file and line.
#include <brainweave/core/error.hpp>
#include <brainweave/io/archive.hpp>
#include <brainweave/multicompartment/morphology.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace brainweave::io {

namespace detail {
struct swc_point {
    long id;
    int type;
    multicompartment::point3d p;
    long parent;
    std::size_t line;
};

inline std::string swc_section_base(int type) {
    switch (type) {
        case 1: return "soma";
        case 2: return "axon";
        case 3: return "dend";
        case 4: return "apic";
        default: return "type" + std::to_string(type);
    }
}
}  // namespace detail

/// Parses SWC text; `what` names the source in messages.
inline multicompartment::morphology parse_swc(const std::string& text, const std::string& what) {
    using multicompartment::point3d;
    using multicompartment::section;
    std::vector<detail::swc_point> pts;
    std::map<long, std::size_t> index;
    std::istringstream in(text);
    std::string line;
    std::size_t lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (auto h = line.find('#'); h != std::string::npos) line.erase(h);
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        std::istringstream f(line);
        double v[7];
        int n = 0;
        std::string tok;
        while (f >> tok) {
            if (n == 7) throw io_error(what + ", line " + std::to_string(lineno) + ": more than 7 columns (expected id type x y z radius parent)");
            try {
                std::size_t used = 0;
                v[n] = std::stod(tok, &used);
                if (used != tok.size()) throw std::invalid_argument(tok);
            } catch (const std::exception&) {
                throw io_error(what + ", line " + std::to_string(lineno) + ": '" + tok + "' is not a number");
            }
            ++n;
        }
        if (n != 7) throw io_error(what + ", line " + std::to_string(lineno) + ": expected 7 columns (id type x y z radius parent), got " + std::to_string(n));
        const std::string at = what + ", line " + std::to_string(lineno);
        constexpr double largest = 2147483647.0;  // ids, parents and types are ints in every SWC reader
        if (v[0] != std::floor(v[0]) || v[0] < 0 || v[0] > largest) throw io_error(at + ": the id must be an integer from 0 to 2^31 - 1");
        if (v[6] != std::floor(v[6]) || v[6] < -1 || v[6] > largest) throw io_error(at + ": the parent must be -1 or a point id");
        if (v[1] != std::floor(v[1]) || v[1] < 0 || v[1] > largest) throw io_error(at + ": the type must be an integer from 0 to 2^31 - 1");
        for (int k = 2; k < 6; ++k)
            if (!std::isfinite(v[k])) throw io_error(at + ": coordinates and radius must be finite");
        if (!(v[5] > 0)) throw io_error(at + ": the radius must be positive, got " + tok);
        const long id = static_cast<long>(v[0]);
        if (index.count(id)) throw io_error(at + ": point id " + std::to_string(id) + " is defined twice");
        index[id] = pts.size();
        pts.push_back({id, static_cast<int>(v[1]), {v[2], v[3], v[4], 2 * v[5]}, static_cast<long>(v[6]), lineno});
    }
    if (pts.empty()) throw io_error(what + ": no points");

    // Tree structure: parents as indices, children in file order, exactly one root.
    const std::size_t np = pts.size();
    std::vector<long> parent(np, -1);
    std::vector<std::vector<std::size_t>> children(np);
    long root = -1;
    for (std::size_t i = 0; i < np; ++i) {
        if (pts[i].parent == -1) {
            if (root >= 0)
                throw io_error(what + ", line " + std::to_string(pts[i].line) + ": a second root point (parent -1); the first is on line " +
                               std::to_string(pts[static_cast<std::size_t>(root)].line) + " (one cell per file)");
            root = static_cast<long>(i);
            continue;
        }
        auto it = index.find(pts[i].parent);
        if (it == index.end())
            throw io_error(what + ", line " + std::to_string(pts[i].line) + ": parent " + std::to_string(pts[i].parent) + " is not a point of the file");
        parent[i] = static_cast<long>(it->second);
        children[it->second].push_back(i);
    }
    if (root < 0) throw io_error(what + ": no root point (parent -1)");
    {   // every point must hang from the root (no cycles, no second tree)
        std::vector<char> seen(np, 0);
        std::vector<std::size_t> stack{static_cast<std::size_t>(root)};
        std::size_t count = 0;
        while (!stack.empty()) {
            auto i = stack.back();
            stack.pop_back();
            seen[i] = 1;
            ++count;
            for (auto c : children[i]) stack.push_back(c);
        }
        if (count != np)
            for (std::size_t i = 0; i < np; ++i)
                if (!seen[i]) throw io_error(what + ", line " + std::to_string(pts[i].line) + ": point " + std::to_string(pts[i].id) + " is not connected to the root (cycle?)");
    }

    multicompartment::morphology m;
    m.source = what;
    std::map<int, int> counts;  // per type, for names like dend[3]
    auto name_for = [&](int type) {
        const int k = counts[type]++;
        return detail::swc_section_base(type) + "[" + std::to_string(k) + "]";
    };

    // Pending section starts: (first point, parent section, x on parent, parent point or -1).
    struct start {
        std::size_t first;
        int parent_section;
        double x;
        long parent_point;
    };
    std::vector<start> todo;
    const auto r = static_cast<std::size_t>(root);
    if (pts[r].type == 1) {
        // Soma polyline: root plus type-1 chains hanging from it (at most two: the 3-point convention).
        auto chain = [&](std::size_t from) {
            std::vector<std::size_t> c{from};
            for (;;) {
                std::vector<std::size_t> soma_kids;
                for (auto k : children[c.back()])
                    if (pts[k].type == 1) soma_kids.push_back(k);
                if (soma_kids.empty()) return c;
                if (soma_kids.size() > 1)
                    throw io_error(what + ", line " + std::to_string(pts[c.back()].line) + ": the soma branches; brainweave reads a soma given as one point, a chain of points, or the three-point convention");
                c.push_back(soma_kids[0]);
            }
        };
        std::vector<std::size_t> kids;
        for (auto k : children[r])
            if (pts[k].type == 1) kids.push_back(k);
        if (kids.size() > 2)
            throw io_error(what + ", line " + std::to_string(pts[r].line) + ": the soma root has more than two soma children");
        std::vector<std::size_t> poly;
        if (kids.size() == 2) {
            auto a = chain(kids[0]);
            std::reverse(a.begin(), a.end());
            poly = a;
            poly.push_back(r);
            auto b = chain(kids[1]);
            poly.insert(poly.end(), b.begin(), b.end());
        } else if (kids.size() == 1) {
            poly = chain(r);
        } else {
            poly = {r};
        }
        section soma{"soma", 1, {}, -1, 1.0};
        std::vector<double> arc_of(poly.size(), 0.5);
        if (poly.size() == 1) {
            const point3d& p = pts[r].p;
            soma.points = {{p.x, p.y - p.diam / 2, p.z, p.diam}, {p.x, p.y + p.diam / 2, p.z, p.diam}};
        } else {
            for (auto i : poly) soma.points.push_back(pts[i].p);
            const double L = soma.length();
            if (!(L > 0)) throw io_error(what + ": the soma points all lie at one place");
            for (std::size_t k = 0; k < poly.size(); ++k) arc_of[k] = soma.arc(k) / L;
        }
        m.sections.push_back(std::move(soma));
        for (std::size_t k = 0; k < poly.size(); ++k)
            for (auto c : children[poly[k]])
                if (pts[c].type != 1) todo.push_back({c, 0, arc_of[k], -1});
    } else {
        todo.push_back({r, -1, 1.0, -1});
    }

    // Neurite sections, depth first so that parents precede children.
    std::reverse(todo.begin(), todo.end());
    while (!todo.empty()) {
        start s = todo.back();
        todo.pop_back();
        section sec{"", pts[s.first].type, {}, s.parent_section, s.x};
        if (s.parent_point >= 0) {
            const point3d& pp = pts[static_cast<std::size_t>(s.parent_point)].p;
            const point3d& f = pts[s.first].p;
            if (section::distance(pp, f) > 1e-9) sec.points.push_back({pp.x, pp.y, pp.z, f.diam});
        }
        std::size_t cur = s.first;
        sec.points.push_back(pts[cur].p);
        while (children[cur].size() == 1 && pts[children[cur][0]].type == pts[cur].type) {
            cur = children[cur][0];
            sec.points.push_back(pts[cur].p);
        }
        int here = s.parent_section;
        if (sec.points.size() >= 2 && sec.length() > 0) {
            sec.name = name_for(sec.type);
            m.sections.push_back(std::move(sec));
            here = static_cast<int>(m.sections.size()) - 1;
        } else if (here < 0) {
            throw io_error(what + ": the root section has no length");
        }
        // A degenerate (zero-length) section passes its children to its parent at the same x.
        const double x = here == s.parent_section ? s.x : 1.0;
        const auto& kids = children[cur];
        for (auto it = kids.rbegin(); it != kids.rend(); ++it) todo.push_back({*it, here, x, static_cast<long>(cur)});
    }
    m.validate();
    return m;
}

/// Reads an SWC file (see parse_swc), also gzip- or bzip2-compressed (`.swc.gz`, `.swc.bz2`).
inline multicompartment::morphology read_swc(const std::filesystem::path& path) {
    const std::string what = "SWC file '" + path.string() + "'";
    return parse_swc(decompress_by_name(read_file(path), path.filename().string(), what).first, what);
}

}  // namespace brainweave::io
