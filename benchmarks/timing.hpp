#pragma once
// Timing helpers shared by the benchmarks: medians of repetitions and peak resident memory.
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>
#include <vector>

namespace bench {

inline int reps = 7;

/// The median of some timings.
inline double median(std::vector<double> t) {
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

/// Median wall time of `reps` calls of f (seconds).
template <class F>
double median_seconds(F&& f) {
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return median(std::move(t));
}

/// Median wall times of `reps` calls of each f, the variants taking turns within every repetition,
/// so that a slow phase of a shared machine falls on all of them rather than on one (seconds).
template <class... F>
std::array<double, sizeof...(F)> interleaved_median_seconds(F&&... f) {
    std::array<std::vector<double>, sizeof...(F)> t;
    for (int r = 0; r < reps; ++r) {
        std::size_t i = 0;
        auto time = [&](auto& g) {
            const auto t0 = std::chrono::steady_clock::now();
            g();
            t[i++].push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        };
        (time(f), ...);
    }
    std::array<double, sizeof...(F)> m{};
    for (std::size_t i = 0; i < m.size(); ++i) m[i] = median(std::move(t[i]));
    return m;
}

/// The process's peak resident memory so far (MiB).
inline double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

}  // namespace bench
