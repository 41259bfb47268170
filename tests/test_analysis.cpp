// Spike-train measures: properties that hold by definition (the PySpike/numpy parity runs through
// brainweave-run --spike-measures --check on tests/data/spike_analysis/measures).
#include "test_helpers.hpp"

#include <brainweave/analysis/spike_train_measures.hpp>

namespace an = brainweave::analysis;

TEST_CASE("Spike-train distances: identity, symmetry, bounds and simple cases", "[analysis][spikes]") {
    const an::spike_train a{0.5, 1.7, 2.2, 4.0, 6.1, 7.7, 9.0}, b{0.6, 1.2, 3.3, 4.1, 5.0, 8.8};
    SECTION("a train is at distance zero from itself and fully synchronous with itself") {
        CHECK(an::isi_distance(a, a, 0, 10) == 0.0);
        CHECK(an::spike_distance(a, a, 0, 10) == 0.0);
        CHECK(an::spike_sync(a, a, 0, 10) == 1.0);
        CHECK(an::van_rossum_distance(a, a, 0.1) == 0.0);
    }
    SECTION("symmetric and within [0, 1]") {
        CHECK(an::isi_distance(a, b, 0, 10) == Approx(an::isi_distance(b, a, 0, 10)).epsilon(1e-14));
        CHECK(an::spike_distance(a, b, 0, 10) == Approx(an::spike_distance(b, a, 0, 10)).epsilon(1e-14));
        CHECK(an::spike_sync(a, b, 0, 10) == Approx(an::spike_sync(b, a, 0, 10)).epsilon(1e-14));
        for (double v : {an::isi_distance(a, b, 0, 10), an::spike_distance(a, b, 0, 10), an::spike_sync(a, b, 0, 10)}) {
            CHECK(v > 0);
            CHECK(v < 1);
        }
    }
    SECTION("periodic trains: ISI-distance of rates 1 and 2 per unit time is 1/2 (|1 - 1/2| / 1)") {
        an::spike_train slow, fast;
        for (int k = 0; k <= 10; ++k) slow.push_back(k);
        for (int k = 0; k <= 20; ++k) fast.push_back(0.5 * k);
        CHECK(an::isi_distance(slow, fast, 0, 10) == Approx(0.5).epsilon(1e-12));
    }
    SECTION("van Rossum: one spike against none is 1 (Elephant's normalisation)") {
        CHECK(an::van_rossum_distance({1.0}, {}, 0.01) == Approx(1.0));
    }
    SECTION("multivariate values and matrices") {
        const std::vector<an::spike_train> s{a, b, {1.0, 5.5, 9.9}};
        const auto m = an::isi_distance_matrix(s, 0, 10);
        CHECK(m(0, 0) == 0);
        CHECK(m(1, 2) == m(2, 1));
        CHECK(an::isi_distance(s, 0, 10) == Approx((m(0, 1) + m(0, 2) + m(1, 2)) / 3));
        CHECK_THROWS_WITH(an::isi_distance(std::vector<an::spike_train>{a}, 0, 10), Catch::Contains("at least two trains"));
        CHECK_THROWS_WITH(an::isi_distance(a, b, 0, 5), Catch::Contains("spikes must lie in [t_start, t_end]"));
    }
    SECTION("interval statistics of a regular train: CV = CV2 = LV = 0") {
        const std::vector<an::spike_train> s{{1, 2, 3, 4, 5}, {1.0}};
        CHECK(an::cv_isi(s)[0] == 0.0);
        CHECK(an::cv2(s)[0] == 0.0);
        CHECK(an::lv(s)[0] == 0.0);
        CHECK(std::isnan(an::cv_isi(s)[1]));
        CHECK(an::rates(s, 10)[0] == 0.5);
    }
    SECTION("binned counts follow numpy.histogram's edges") {
        const auto c = an::binned_counts({{0.0, 0.01, 0.015, 0.02, 0.05}}, 0.0, 0.05, 0.01);
        REQUIRE(c.cols() == 5);
        CHECK(c(0, 0) == 1);
        CHECK(c(0, 1) == 2);
        CHECK(c(0, 2) == 1);
        CHECK(c(0, 4) == 1);  // the right edge belongs to the last bin
        CHECK_THROWS_WITH(an::binned_counts({{0.0}}, 0.0, 0.05, 0.03), Catch::Contains("must divide"));
    }
}

#include <brainweave/analysis/rates.hpp>
#include <brainweave/core/random.hpp>

TEST_CASE("Rates: histograms, kernel estimates and the optimal bandwidth", "[analysis][rates]") {
    SECTION("time histogram as counts, mean and rate") {
        const std::vector<std::vector<double>> s{{0.05, 0.15, 0.16}, {0.12, 0.3}};
        CHECK(an::time_histogram(s, 0, 0.3, 0.1) == std::vector<double>{1, 3, 1});
        CHECK(an::time_histogram(s, 0, 0.3, 0.1, an::histogram_output::mean) == std::vector<double>{0.5, 1.5, 0.5});
        const auto r = an::time_histogram(s, 0, 0.3, 0.1, an::histogram_output::rate);
        CHECK(r[1] == Approx(15.0));
    }
    SECTION("every kernel has unit area: the rate integrates to the number of spikes") {
        const std::vector<double> train{2.0, 3.5, 3.6, 7.0};
        for (auto shape : {an::kernel_shape::gaussian, an::kernel_shape::rectangular, an::kernel_shape::triangular, an::kernel_shape::exponential}) {
            const an::rate_kernel k{shape, 0.2};
            const auto r = an::instantaneous_rate(train, 0, 10, 0.001, k);
            double area = 0;
            for (double v : r) area += v * 0.001;
            CHECK(area == Approx(4.0).epsilon(2e-3));
        }
        // The centred exponential puts half its mass before the spike.
        const an::rate_kernel e{an::kernel_shape::exponential, 0.2};
        const auto r = an::instantaneous_rate({5.0}, 0, 10, 0.0001, e);
        double before = 0;
        for (std::size_t i = 0; i < 50000; ++i) before += r[i] * 0.0001;
        CHECK(before == Approx(0.5).epsilon(2e-3));
        CHECK(an::instantaneous_rate({5.0}, 0, 10, 0.5, {an::kernel_shape::gaussian, 0.5})[10] == Approx(1 / (std::sqrt(2 * std::numbers::pi) * 0.5)));
        CHECK_THROWS_WITH(an::instantaneous_rate({1.0}, 0, 10, 0.1, {an::kernel_shape::gaussian, 0.0}), Catch::Contains("sigma must be positive"));
    }
    SECTION("the optimal bandwidth minimises Shimazaki and Shinomoto's cost") {
        // An inhomogeneous Poisson train: rate 20 Hz + 15 Hz sin(2 pi t / 2 s) over 20 s.
        brainweave::random::uniform_stream u(5, 0);
        std::vector<double> spikes;
        for (double t = 0; t < 20; t += 0.001)
            if (u() < (20 + 15 * std::sin(2 * std::numbers::pi * t / 2)) * 0.001) spikes.push_back(t);
        const double w = an::optimal_bandwidth(spikes);
        CHECK(w > 0.01);
        CHECK(w < 2.0);
        const double c = an::bandwidth_cost(spikes, w);
        CHECK(c <= an::bandwidth_cost(spikes, 0.8 * w));
        CHECK(c <= an::bandwidth_cost(spikes, 1.25 * w));
        CHECK_THROWS_WITH(an::optimal_bandwidth({1.0}), Catch::Contains("at least two spikes"));
    }
}
