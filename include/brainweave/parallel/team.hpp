#pragma once
// A team of threads that work through a loop in lock-step phases, separated by a barrier.
//
// run_team(T, f) runs f(t, barrier) on T threads (the caller is thread 0) and returns when all have
// finished. The barrier spins briefly and then yields, which suits phases of microseconds to
// milliseconds (a simulation step); with T == 1 the barrier is a no-op and no thread is started.
// f must not throw (report errors through shared state and let every thread leave its loop at the
// same phase).
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace brainweave::parallel {

class spin_barrier {
public:
    explicit spin_barrier(std::size_t n) noexcept : n_(n) {}
    void arrive_and_wait() noexcept {
        if (n_ == 1) return;
        const std::size_t gen = generation_.load(std::memory_order_acquire);
        if (count_.fetch_add(1, std::memory_order_acq_rel) + 1 == n_) {
            count_.store(0, std::memory_order_relaxed);
            generation_.fetch_add(1, std::memory_order_acq_rel);
            return;
        }
        for (int spins = 0; generation_.load(std::memory_order_acquire) == gen; ++spins)
            if (spins > 2000) std::this_thread::yield();
    }

private:
    std::size_t n_;
    std::atomic<std::size_t> count_{0};
    std::atomic<std::size_t> generation_{0};
};

/// Runs f(t, barrier) for t in [0, threads) on `threads` threads sharing one barrier.
template <class F>
void run_team(std::size_t threads, F&& f) {
    if (threads < 1) threads = 1;
    spin_barrier barrier(threads);
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back([&, t] { f(t, barrier); });
    f(std::size_t{0}, barrier);
    for (auto& th : pool) th.join();
}

/// The part [begin, end) of [0, n) that thread t of T works on, in whole blocks of `block` items
/// (so that work addressed by block, e.g. random streams, does not depend on T).
struct range {
    std::size_t begin, end;
};
inline range share(std::size_t n, std::size_t t, std::size_t T, std::size_t block = 256) noexcept {
    const std::size_t blocks = (n + block - 1) / block;
    auto edge = [&](std::size_t k) { return std::min(n, (blocks * k / T) * block); };
    return {edge(t), edge(t + 1)};
}

}  // namespace brainweave::parallel
