#pragma once
// Figures as SVG files, without dependencies: a figure holds panels stacked vertically; a panel
// has axes with ticks at "nice" numbers, labels, a title, a legend, and any number of
// - lines   (x, y, colour, label),
// - marks   (x, y, colour): short vertical strokes, one per point (spike rasters),
// - points  (x, y, colour or a value per point): circles (scatter plots),
// - images  (a matrix drawn as coloured cells over an x/y extent; NaN cells drawn as a background
//           pattern, e.g. absent connections),
// - hexagons (centres and values: hexagonal 2-D histograms),
// - segments (from, to, width in pixels, colour: morphologies),
// - triangles (three corners and a value each, drawn in the order given: projected meshes).
// Values are coloured with viridis or a diverging blue-white-red map (symmetric about 0), on one
// scale per panel that a colour bar shows.
// Every call returns the object so the caller can go on adjusting it before `save`.
//
//   bw::plot::figure fig(900, 600);
//   auto& p = fig.add_panel(2.0).title("Raster").xlabel("time (ms)").ylabel("neuron");
//   p.marks(t, i, "#1f77b4", "E");
//   fig.save("raster.svg");
#include <brainweave/core/error.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace brainweave::plot {

/// Colours of successive series (matplotlib's tab10).
inline const char* palette(std::size_t k) noexcept {
    static constexpr std::array<const char*, 10> c{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                                   "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    return c[k % c.size()];
}

/// Viridis, from 0 to 1 (piecewise linear through 9 anchors).
inline std::string viridis(double u) {
    static constexpr std::array<std::array<double, 3>, 9> a{{{68, 1, 84}, {71, 44, 122}, {59, 81, 139},
                                                             {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                                                             {92, 200, 99}, {170, 220, 50}, {253, 231, 37}}};
    u = std::isfinite(u) ? std::clamp(u, 0.0, 1.0) * 8.0 : 0.0;
    const auto k = std::min<std::size_t>(7, static_cast<std::size_t>(u));
    const double f = u - static_cast<double>(k);
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(a[k][0] + f * (a[k + 1][0] - a[k][0])),
                  static_cast<int>(a[k][1] + f * (a[k + 1][1] - a[k][1])), static_cast<int>(a[k][2] + f * (a[k + 1][2] - a[k][2])));
    return buf;
}

/// About n tick positions at 1, 2 or 5 times a power of ten covering [lo, hi].
inline std::vector<double> nice_ticks(double lo, double hi, int n = 5) {
    if (!(hi > lo)) return {lo};
    const double raw = (hi - lo) / n, mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    std::vector<double> t;
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) t.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return t;
}

/// Blue-white-red, from -1 to 1 (0 white).
inline std::string diverging(double u) {
    u = std::isfinite(u) ? std::clamp(u, -1.0, 1.0) : 0.0;
    const double a = std::abs(u);
    const int r = u < 0 ? static_cast<int>(255 - a * (255 - 33)) : 255;
    const int g = static_cast<int>(255 - a * (255 - (u < 0 ? 102 : 40)));
    const int b = u < 0 ? 255 : static_cast<int>(255 - a * (255 - 40));
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
    return buf;
}

enum class colour_map { viridis, diverging };
/// How image cells without a value (NaN) are drawn.
enum class background { white, grey, hatched };

inline std::string escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '<') o += "&lt;";
        else if (c == '>') o += "&gt;";
        else if (c == '&') o += "&amp;";
        else if (c == '"') o += "&quot;";
        else o += c;
    }
    return o;
}

class panel {
public:
    panel& title(std::string t) { title_ = std::move(t); return *this; }
    panel& xlabel(std::string t) { xlabel_ = std::move(t); return *this; }
    panel& ylabel(std::string t) { ylabel_ = std::move(t); return *this; }
    panel& xlim(double lo, double hi) { x_ = {lo, hi, true}; return *this; }
    panel& ylim(double lo, double hi) { y_ = {lo, hi, true}; return *this; }
    /// Labels on the y axis at given positions instead of numbers (e.g. population or region names).
    panel& yticks(std::vector<double> at, std::vector<std::string> labels) {
        if (at.size() != labels.size()) throw config_error("plot: yticks needs one label per position");
        ytick_at_ = std::move(at);
        ytick_labels_ = std::move(labels);
        return *this;
    }

    /// Labels on the x axis at given positions (rotated by 60 degrees if `rotate`).
    panel& xticks(std::vector<double> at, std::vector<std::string> labels, bool rotate = false) {
        if (at.size() != labels.size()) throw config_error("plot: xticks needs one label per position");
        xtick_at_ = std::move(at);
        xtick_labels_ = std::move(labels);
        rotate_x_ = rotate;
        return *this;
    }
    /// Same scale on both axes (morphologies).
    panel& equal_aspect(bool on = true) { equal_ = on; return *this; }
    panel& colours(colour_map m) { map_ = m; return *this; }
    /// Fixes the colour scale (default: the range of the values drawn; symmetric for diverging).
    panel& clim(double lo, double hi) { clim_ = {lo, hi, true}; return *this; }
    panel& missing(background b) { missing_ = b; return *this; }
    /// Shows or hides the colour bar of colour-mapped elements.
    panel& colour_bar(bool on) { colour_bar_ = on; return *this; }

    panel& line(std::span<const double> x, std::span<const double> y, std::string colour = "", std::string label = "",
                double width = 1.2) {
        check(x, y, "line");
        lines_.push_back({{x.begin(), x.end()}, {y.begin(), y.end()}, pick(colour), std::move(label), width});
        return *this;
    }
    panel& marks(std::span<const double> x, std::span<const double> y, std::string colour = "", std::string label = "") {
        check(x, y, "marks");
        marks_.push_back({{x.begin(), x.end()}, {y.begin(), y.end()}, pick(colour), std::move(label), 1.0});
        return *this;
    }
    /// Circles of one colour.
    panel& points(std::span<const double> x, std::span<const double> y, std::string colour = "", double radius = 2.5,
                  std::string label = "") {
        check(x, y, "points");
        points_.push_back({{x.begin(), x.end()}, {y.begin(), y.end()}, {}, pick(colour), std::move(label), radius});
        return *this;
    }
    /// Circles coloured by a value each (on the panel's colour scale).
    panel& points(std::span<const double> x, std::span<const double> y, std::span<const double> values, double radius,
                  std::string colour_label) {
        check(x, y, "points");
        if (values.size() != x.size()) throw config_error("plot: points needs one value per point");
        points_.push_back({{x.begin(), x.end()}, {y.begin(), y.end()}, {values.begin(), values.end()}, "", "", radius});
        if (!colour_label.empty()) colour_label_ = std::move(colour_label);
        return *this;
    }
    /// Pointy-top hexagons centred at (cx, cy): half-width rx (centre to a vertical side, x data
    /// units) and circumradius ry (centre to the top vertex, y data units). A grid of them tiles
    /// with centres 2 rx apart in a row and rows 1.5 ry apart, odd rows shifted by rx.
    panel& hexagons(std::span<const double> cx, std::span<const double> cy, std::span<const double> values, double rx, double ry,
                    std::string colour_label = "") {
        check(cx, cy, "hexagons");
        if (values.size() != cx.size()) throw config_error("plot: hexagons needs one value per hexagon");
        hex_.x.assign(cx.begin(), cx.end());
        hex_.y.assign(cy.begin(), cy.end());
        hex_.v.assign(values.begin(), values.end());
        hex_.rx = rx;
        hex_.ry = ry;
        if (!colour_label.empty()) colour_label_ = std::move(colour_label);
        return *this;
    }
    /// Line segments (x0, y0) -> (x1, y1), `width` in pixels, one colour per segment.
    panel& segments(std::span<const double> x0, std::span<const double> y0, std::span<const double> x1, std::span<const double> y1,
                    std::span<const double> width, std::span<const std::string> colour) {
        if (y0.size() != x0.size() || x1.size() != x0.size() || y1.size() != x0.size() || width.size() != x0.size() ||
            colour.size() != x0.size())
            throw config_error("plot: segments needs as many x0, y0, x1, y1, widths and colours");
        for (std::size_t k = 0; k < x0.size(); ++k) segments_.push_back({x0[k], y0[k], x1[k], y1[k], width[k], colour[k]});
        return *this;
    }
    /// Filled triangles, drawn in the order given (later ones cover earlier ones): corners
    /// xy[6k .. 6k + 5] = (x0, y0, x1, y1, x2, y2) and a value each on the panel's colour scale.
    panel& triangles(std::span<const double> xy, std::span<const double> values, std::string colour_label = "") {
        if (xy.size() != 6 * values.size())
            throw config_error("plot: triangles needs 6 coordinates per value (" + std::to_string(xy.size()) + " for " +
                               std::to_string(values.size()) + " values)");
        tri_.xy.insert(tri_.xy.end(), xy.begin(), xy.end());
        tri_.v.insert(tri_.v.end(), values.begin(), values.end());
        if (!colour_label.empty()) colour_label_ = std::move(colour_label);
        return *this;
    }
    /// A rows x cols matrix (row-major) drawn over [x0, x1] x [y0, y1], row 0 at y0 (bottom).
    panel& image(std::span<const double> values, std::size_t rows, std::size_t cols, double x0, double x1, double y0,
                 double y1, std::string colour_label = "") {
        if (values.size() != rows * cols) throw config_error("plot: image needs rows * cols values");
        image_ = {{values.begin(), values.end()}, rows, cols, x0, x1, y0, y1};
        if (!colour_label.empty()) colour_label_ = std::move(colour_label);
        has_image_ = true;
        return *this;
    }

    /// Numbers of marks, points, hexagons and segments drawn (for tests).
    std::size_t n_marks() const noexcept {
        std::size_t n = 0;
        for (const auto& m : marks_) n += m.x.size();
        return n;
    }
    std::size_t n_points() const noexcept {
        std::size_t n = 0;
        for (const auto& m : points_) n += m.x.size();
        return n;
    }
    std::size_t n_hexagons() const noexcept { return hex_.x.size(); }
    std::size_t n_triangles() const noexcept { return tri_.v.size(); }
    std::size_t n_segments() const noexcept { return segments_.size(); }
    bool has_image() const noexcept { return has_image_; }
    const std::string& title_text() const noexcept { return title_; }

private:
    friend class figure;
    struct series {
        std::vector<double> x, y;
        std::string colour, label;
        double width;
    };
    struct range {
        double lo = 0, hi = 1;
        bool fixed = false;
    };
    struct img {
        std::vector<double> v;
        std::size_t rows = 0, cols = 0;
        double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    };
    struct dots {
        std::vector<double> x, y, v;  // v empty: one colour
        std::string colour, label;
        double radius;
    };
    struct hexes {
        std::vector<double> x, y, v;
        double rx = 0, ry = 0;
    };
    struct segment {
        double x0, y0, x1, y1, width;
        std::string colour;
    };
    struct tris {
        std::vector<double> xy, v;
    };

    static void check(std::span<const double> x, std::span<const double> y, const char* what) {
        if (x.size() != y.size())
            throw config_error(std::string("plot: ") + what + " needs as many x as y values (" + std::to_string(x.size()) +
                               " vs " + std::to_string(y.size()) + ")");
    }
    std::string pick(std::string c) { return c.empty() ? palette(lines_.size() + marks_.size() + points_.size()) : c; }
    bool coloured() const { return has_image_ || !hex_.x.empty() || !tri_.v.empty() || std::ranges::any_of(points_, [](const dots& d) { return !d.v.empty(); }); }
    /// The colour scale: clim, else the range of every coloured value (symmetric if diverging).
    range colour_range() const {
        if (clim_.fixed) return clim_;
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        auto take = [&](const std::vector<double>& v) {
            for (double x : v)
                if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
        };
        if (has_image_) take(image_.v);
        take(hex_.v);
        take(tri_.v);
        for (const auto& d : points_) take(d.v);
        if (!(hi >= lo)) return {0, 1, false};
        if (map_ == colour_map::diverging) {
            const double m = std::max({std::abs(lo), std::abs(hi), 1e-300});
            return {-m, m, false};
        }
        if (hi == lo) return {lo, lo + 1, false};
        return {lo, hi, false};
    }
    std::string colour_of(double v, const range& c) const {
        if (map_ == colour_map::diverging) return diverging(v / c.hi);
        return viridis((v - c.lo) / (c.hi - c.lo));
    }

    range data_range(bool xaxis) const {
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        auto take = [&](double v) {
            if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
        };
        for (const auto* set : {&lines_, &marks_})
            for (const auto& s : *set)
                for (double v : xaxis ? s.x : s.y) take(v);
        for (const auto& s : points_)
            for (double v : xaxis ? s.x : s.y) take(v);
        for (std::size_t k = 0; k < hex_.x.size(); ++k) {
            const double c = xaxis ? hex_.x[k] : hex_.y[k], r = xaxis ? hex_.rx : hex_.ry;
            take(c - r);
            take(c + r);
        }
        for (const auto& g : segments_) {
            take(xaxis ? g.x0 : g.y0);
            take(xaxis ? g.x1 : g.y1);
        }
        for (std::size_t k = xaxis ? 0 : 1; k < tri_.xy.size(); k += 2) take(tri_.xy[k]);
        if (has_image_) {
            take(xaxis ? image_.x0 : image_.y0);
            take(xaxis ? image_.x1 : image_.y1);
        }
        if (!(hi >= lo)) return {0, 1, false};
        if (hi == lo) return {lo - 0.5, hi + 0.5, false};
        if (!xaxis && !has_image_ && hex_.x.empty() && tri_.v.empty()) {
            const double pad = 0.05 * (hi - lo);
            return {lo - pad, hi + pad, false};
        }
        return {lo, hi, false};
    }

    void render(std::ostringstream& o, double left, double top, double w, double h) const {
        range xr = x_.fixed ? x_ : data_range(true), yr = y_.fixed ? y_ : data_range(false);
        if (equal_) {  // widen the range that has fewer data units per pixel
            const double sx = (xr.hi - xr.lo) / w, sy = (yr.hi - yr.lo) / h;
            if (sx > sy) {
                const double c = 0.5 * (yr.lo + yr.hi);
                yr.lo = c - 0.5 * sx * h;
                yr.hi = c + 0.5 * sx * h;
            } else {
                const double c = 0.5 * (xr.lo + xr.hi);
                xr.lo = c - 0.5 * sy * w;
                xr.hi = c + 0.5 * sy * w;
            }
        }
        const range cr = colour_range();
        auto X = [&](double v) { return left + (v - xr.lo) / (xr.hi - xr.lo) * w; };
        auto Y = [&](double v) { return top + h - (v - yr.lo) / (yr.hi - yr.lo) * h; };
        o << "<g>\n<rect x='" << left << "' y='" << top << "' width='" << w << "' height='" << h
          << "' fill='white' stroke='#333' stroke-width='0.8'/>\n";
        o << "<clipPath id='clip" << id_ << "'><rect x='" << left << "' y='" << top << "' width='" << w << "' height='" << h
          << "'/></clipPath>\n<g clip-path='url(#clip" << id_ << ")'>\n";
        if (has_image_) render_image(o, X, Y, cr);
        if (!hex_.x.empty()) {
            for (std::size_t k = 0; k < hex_.x.size(); ++k) {
                o << "<polygon class='hexagon' fill='" << colour_of(hex_.v[k], cr) << "' points='";
                for (int a = 0; a < 6; ++a) {
                    const double ang = std::numbers::pi / 3 * a + std::numbers::pi / 6;
                    o << fmt(X(hex_.x[k] + hex_.rx * std::cos(ang) * 2 / std::sqrt(3.0))) << ',' << fmt(Y(hex_.y[k] + hex_.ry * std::sin(ang))) << ' ';
                }
                o << "'/>";
            }
            o << '\n';
        }
        if (!tri_.v.empty()) {  // a thin edge of the same colour closes the seams between triangles
            o << "<g class='triangles' stroke-width='0.4' stroke-linejoin='round'>";
            for (std::size_t k = 0; k < tri_.v.size(); ++k) {
                const std::string c = colour_of(tri_.v[k], cr);
                const double* q = tri_.xy.data() + 6 * k;
                o << "<path fill='" << c << "' stroke='" << c << "' d='M" << fmt(X(q[0])) << ' ' << fmt(Y(q[1])) << 'L'
                  << fmt(X(q[2])) << ' ' << fmt(Y(q[3])) << 'L' << fmt(X(q[4])) << ' ' << fmt(Y(q[5])) << "Z'/>";
            }
            o << "</g>\n";
        }
        for (const auto& g : segments_)
            o << "<line class='segment' x1='" << fmt(X(g.x0)) << "' y1='" << fmt(Y(g.y0)) << "' x2='" << fmt(X(g.x1)) << "' y2='"
              << fmt(Y(g.y1)) << "' stroke='" << g.colour << "' stroke-width='" << fmt(g.width) << "' stroke-linecap='round'/>\n";
        for (const auto& d : points_) {
            for (std::size_t k = 0; k < d.x.size(); ++k)
                if (std::isfinite(d.x[k]) && std::isfinite(d.y[k]))
                    o << "<circle class='point' cx='" << fmt(X(d.x[k])) << "' cy='" << fmt(Y(d.y[k])) << "' r='" << d.radius << "' fill='"
                      << (d.v.empty() ? d.colour : colour_of(d.v[k], cr)) << "'/>";
            o << '\n';
        }
        for (const auto& m : marks_) {
            o << "<path class='marks' stroke='" << m.colour << "' stroke-width='1' d='";
            const double len = std::max(1.0, std::min(4.0, h / 300.0 * 2.0));
            for (std::size_t k = 0; k < m.x.size(); ++k)
                o << 'M' << fmt(X(m.x[k])) << ' ' << fmt(Y(m.y[k]) - len / 2) << "v" << fmt(len);
            o << "'/>\n";
        }
        for (const auto& l : lines_) {
            o << "<polyline fill='none' stroke='" << l.colour << "' stroke-width='" << l.width << "' points='";
            for (std::size_t k = 0; k < l.x.size(); ++k)
                if (std::isfinite(l.y[k])) o << fmt(X(l.x[k])) << ',' << fmt(Y(l.y[k])) << ' ';
            o << "'/>\n";
        }
        o << "</g>\n";
        // axes: ticks and labels
        if (!xtick_at_.empty()) {
            for (std::size_t k = 0; k < xtick_at_.size(); ++k) {
                if (rotate_x_)
                    o << "<text transform='translate(" << fmt(X(xtick_at_[k]) + 3) << ',' << top + h + 8
                      << ") rotate(60)' font-size='8'>" << escape(xtick_labels_[k]) << "</text>\n";
                else
                    o << "<text x='" << fmt(X(xtick_at_[k])) << "' y='" << top + h + 16 << "' text-anchor='middle'>"
                      << escape(xtick_labels_[k]) << "</text>\n";
            }
        } else {
            for (double t : nice_ticks(xr.lo, xr.hi, std::max(2, static_cast<int>(w / 90))))
                o << "<line x1='" << fmt(X(t)) << "' y1='" << top + h << "' x2='" << fmt(X(t)) << "' y2='" << top + h + 4
                  << "' stroke='#333'/><text x='" << fmt(X(t)) << "' y='" << top + h + 16 << "' text-anchor='middle'>"
                  << number(t) << "</text>\n";
        }
        if (!ytick_at_.empty()) {
            const int fs = ytick_at_.size() > 40 ? 7 : 11;
            for (std::size_t k = 0; k < ytick_at_.size(); ++k)
                o << "<text x='" << left - 6 << "' y='" << fmt(Y(ytick_at_[k]) + fs / 3.0) << "' text-anchor='end' font-size='" << fs
                  << "'>" << escape(ytick_labels_[k]) << "</text>\n";
        } else {
            for (double t : nice_ticks(yr.lo, yr.hi, std::max(2, static_cast<int>(h / 40))))
                o << "<line x1='" << left - 4 << "' y1='" << fmt(Y(t)) << "' x2='" << left << "' y2='" << fmt(Y(t))
                  << "' stroke='#333'/><text x='" << left - 6 << "' y='" << fmt(Y(t) + 4) << "' text-anchor='end'>"
                  << number(t) << "</text>\n";
        }
        if (!title_.empty())
            o << "<text x='" << left + w / 2 << "' y='" << top - 7 << "' text-anchor='middle' font-weight='bold'>"
              << escape(title_) << "</text>\n";
        if (!xlabel_.empty())
            o << "<text x='" << left + w / 2 << "' y='" << top + h + (rotate_x_ ? 70 : 32) << "' text-anchor='middle'>"
              << escape(xlabel_) << "</text>\n";
        if (!ylabel_.empty())
            o << "<text transform='translate(" << left - 52 << ',' << top + h / 2 << ") rotate(-90)' text-anchor='middle'>"
              << escape(ylabel_) << "</text>\n";
        render_legend(o, left + w, top, cr);
        o << "</g>\n";
    }

    template <class FX, class FY>
    void render_image(std::ostringstream& o, FX X, FY Y, const range& cr) const {
        if (missing_ == background::hatched)
            o << "<defs><pattern id='hatch" << id_ << "' width='6' height='6' patternUnits='userSpaceOnUse' patternTransform='rotate(45)'>"
              << "<rect width='6' height='6' fill='#f4f4f4'/><line x1='0' y1='0' x2='0' y2='6' stroke='#c8c8c8' stroke-width='2'/>"
              << "</pattern></defs>\n";
        const double cw = (image_.x1 - image_.x0) / static_cast<double>(image_.cols);
        const double ch = (image_.y1 - image_.y0) / static_cast<double>(image_.rows);
        if (missing_ != background::white)  // one rectangle under the image: NaN cells show it
            o << "<rect x='" << fmt(X(image_.x0)) << "' y='" << fmt(Y(image_.y1)) << "' width='" << fmt(X(image_.x1) - X(image_.x0))
              << "' height='" << fmt(Y(image_.y0) - Y(image_.y1)) << "' fill='"
              << (missing_ == background::grey ? std::string("#dddddd") : "url(#hatch" + std::to_string(id_) + ")") << "'/>\n";
        for (std::size_t r = 0; r < image_.rows; ++r)
            for (std::size_t c = 0; c < image_.cols; ++c) {
                const double v = image_.v[r * image_.cols + c];
                if (!std::isfinite(v)) continue;
                const double x0 = X(image_.x0 + static_cast<double>(c) * cw), x1 = X(image_.x0 + static_cast<double>(c + 1) * cw);
                const double y0 = Y(image_.y0 + static_cast<double>(r + 1) * ch), y1 = Y(image_.y0 + static_cast<double>(r) * ch);
                o << "<rect x='" << fmt(x0) << "' y='" << fmt(y0) << "' width='" << fmt(x1 - x0 + 0.3) << "' height='"
                  << fmt(y1 - y0 + 0.3) << "' fill='" << colour_of(v, cr) << "'/>";
            }
        o << '\n';
    }

    void render_legend(std::ostringstream& o, double right, double top, const range& cr) const {
        double y = top + 12;
        auto entry = [&](const std::string& label, const std::string& colour) {
            if (label.empty()) return;
            o << "<rect x='" << right + 10 << "' y='" << y - 8 << "' width='12' height='8' fill='" << colour << "'/><text x='"
              << right + 26 << "' y='" << y << "'>" << escape(label) << "</text>\n";
            y += 15;
        };
        for (const auto* set : {&lines_, &marks_})
            for (const auto& s : *set) entry(s.label, s.colour);
        for (const auto& d : points_) entry(d.label, d.colour);
        if (coloured() && colour_bar_) {  // colour bar
            const double h = 80;
            for (int k = 0; k < 40; ++k)
                o << "<rect x='" << right + 10 << "' y='" << fmt(y + h - (k + 1) * h / 40) << "' width='10' height='"
                  << fmt(h / 40 + 0.3) << "' fill='" << colour_of(cr.lo + (k + 0.5) / 40 * (cr.hi - cr.lo), cr) << "'/>";
            o << "\n<text x='" << right + 24 << "' y='" << y + 8 << "'>" << number(cr.hi) << "</text><text x='"
              << right + 24 << "' y='" << y + h << "'>" << number(cr.lo) << "</text>\n";
            if (!colour_label_.empty())
                o << "<text x='" << right + 10 << "' y='" << y + h + 16 << "'>" << escape(colour_label_) << "</text>\n";
        }
    }

    static std::string fmt(double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%.1f", v);
        return b;
    }
    static std::string number(double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%.6g", std::abs(v) < 1e-12 ? 0.0 : v);
        return b;
    }

    std::size_t id_ = 0;
    std::string title_, xlabel_, ylabel_;
    range x_, y_;
    std::vector<double> ytick_at_;
    std::vector<std::string> ytick_labels_;
    std::vector<double> xtick_at_;
    std::vector<std::string> xtick_labels_;
    bool rotate_x_ = false, equal_ = false;
    std::vector<series> lines_, marks_;
    std::vector<dots> points_;
    hexes hex_;
    std::vector<segment> segments_;
    tris tri_;
    img image_;
    bool has_image_ = false;
    std::string colour_label_;
    colour_map map_ = colour_map::viridis;
    range clim_{0, 1, false};
    background missing_ = background::white;
    bool colour_bar_ = true;
};

class figure {
public:
    figure(double width = 900, double height = 600) : width_(width), height_(height) {}
    figure& title(std::string t) { title_ = std::move(t); return *this; }
    figure& size(double width, double height) { width_ = width; height_ = height; return *this; }
    /// A new panel below the others, taking `weight` shares of the height.
    panel& add_panel(double weight = 1.0) {
        panels_.emplace_back();
        panels_.back().id_ = panels_.size();
        weights_.push_back(weight);
        return panels_.back();
    }
    panel& operator[](std::size_t k) { return panels_.at(k); }
    const panel& operator[](std::size_t k) const { return panels_.at(k); }
    std::size_t n_panels() const noexcept { return panels_.size(); }

    std::string svg() const {
        std::ostringstream o;
        o << "<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='http://www.w3.org/2000/svg' width='" << width_
          << "' height='" << height_ << "' viewBox='0 0 " << width_ << ' ' << height_
          << "' font-family='DejaVu Sans, Arial, sans-serif' font-size='11'>\n<rect width='100%' height='100%' fill='white'/>\n";
        double top = title_.empty() ? 10 : 34;
        if (!title_.empty())
            o << "<text x='" << width_ / 2 << "' y='20' text-anchor='middle' font-size='14' font-weight='bold'>"
              << escape(title_) << "</text>\n";
        const double left = 80, right = 130, gap = 58;
        double total = 0;
        for (double w : weights_) total += w;
        const double avail = height_ - top - gap * static_cast<double>(panels_.size());
        for (std::size_t k = 0; k < panels_.size(); ++k) {
            const double h = avail * weights_[k] / total;
            panels_[k].render(o, left, top + 16, width_ - left - right, h);
            top += h + gap;
        }
        o << "</svg>\n";
        return o.str();
    }

    /// Writes the figure (to a temporary file first, renamed when complete).
    void save(const std::filesystem::path& file) const {
        const auto tmp = std::filesystem::path(file.string() + ".partial");
        {
            std::ofstream f(tmp);
            if (!f) throw io_error("plot: cannot write " + tmp.string());
            f << svg();
            if (!f) throw io_error("plot: writing " + tmp.string() + " failed");
        }
        std::filesystem::rename(tmp, file);
    }

private:
    double width_, height_;
    std::string title_;
    std::deque<panel> panels_;  // references handed out stay valid
    std::vector<double> weights_;
};

}  // namespace brainweave::plot
