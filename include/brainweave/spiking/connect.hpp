#pragma once
// Connection rules (NEST's names and defaults): which (pre, post) pairs a projection connects.
//
// A rule is a value; `for_each_synapse(rule, n_pre, n_post, same_group, seed, f)` calls
// f(pre, post, k) for the k-th synapse, in an order that depends only on the rule, the sizes and
// the seed. Random rules draw from counter-based streams addressed by (seed, target or source),
// so the same seed gives the same network on any machine and any number of threads, and the
// projection can be built in two passes (count, then fill) without holding a pair list.
//
//   all_to_all          every pair (autapses optional when pre and post are the same group)
//   one_to_one          pre i to post i (sizes must match)
//   fixed_probability   each pair independently with probability p
//   fixed_indegree      each target draws `indegree` sources (multapses allowed by default)
//   fixed_outdegree     each source draws `outdegree` targets
//   explicit_list       the given pairs, in the given order (weights and delays per synapse may follow)
#include <brainweave/core/error.hpp>
#include <brainweave/core/random.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace brainweave::spiking {

namespace rules {
struct all_to_all {
    bool allow_autapses = true;
};
struct one_to_one {};
struct fixed_probability {
    double p = 0.1;
    bool allow_autapses = true;
};
struct fixed_indegree {
    std::size_t indegree = 1;
    bool allow_autapses = true;
    bool allow_multapses = true;
};
struct fixed_outdegree {
    std::size_t outdegree = 1;
    bool allow_autapses = true;
    bool allow_multapses = true;
};
struct explicit_list {
    std::vector<std::uint32_t> pre, post;
};
}  // namespace rules

using connection_rule = std::variant<rules::all_to_all, rules::one_to_one, rules::fixed_probability,
                                     rules::fixed_indegree, rules::fixed_outdegree, rules::explicit_list>;

namespace detail {
/// `count` draws from [0, n) for `self` (excluded unless autapses), distinct unless multapses;
/// sorted ascending when distinct (Floyd's algorithm keeps them in a sorted vector).
inline void draw_partners(random::uniform_stream& u, std::size_t count, std::size_t n, std::int64_t self,
                          bool autapses, bool multapses, std::vector<std::uint32_t>& out, const char* rule) {
    out.clear();
    const std::size_t available = n - (!autapses && self >= 0 ? 1 : 0);
    if (count > 0 && available == 0)
        throw config_error(std::string(rule) + ": no partner is allowed (group of size " + std::to_string(n) + ")");
    if (!multapses && count > available)
        throw config_error(std::string(rule) + ": " + std::to_string(count) + " distinct partners requested but only " +
                           std::to_string(available) + " are allowed (set allow_multapses to draw with repetition)");
    auto skip_self = [&](std::uint64_t j) -> std::uint32_t {  // map [0, available) to [0, n) without self
        return static_cast<std::uint32_t>(!autapses && self >= 0 && j >= static_cast<std::uint64_t>(self) ? j + 1 : j);
    };
    if (multapses) {
        for (std::size_t k = 0; k < count; ++k) out.push_back(skip_self(u.below(available)));
        return;
    }
    for (std::size_t j = available - count; j < available; ++j) {  // Floyd
        const auto t = static_cast<std::uint32_t>(u.below(j + 1));
        auto it = std::ranges::lower_bound(out, t);
        if (it != out.end() && *it == t) it = out.insert(std::ranges::lower_bound(out, static_cast<std::uint32_t>(j)),
                                                         static_cast<std::uint32_t>(j));
        else out.insert(it, t);
    }
    for (auto& x : out) x = skip_self(x);
}
}  // namespace detail

/// Calls f(pre, post, k) for every synapse of the rule, k counting from 0.
template <class F>
void for_each_synapse(const connection_rule& rule, std::size_t n_pre, std::size_t n_post, bool same_group,
                      std::uint64_t seed, F&& f) {
    std::size_t k = 0;
    std::visit(
        [&](const auto& r) {
            using R = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<R, rules::all_to_all>) {
                for (std::size_t i = 0; i < n_pre; ++i)
                    for (std::size_t j = 0; j < n_post; ++j)
                        if (r.allow_autapses || !same_group || i != j)
                            f(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), k++);
            } else if constexpr (std::is_same_v<R, rules::one_to_one>) {
                if (n_pre != n_post)
                    throw config_error("one_to_one: the groups must have the same size (" + std::to_string(n_pre) +
                                       " and " + std::to_string(n_post) + ")");
                for (std::size_t i = 0; i < n_pre; ++i)
                    f(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i), k++);
            } else if constexpr (std::is_same_v<R, rules::fixed_probability>) {
                if (!(r.p >= 0.0 && r.p <= 1.0))
                    throw config_error("fixed_probability: p must be in [0, 1], got " + std::to_string(r.p));
                if (r.p == 0.0) return;
                const double log_q = std::log1p(-r.p);
                for (std::size_t i = 0; i < n_pre; ++i) {
                    random::uniform_stream u(seed, i);
                    // Geometric skips between successes: O(synapses), not O(pairs).
                    for (double j = -1;;) {
                        j += r.p == 1.0 ? 1.0 : 1.0 + std::floor(std::log1p(-u()) / log_q);
                        if (j >= static_cast<double>(n_post)) break;
                        const auto jj = static_cast<std::size_t>(j);
                        if (r.allow_autapses || !same_group || jj != i)
                            f(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(jj), k++);
                    }
                }
            } else if constexpr (std::is_same_v<R, rules::fixed_indegree> || std::is_same_v<R, rules::fixed_outdegree>) {
                // Each node on the fixed side (targets for in-degree, sources for out-degree) draws
                // its partners from its own stream.
                constexpr bool in = std::is_same_v<R, rules::fixed_indegree>;
                const std::size_t n_fixed = in ? n_post : n_pre, n_free = in ? n_pre : n_post;
                const std::size_t degree = [&] {
                    if constexpr (in) return r.indegree; else return r.outdegree;
                }();
                std::vector<std::uint32_t> partners;
                for (std::size_t a = 0; a < n_fixed; ++a) {
                    random::uniform_stream u(seed, a);
                    detail::draw_partners(u, degree, n_free, same_group ? static_cast<std::int64_t>(a) : -1, r.allow_autapses,
                                          r.allow_multapses, partners, in ? "fixed_indegree" : "fixed_outdegree");
                    for (auto b : partners) {
                        if constexpr (in) f(b, static_cast<std::uint32_t>(a), k++);
                        else f(static_cast<std::uint32_t>(a), b, k++);
                    }
                }
            } else {
                if (r.pre.size() != r.post.size())
                    throw config_error("explicit_list: " + std::to_string(r.pre.size()) + " sources but " +
                                       std::to_string(r.post.size()) + " targets");
                for (std::size_t s = 0; s < r.pre.size(); ++s) {
                    if (r.pre[s] >= n_pre || r.post[s] >= n_post)
                        throw config_error("explicit_list: synapse " + std::to_string(s) + " (" + std::to_string(r.pre[s]) +
                                           " -> " + std::to_string(r.post[s]) + ") is outside the groups (sizes " +
                                           std::to_string(n_pre) + " and " + std::to_string(n_post) + ")");
                    f(r.pre[s], r.post[s], k++);
                }
            }
        },
        rule);
}

}  // namespace brainweave::spiking
