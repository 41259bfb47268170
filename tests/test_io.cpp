// File formats: .npy, TVB connectomes (zip with deflate and bzip2 members, plain folders).
#include "test_helpers.hpp"

#include <fstream>

namespace bw = brainweave;

TEST_CASE("npy files round-trip and are written atomically", "[io][npy]") {
    const auto dir = bwtest::temp_dir("npy");
    std::vector<double> v{1.5, -2.0, 3.25, 4.0, 5.0, 6.0};
    bw::io::save_npy(dir / "a.npy", {2, 3}, v.data());
    bw::io::save_npy(dir / "b.npy", {6}, v.data());
    auto a = bw::io::load_npy(dir / "a.npy", 2);
    CHECK(a.shape == std::vector<std::size_t>{2, 3});
    CHECK(a.data == v);
    CHECK(bw::io::load_npy(dir / "b.npy").shape == std::vector<std::size_t>{6});
    CHECK_FALSE(std::filesystem::exists(dir / "a.npy.partial"));
    CHECK_THROWS_WITH(bw::io::load_npy(dir / "a.npy", 4), Catch::Contains("expected a 4-d array, got 2-d"));
}

TEST_CASE("npy reader converts integer dtypes and Fortran order, rejects garbage", "[io][npy]") {
    const auto dir = bwtest::temp_dir("npy2");
    std::string header = "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }";
    header.append(64 - (10 + header.size() + 1) % 64, ' ');
    header += '\n';
    std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header;
    for (std::int32_t x : {1, 4, 2, 5, 3, 6}) bytes.append(reinterpret_cast<const char*>(&x), 4);  // column-major
    auto a = bw::io::parse_npy(bytes, "test");
    CHECK(a.data == std::vector<double>{1, 2, 3, 4, 5, 6});
    { std::ofstream(dir / "bad.npy") << "not numpy"; }
    CHECK_THROWS_WITH(bw::io::load_npy(dir / "bad.npy"), Catch::Contains("bad.npy") && Catch::Contains("not a .npy file"));
    CHECK_THROWS_WITH(bw::io::load_npy(dir / "missing.npy"), Catch::Contains("cannot open"));
    CHECK_THROWS_WITH(bw::io::parse_npy(bytes.substr(0, bytes.size() - 4), "cut"), Catch::Contains("truncated"));
}

TEST_CASE("TVB's default connectome loads from its zip", "[io][connectivity]") {
    auto c = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip"));
    REQUIRE(c.n_regions() == 76);
    CHECK(c.region_labels.front() == "rA1");
    CHECK(c.centres.rows() == 76);
    CHECK(c.orientations.rows() == 76);
    CHECK(c.areas.size() == 76);
    CHECK(c.cortical.size() == 76);
    CHECK(c.hemispheres.size() == 76);
    CHECK(c.hemispheres.front());  // labels starting with r are the right hemisphere
    // The weights TVB used in the reference cases are these weights.
    auto ref = bwtest::dense(bw::io::load_npy(bwtest::data("tvb/g2d_monitors/weights.npy")));
    CHECK((c.weights - ref).cwiseAbs().maxCoeff() == 0.0);
    // ... and its delays at 4 mm/ms, dt = 0.1 ms, are ours.
    auto idelays = bw::io::load_npy(bwtest::data("tvb/g2d_monitors/idelays.npy"));
    auto d = c.with_speed(4.0).delays_in_steps(0.1);
    bool same = true;
    for (Eigen::Index i = 0; i < 76; ++i)
        for (Eigen::Index j = 0; j < 76; ++j) same = same && d(i, j) == static_cast<std::int64_t>(idelays.data[static_cast<std::size_t>(i * 76 + j)]);
    CHECK(same);
}

TEST_CASE("bzip2-compressed members and plain folders load", "[io][connectivity]") {
    auto c68 = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_68.zip"));
    CHECK(c68.n_regions() == 68);
    CHECK(c68.orientations.rows() == 68);
    // Unpack the 76-region zip into a folder and load that.
    const auto dir = bwtest::temp_dir("conn_folder");
    bw::io::zip_archive zip(bwtest::data("connectivity/connectivity_76.zip"));
    for (const auto& name : zip.names()) {
        std::ofstream out(dir / std::filesystem::path(name).filename(), std::ios::binary);
        const auto bytes = zip.read(name);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    auto from_folder = bw::io::load_tvb_connectivity(dir);
    auto from_zip = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip"));
    CHECK(from_folder.weights == from_zip.weights);
    CHECK(from_folder.tract_lengths == from_zip.tract_lengths);
    CHECK(from_folder.region_labels == from_zip.region_labels);
}

TEST_CASE("malformed connectomes are rejected with the file and line", "[io][connectivity]") {
    const auto dir = bwtest::temp_dir("conn_bad");
    CHECK_THROWS_WITH(bw::io::load_tvb_connectivity(dir / "nowhere.zip"), Catch::Contains("does not exist"));
    CHECK_THROWS_WITH(bw::io::load_tvb_connectivity(dir), Catch::Contains("has no weights.txt"));
    { std::ofstream(dir / "weights.txt") << "0 1\n1 x\n"; }
    CHECK_THROWS_WITH(bw::io::load_tvb_connectivity(dir),
                      Catch::Contains("weights.txt") && Catch::Contains("row 2, column 2: 'x' is not a number"));
    { std::ofstream(dir / "weights.txt") << "0 1\n1 0\n"; }
    { std::ofstream(dir / "tract_lengths.txt") << "0 1 2\n1 0 2\n"; }
    CHECK_THROWS_WITH(bw::io::load_tvb_connectivity(dir), Catch::Contains("tract_lengths.txt") && Catch::Contains("must be 2x2"));
    { std::ofstream(dir / "tract_lengths.txt") << "0 10\n10 0\n"; }
    auto c = bw::io::load_tvb_connectivity(dir);
    CHECK(c.tract_lengths(0, 1) == 10.0);
    // Centres: "label x y z" with extra columns (tvb-data's connectivity_66), "x y z", or an error.
    { std::ofstream(dir / "centres.txt") << " rA 1 2 3 None\n rB 4 5 6 None\n"; }
    c = bw::io::load_tvb_connectivity(dir);
    CHECK(c.region_labels[1] == "rB");
    CHECK(c.centres(1, 2) == 6.0);
    { std::ofstream(dir / "centres.txt") << "1 2 3\n4 5 6\n"; }
    CHECK(bw::io::load_tvb_connectivity(dir).centres(1, 0) == 4.0);
    { std::ofstream(dir / "centres.txt") << "rA 1 2\nrB 4 5 6\n"; }
    CHECK_THROWS_WITH(bw::io::load_tvb_connectivity(dir), Catch::Contains("line 1 must be 'label x y z'"));
    std::filesystem::remove(dir / "centres.txt");
    { std::ofstream(dir / "tract_lengths.txt") << "0 -10\n10 0\n"; }  // read, then rejected naming the folder
    CHECK_THROWS_AS(bw::io::load_tvb_connectivity(dir), bw::io_error);
    CHECK_THROWS_WITH(bw::io::load_tvb_connectivity(dir), Catch::Contains("connectivity '" + dir.string() + "': tract_lengths must be"));
    { std::ofstream(dir / "tract_lengths.txt") << "0 10\n10 0\n"; }
    { std::ofstream(dir / "not_a_zip.zip") << "hello"; }
    CHECK_THROWS_WITH(bw::io::load_tvb_connectivity(dir / "not_a_zip.zip"), Catch::Contains("is not a zip archive"));
}
