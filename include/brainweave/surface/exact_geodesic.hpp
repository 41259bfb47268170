#pragma once
// Exact geodesic distances on a triangulated surface (polyhedral shortest paths), by window
// propagation in the manner of Chen & Han (1990) as improved by Xin & Wang (2009, "ICH"), the
// family of methods behind the `gdist` package with which TVB computes its geodesic local
// connectivity.
//
// A window is an interval [b0, b1] of a half-edge that the straight lines from one unfolded source
// point S cross without meeting a vertex: the distance there is sigma + |S - x|, where sigma is the
// geodesic distance from the source to S (0 for the source itself, else a saddle or boundary
// vertex: only there can a shortest path bend). Windows are taken from a priority queue by their
// smallest distance, unfolded into the triangle across their edge and split by the ray through the
// triangle's third vertex; the distances of vertices follow from the windows whose rays reach
// them. Three rules keep the number of windows small (about 15 per vertex within the cutoff on TVB's
// 16k cortex, 40 mm):
// - one angle, one split (Chen & Han): of the windows whose rays reach the third vertex c through
//   one edge, only the one with the shortest distance to c keeps the children on both sides of c;
//   any other keeps only the child on the side away from that window's ray (its rays on the other
//   side would cross the better window's ray to c, where the better window is shorter).
// - a window is dropped when all of it is reached more cheaply along its edge from one of the
//   edge's end points (distance of the end point + the distance along the edge; exact, because a
//   window's distance along its edge changes by at most 1 per mm).
// - a saddle lights only the triangles in the shadow of the path that reached it (see emit).
// Windows farther than the cutoff are not propagated, so all distances within a cutoff cost about
// the area within the cutoff per source.
//
// In each half-edge's frame the tail is at (0, 0), the head at (L, 0) and the third vertex of the
// half-edge's triangle at y > 0, from the edge lengths alone (the triangles' orientation in space is
// not used); a window's S is stored in the frame of its half-edge, on the y >= 0 side, and it
// propagates into the triangle on the other side.
#include <brainweave/core/error.hpp>
#include <brainweave/surface/mesh.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numbers>
#include <queue>
#include <utility>
#include <vector>

namespace brainweave::surface {

/// Reusable state for repeated exact runs on one mesh (one per thread); the same interface as
/// geodesic_solver (fast marching).
class exact_geodesic_solver {
public:
    explicit exact_geodesic_solver(const mesh& m) : m_(m) {
        m.validate();
        const auto nt = static_cast<std::size_t>(m.n_triangles()), nv = m.n_vertices();
        tri_.resize(3 * nt);
        len_.resize(3 * nt);
        twin_.assign(3 * nt, -1);
        out_.resize(nv);
        std::vector<double> angle(nv, 0.0);
        std::vector<char> boundary(nv, 0);
        std::map<std::pair<int, int>, std::vector<int>> by_edge;
        for (std::size_t t = 0; t < nt; ++t)
            for (int k = 0; k < 3; ++k) tri_[3 * t + static_cast<std::size_t>(k)] = m.triangles(static_cast<Eigen::Index>(t), k);
        for (std::size_t h = 0; h < 3 * nt; ++h) {
            const int a = tail(static_cast<int>(h)), b = head(static_cast<int>(h));
            len_[h] = (m.vertices.row(a) - m.vertices.row(b)).norm();
            if (!(len_[h] > 0))
                throw config_error("exact geodesics: surface '" + m.source + "' has an edge of zero length (vertices " +
                                   std::to_string(a) + " and " + std::to_string(b) + ")");
            by_edge[std::minmax(a, b)].push_back(static_cast<int>(h));
            out_[static_cast<std::size_t>(a)].push_back(static_cast<int>(h));
        }
        for (const auto& [e, hs] : by_edge) {
            if (hs.size() > 2)
                throw config_error("exact geodesics: surface '" + m.source + "' is not a manifold: the edge between vertices " +
                                   std::to_string(e.first) + " and " + std::to_string(e.second) + " belongs to " +
                                   std::to_string(hs.size()) + " triangles");
            if (hs.size() == 2) {
                twin_[static_cast<std::size_t>(hs[0])] = hs[1];
                twin_[static_cast<std::size_t>(hs[1])] = hs[0];
            } else {
                boundary[static_cast<std::size_t>(e.first)] = boundary[static_cast<std::size_t>(e.second)] = 1;
            }
        }
        corner_.resize(3 * nt);
        for (std::size_t h = 0; h < 3 * nt; ++h) {  // the angle of each triangle at the half-edge's tail
            const double a = len_[h], b = len_[prev(static_cast<int>(h))], c = len_[next(static_cast<int>(h))];
            corner_[h] = std::acos(std::clamp((a * a + b * b - c * c) / (2 * a * b), -1.0, 1.0));
            angle[static_cast<std::size_t>(tail(static_cast<int>(h)))] += corner_[h];
        }
        saddle_.resize(nv);
        for (std::size_t v = 0; v < nv; ++v) saddle_[v] = boundary[v] || angle[v] > 2 * std::numbers::pi + 1e-9;
        angle_ = std::move(angle);
        boundary_ = std::move(boundary);
        arrival_.resize(nv);
        dist_.assign(nv, inf);
        birth_.assign(nv, 0);
        split_dist_.assign(3 * nt, inf);
        split_x_.assign(3 * nt, 0.0);
    }

    /// Distances from `source` to every vertex within `cutoff` (mm): (vertex, distance) pairs by
    /// increasing distance (the source first, at 0).
    const std::vector<std::pair<int, double>>& from(int source, double cutoff = std::numeric_limits<double>::infinity()) {
        if (source < 0 || static_cast<std::size_t>(source) >= m_.n_vertices())
            throw config_error("exact geodesics: source vertex " + std::to_string(source) + " is not one of the " +
                               std::to_string(m_.n_vertices()) + " vertices of '" + m_.source + "'");
        reset();
        cutoff_ = cutoff;
        set_distance(source, 0.0, {});
        // The source is a pseudo-source with sigma = 0: windows on the far edges of all its
        // triangles, and its neighbours at their edge lengths.
        emit(source);
        while (true) {
            while (!windows_.empty() && stale(pool_[windows_.top().second])) windows_.pop();
            while (!events_.empty() && events_.top().birth != birth_[static_cast<std::size_t>(events_.top().vertex)]) events_.pop();
            const bool w = !windows_.empty(), e = !events_.empty();
            if (!w && !e) break;
            if (w && (!e || windows_.top().first < events_.top().dist)) {
                const window win = pool_[windows_.top().second];  // a copy: propagating adds to the pool
                windows_.pop();
                if (win.min_dist > cutoff_) break;
                if (!dominated(win)) propagate(win);
            } else {
                const event ev = events_.top();
                events_.pop();
                if (ev.dist > cutoff_) break;
                emit(ev.vertex);
            }
        }
        reached_.clear();
        for (int v : touched_vertices_)
            if (dist_[static_cast<std::size_t>(v)] <= cutoff_) reached_.emplace_back(v, dist_[static_cast<std::size_t>(v)]);
        std::ranges::sort(reached_, [](const auto& x, const auto& y) { return x.second < y.second || (x.second == y.second && x.first < y.first); });
        return reached_;
    }

    /// Windows propagated by the last run (a measure of its cost).
    std::size_t windows_propagated() const noexcept { return propagated_; }

private:
    static constexpr double inf = std::numeric_limits<double>::infinity();
    static constexpr double rel_eps = 1e-10;

    struct point {
        double x, y;
    };
    struct window {
        int h;             ///< half-edge; the window propagates into the triangle of twin(h)
        double b0, b1;     ///< interval along h from its tail (mm)
        point s;           ///< unfolded pseudo-source, in h's frame (y >= 0)
        double sigma;      ///< distance from the source to the pseudo-source
        double min_dist;   ///< smallest distance over the interval
        int pseudo, birth; ///< pseudo-source vertex and its distance's version when the window was made
    };
    /// How a vertex got its distance: the triangle beside the incoming geodesic, entered across its
    /// edge to vertex x, at angle theta from the incoming direction (tri < 0: unknown, or the source).
    struct arrival {
        int tri = -1, x = -1;
        double theta = 0.0;
    };
    struct event {
        double dist;
        int vertex, birth;
        bool operator>(const event& o) const noexcept { return dist > o.dist; }
    };

    int tail(int h) const noexcept { return tri_[static_cast<std::size_t>(h)]; }
    int head(int h) const noexcept { return tri_[static_cast<std::size_t>(next(h))]; }
    static int next(int h) noexcept { return h - h % 3 + (h % 3 + 1) % 3; }
    static int prev(int h) noexcept { return h - h % 3 + (h % 3 + 2) % 3; }
    double length(int h) const noexcept { return len_[static_cast<std::size_t>(h)]; }
    /// The third vertex of h's triangle in h's frame.
    point apex(int h) const noexcept {
        const double L = length(h), a = length(prev(h)), b = length(next(h));  // |tail c|, |head c|
        const double x = (L * L + a * a - b * b) / (2 * L);
        return {x, std::sqrt(std::max(0.0, a * a - x * x))};
    }
    static double norm(point p) noexcept { return std::sqrt(p.x * p.x + p.y * p.y); }
    static point sub(point p, point q) noexcept { return {p.x - q.x, p.y - q.y}; }
    static double dot(point p, point q) noexcept { return p.x * q.x + p.y * q.y; }
    static double cross(point p, point q) noexcept { return p.x * q.y - p.y * q.x; }

    bool stale(const window& w) const noexcept { return w.birth != birth_[static_cast<std::size_t>(w.pseudo)]; }

    void reset() {
        for (int v : touched_vertices_) dist_[static_cast<std::size_t>(v)] = inf;
        for (int h : touched_edges_) split_dist_[static_cast<std::size_t>(h)] = inf;
        touched_vertices_.clear();
        touched_edges_.clear();
        windows_ = {};
        events_ = {};
        pool_.clear();
        propagated_ = 0;
    }

    /// Lowers the distance of v to d if that is shorter; a saddle or boundary vertex then becomes a
    /// pseudo-source (its older windows go stale).
    void set_distance(int v, double d, arrival how) {
        auto& dv = dist_[static_cast<std::size_t>(v)];
        if (!(d < dv)) return;
        if (dv == inf) touched_vertices_.push_back(v);
        dv = d;
        arrival_[static_cast<std::size_t>(v)] = how;
        auto& b = birth_[static_cast<std::size_t>(v)];
        ++b;
        if (saddle_[static_cast<std::size_t>(v)] && d <= cutoff_) events_.push({d, v, b});
    }

    /// Windows from vertex v (the source, or a pseudo-source at its current distance) on the far
    /// edges of its triangles, and its neighbours along the edges. A shortest path bends at a vertex
    /// only where it leaves at an angle of at least pi on both sides of where it came in; the
    /// directions in between are reached by the straight rays passing beside v. So a saddle reached
    /// through a known direction lights only the triangles in that shadow (the source, boundary
    /// vertices and vertices reached otherwise light all of theirs).
    void emit(int v) {
        const auto vi = static_cast<std::size_t>(v);
        const double sigma = dist_[vi];
        const int birth = birth_[vi];
        auto light = [&](int hv) {  // hv leaves v; the window is on the edge opposite v
            push_window({next(hv), 0.0, length(next(hv)), apex(next(hv)), sigma, 0.0, v, birth});
        };
        for (int h0 : out_[vi]) {
            // Both neighbours in the triangle: on a boundary one edge has no half-edge out of v.
            set_distance(head(h0), sigma + length(h0), {h0 / 3, v, 0.0});
            set_distance(tail(prev(h0)), sigma + length(prev(h0)), {h0 / 3, v, 0.0});
        }
        const arrival how = arrival_[vi];
        if (how.tri < 0 || boundary_[vi]) {
            for (int h0 : out_[vi]) light(h0);
            return;
        }
        const double lo = std::numbers::pi - 1e-9, hi = angle_[vi] - std::numbers::pi + 1e-9;
        int t = how.tri, x = how.x;
        double theta = how.theta;
        for (std::size_t step = 0; step <= out_[vi].size() && theta < hi; ++step) {
            int hv = 3 * t;  // the half-edge of t leaving v
            while (tail(hv) != v) ++hv;
            if (theta + corner_[static_cast<std::size_t>(hv)] > lo) light(hv);
            theta += corner_[static_cast<std::size_t>(hv)];
            const int hy = head(hv) == x ? prev(hv) : hv;  // t's other edge at v
            const int across = twin_[static_cast<std::size_t>(hy)];
            if (across < 0) break;
            x = head(hv) == x ? tail(prev(hv)) : head(hv);
            t = across / 3;
        }
    }

    void push_window(window w) {
        const point s = w.s;
        if (s.x < w.b0)
            w.min_dist = w.sigma + norm({s.x - w.b0, s.y});
        else if (s.x > w.b1)
            w.min_dist = w.sigma + norm({s.x - w.b1, s.y});
        else
            w.min_dist = w.sigma + s.y;
        if (w.min_dist > cutoff_ || dominated(w)) return;
        windows_.emplace(w.min_dist, static_cast<std::uint32_t>(pool_.size()));
        pool_.push_back(w);
    }

    /// Whether the whole window is reached more cheaply along its edge from one of the edge's ends
    /// (checked when it is made and again when it is taken from the queue).
    bool dominated(const window& w) const noexcept {
        const double f0 = w.sigma + norm({w.s.x - w.b0, w.s.y}), f1 = w.sigma + norm({w.s.x - w.b1, w.s.y});
        return f1 > (dist_[static_cast<std::size_t>(tail(w.h))] + w.b1) * (1 + rel_eps) ||
               f0 > (dist_[static_cast<std::size_t>(head(w.h))] + length(w.h) - w.b0) * (1 + rel_eps);
    }

    /// Parameter along p -> q where the line from s through (x, 0) meets it.
    static double cross_at(point s, double x, point p, point q) noexcept {
        const double dx = x - s.x, dy = -s.y;    // ray direction
        const double ex = q.x - p.x, ey = q.y - p.y;
        const double den = dx * ey - dy * ex;
        if (den == 0) return 0.5;
        return std::clamp(((p.x - s.x) * dy - (p.y - s.y) * dx) / den, 0.0, 1.0);
    }

    /// The child on half-edge e (from p to q in the parent's unfolded triangle) lit through [x0, x1].
    void child(const window& w, point s, double x0, double x1, int e, point p, point q) {
        if (!(x1 > x0)) return;
        const double L = length(e);
        double u0 = cross_at(s, x0, p, q) * L, u1 = cross_at(s, x1, p, q) * L;
        if (u0 > u1) std::swap(u0, u1);
        if (!(u1 - u0 > 1e-12 * L)) return;
        const double ux = (q.x - p.x) / L, uy = (q.y - p.y) / L;
        const point rel{s.x - p.x, s.y - p.y};
        const point sc{rel.x * ux + rel.y * uy, std::abs(-rel.x * uy + rel.y * ux)};
        push_window({e, u0, u1, sc, w.sigma, 0.0, w.pseudo, w.birth});
    }

    void propagate(const window& w) {
        const int t = twin_[static_cast<std::size_t>(w.h)];
        if (t < 0) return;  // a boundary edge
        ++propagated_;
        const double L = length(t);
        // Into t's frame: t runs the other way along the same edge (or the same way, where the two
        // triangles' orientations disagree); the source goes to y <= 0.
        const bool reversed = tail(t) == head(w.h);
        const point s = reversed ? point{L - w.s.x, -w.s.y} : point{w.s.x, -w.s.y};
        const double a = reversed ? L - w.b1 : w.b0, b = reversed ? L - w.b0 : w.b1;
        const point c = apex(t), o{0.0, 0.0}, e{L, 0.0};
        const int cv = head(next(t));  // the third vertex
        if (!(c.y - s.y > 0)) return;  // a degenerate triangle
        const double cx = s.x + (c.x - s.x) * (-s.y) / (c.y - s.y);  // where the ray to c crosses the edge
        // A ray that grazes an end of the window (c in line with it, to round-off) still reaches c
        // through that end: a path, so an upper bound, and exact where c lies on the line.
        const double tol = 1e-9 * L;
        if (cx <= a && cx > a - tol) set_distance(cv, w.sigma + norm({a - s.x, s.y}) + norm({c.x - a, c.y}), {});
        if (cx >= b && cx < b + tol) set_distance(cv, w.sigma + norm({b - s.x, s.y}) + norm({c.x - b, c.y}), {});
        const int left = prev(t), right = next(t);  // c -> tail(t), and head(t) -> c
        bool keep_left = cx > a, keep_right = cx < b;
        if (keep_left && keep_right) {
            const double d = w.sigma + norm({c.x - s.x, c.y - s.y});
            auto& sd = split_dist_[static_cast<std::size_t>(t)];
            if (d > sd * (1 + rel_eps)) {
                // Another window reaches c through this edge more cheaply: keep the side away from its ray.
                keep_left = split_x_[static_cast<std::size_t>(t)] > cx;
                keep_right = !keep_left;
            } else {
                if (d < sd) {
                    if (sd == inf) touched_edges_.push_back(t);
                    sd = d;
                    split_x_[static_cast<std::size_t>(t)] = cx;
                }
                if (d < dist_[static_cast<std::size_t>(cv)]) {
                    // c came in from s: the triangle beside that direction across c's edge to tail(t).
                    const int beside = twin_[static_cast<std::size_t>(left)];
                    const double theta = std::abs(std::atan2(cross(sub(s, c), sub(o, c)), dot(sub(s, c), sub(o, c))));
                    set_distance(cv, d, {beside < 0 ? -1 : beside / 3, tail(t), theta});
                }
            }
        }
        if (keep_left) child(w, s, std::max(a, 0.0), std::min(b, cx), left, c, o);
        if (keep_right) child(w, s, std::max(a, cx), std::min(b, L), right, e, c);
    }

    const mesh& m_;
    std::vector<int> tri_;       ///< per half-edge 3t + k: vertex k of triangle t (its tail)
    std::vector<double> len_;    ///< per half-edge
    std::vector<int> twin_;      ///< per half-edge: the same edge in the other triangle, or -1
    std::vector<std::vector<int>> out_;  ///< per vertex: the half-edges leaving it
    std::vector<double> corner_;  ///< per half-edge: its triangle's angle at its tail
    std::vector<double> angle_;   ///< per vertex: the sum of its corners
    std::vector<char> saddle_, boundary_;  ///< per vertex: angle sum above 2 pi or on the boundary; on the boundary
    std::vector<arrival> arrival_;
    double cutoff_ = inf;
    std::vector<double> dist_;
    std::vector<int> birth_;
    std::vector<double> split_dist_, split_x_;  ///< per half-edge entered: the best distance to its triangle's third vertex, and where that ray crossed
    std::vector<int> touched_vertices_, touched_edges_;
    std::vector<window> pool_;  ///< every window of the run; the queue holds (distance, index)
    std::priority_queue<std::pair<double, std::uint32_t>, std::vector<std::pair<double, std::uint32_t>>, std::greater<>> windows_;
    std::priority_queue<event, std::vector<event>, std::greater<>> events_;
    std::vector<std::pair<int, double>> reached_;
    std::size_t propagated_ = 0;
};

}  // namespace brainweave::surface
