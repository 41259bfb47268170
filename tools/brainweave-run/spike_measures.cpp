// Spike-train measures of a reference case (PySpike 0.7 and numpy results):
//   inputs   spike_i.npy (train index), spike_t.npy (s), meta.json: T_s (trains observed on
//            [0, T]), n_trains, binning.binsize_s, van_rossum_0_1.tau_s
//   outputs  isi_distance_matrix, spike_distance_matrix, spike_sync_matrix, corrcoef_binned,
//            covariance_binned, cv_isi, cv2, lv, rate_hz (.npy) and overall.json: isi_distance,
//            spike_distance, spike_sync (all trains), van_rossum_0_1 (trains 0 and 1),
//            fano_population_counts (population count in the bins).
#include "spike_measures.hpp"

#include "json_input.hpp"

#include <brainweave/analysis/spike_statistics.hpp>
#include <brainweave/analysis/spike_train_measures.hpp>
#include <brainweave/io/npy.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
namespace bw = brainweave;
namespace an = brainweave::analysis;
using json = nlohmann::json;

namespace brainweave::runner {
namespace {

Eigen::MatrixXd column(const std::vector<double>& v) {
    return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

}  // namespace

int run_spike_measures(const fs::path& dir, const fs::path& out, bool check) {
    const fs::path meta_file = dir / "meta.json";
    if (!fs::exists(meta_file)) throw bw::config_error("'" + dir.string() + "' is not a spike-analysis case (no meta.json)");
    const json meta = load_json(meta_file);
    const std::string where = "'" + meta_file.string() + "'";
    if (!meta.contains("n_trains")) throw bw::io_error(where + ": not a spike-analysis case brainweave-run recognises (no \"n_trains\")");
    const double T = json_number(meta, {"T_s"}, where);
    const auto n = static_cast<std::size_t>(json_number(meta, {"n_trains"}, where));
    const double bin = json_number(meta, {"binning", "binsize_s"}, where);
    const double tau = json_number(meta, {"van_rossum_0_1", "tau_s"}, where);
    if (!(T > 0) || n < 2) throw bw::io_error(where + ": needs T_s > 0 and at least two trains");

    const auto idx = bw::io::load_npy(bw::io::find_npy(dir, "spike_i.npy"), 1);
    const auto t = bw::io::load_npy(bw::io::find_npy(dir, "spike_t.npy"), 1);
    std::vector<std::int32_t> senders(idx.data.begin(), idx.data.end());
    const auto trains = an::trains_from_pairs(senders, t.data, n);

    const Eigen::MatrixXd counts = an::binned_counts(trains, 0.0, T, bin);
    const std::map<std::string, Eigen::MatrixXd> arrays{
        {"isi_distance_matrix.npy", an::isi_distance_matrix(trains, 0.0, T)},
        {"spike_distance_matrix.npy", an::spike_distance_matrix(trains, 0.0, T)},
        {"spike_sync_matrix.npy", an::spike_sync_matrix(trains, 0.0, T)},
        {"corrcoef_binned.npy", an::correlation_coefficients(counts)},
        {"covariance_binned.npy", an::covariances(counts)},
        {"cv_isi.npy", column(an::cv_isi(trains))},
        {"cv2.npy", column(an::cv2(trains))},
        {"lv.npy", column(an::lv(trains))},
        {"rate_hz.npy", column(an::rates(trains, T))}};
    const json overall{{"isi_distance", an::isi_distance(trains, 0.0, T)},
                       {"spike_distance", an::spike_distance(trains, 0.0, T)},
                       {"spike_sync", an::spike_sync(trains, 0.0, T)},
                       {"van_rossum_0_1", an::van_rossum_distance(trains[0], trains[1], tau)},
                       {"fano_population_counts", an::fano_factor(t.data, 0.0, T, bin)}};

    fs::create_directories(out);
    for (const auto& [name, m] : arrays) {
        if (m.cols() == 1) bw::io::save_npy(out / name, {static_cast<std::size_t>(m.rows())}, m.data());
        else bw::io::save_npy(out / name, m);
    }
    {
        std::ofstream o(out / "overall.json");
        o << overall.dump(1) << "\n";
        if (!o) throw bw::io_error("cannot write '" + (out / "overall.json").string() + "'");
    }
    std::printf("%s: %zu trains, %zu spikes on [0, %g] s: ISI-distance %.12g, SPIKE-distance %.12g, SPIKE-sync %.12g\n",
                dir.filename().string().c_str(), n, t.data.size(), T, overall["isi_distance"].get<double>(),
                overall["spike_distance"].get<double>(), overall["spike_sync"].get<double>());
    if (!check) return 0;

    bool pass = true;
    const double tol = 1e-9;
    auto report = [&](const std::string& name, double err) {
        const bool ok = err <= tol;
        pass = pass && ok;
        std::printf("  %-28s max |ours - ref| / max(1, |ref|) = %.2e (tolerance 1e-09)  %s\n", name.c_str(), err, ok ? "PASS" : "FAIL");
    };
    for (const auto& [name, m] : arrays) {
        if (bw::io::locate_npy(dir, name).empty()) continue;
        const Eigen::MatrixXd ref = bw::io::to_matrix(bw::io::load_npy(bw::io::find_npy(dir, name)));
        if (ref.rows() != m.rows() || ref.cols() != m.cols()) {
            std::printf("  %-28s shape differs from the reference  FAIL\n", name.c_str());
            pass = false;
            continue;
        }
        double err = 0;
        for (Eigen::Index i = 0; i < m.rows(); ++i)
            for (Eigen::Index j = 0; j < m.cols(); ++j)
                err = std::max(err, std::abs(m(i, j) - ref(i, j)) / std::max(1.0, std::abs(ref(i, j))));
        report(name, err);
    }
    auto scalar = [&](const std::string& name, std::initializer_list<std::string> path) {
        const double ref = json_number(meta, path, where), ours = overall[name].get<double>();
        report(name, std::abs(ours - ref) / std::max(1.0, std::abs(ref)));
    };
    scalar("isi_distance", {"overall", "isi_distance"});
    scalar("spike_distance", {"overall", "spike_distance"});
    scalar("spike_sync", {"overall", "spike_sync"});
    scalar("van_rossum_0_1", {"van_rossum_0_1", "value"});
    scalar("fano_population_counts", {"fano_population_counts"});
    std::printf("%s\n", pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}

}  // namespace brainweave::runner
