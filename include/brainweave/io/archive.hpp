#pragma once
// Reading the files of TVB data sets: members of a zip archive (stored or deflated, via zlib),
// and bzip2- or gzip-compressed members or files (via libbz2 and zlib), or plain files.
#include <brainweave/core/error.hpp>

#include <bzlib.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace brainweave::io {

/// Reads a whole file into memory. Throws io_error naming the file.
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error("cannot open '" + path.string() + "' for reading");
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw io_error("error while reading '" + path.string() + "'");
    return data;
}

namespace detail {
inline std::uint32_t le32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(k)]);
    return v;
}
inline std::uint16_t le16(const std::string& s, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                      (static_cast<unsigned char>(s[at + 1]) << 8));
}

inline std::string inflate_raw(const std::string& in, std::size_t expected, const std::string& what) {
    // DEFLATE expands at most about 1032:1; a header claiming more is corrupt (and would make us
    // allocate what it claims).
    if (expected / 1032 > in.size() + 1)
        throw io_error(what + ": the zip header claims " + std::to_string(expected) + " bytes from " + std::to_string(in.size()) +
                       " compressed bytes (corrupt)");
    std::string out(expected, '\0');
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) throw io_error(what + ": zlib initialisation failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&zs, Z_FINISH);
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || zs.total_out != expected)
        throw io_error(what + ": corrupt deflate data (zlib code " + std::to_string(rc) + ")");
    return out;
}
}  // namespace detail

/// Decompresses bzip2 data.
inline std::string bunzip2(const std::string& in, const std::string& what) {
    std::string out;
    bz_stream bs{};
    if (BZ2_bzDecompressInit(&bs, 0, 0) != BZ_OK) throw io_error(what + ": bzip2 initialisation failed");
    bs.next_in = const_cast<char*>(in.data());
    bs.avail_in = static_cast<unsigned>(in.size());
    std::vector<char> buf(1 << 16);
    int rc = BZ_OK;
    while (rc == BZ_OK) {
        bs.next_out = buf.data();
        bs.avail_out = static_cast<unsigned>(buf.size());
        rc = BZ2_bzDecompress(&bs);
        out.append(buf.data(), buf.size() - bs.avail_out);
        if (rc == BZ_OK && bs.avail_in == 0 && bs.avail_out != 0) break;
    }
    BZ2_bzDecompressEnd(&bs);
    if (rc != BZ_STREAM_END) throw io_error(what + ": corrupt or truncated bzip2 data");
    return out;
}

namespace detail {
/// Inflates a whole zlib (window_bits = MAX_WBITS) or gzip (16 + MAX_WBITS) stream.
inline std::string inflate_stream(const std::string& in, int window_bits, const std::string& what, const char* kind) {
    std::string out;
    z_stream zs{};
    if (inflateInit2(&zs, window_bits) != Z_OK) throw io_error(what + ": zlib initialisation failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    std::vector<char> buf(1 << 16);
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buf.data());
        zs.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf.data(), buf.size() - zs.avail_out);
        if (rc == Z_BUF_ERROR) break;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) throw io_error(what + ": corrupt or truncated " + kind + " data");
    return out;
}
}  // namespace detail

/// Decompresses gzip data.
inline std::string gunzip(const std::string& in, const std::string& what) {
    return detail::inflate_stream(in, 16 + MAX_WBITS, what, "gzip");
}

/// Decompresses a zlib stream (e.g. a MATLAB v5 miCOMPRESSED element).
inline std::string zlib_inflate(const std::string& in, const std::string& what) {
    return detail::inflate_stream(in, MAX_WBITS, what, "zlib");
}

/// Undoes a compression suffix (.bz2, .gz) of `name`, returning the payload and the bare name.
inline std::pair<std::string, std::string> decompress_by_name(std::string data, const std::string& name,
                                                              const std::string& what) {
    auto ends_with = [&](const char* s) {
        const std::size_t n = std::strlen(s);
        return name.size() >= n && name.compare(name.size() - n, n, s) == 0;
    };
    if (ends_with(".bz2")) return {bunzip2(data, what), name.substr(0, name.size() - 4)};
    if (ends_with(".gz")) return {gunzip(data, what), name.substr(0, name.size() - 3)};
    return {std::move(data), name};
}

/// The members of a zip archive, by path inside the archive (directories excluded).
class zip_archive {
public:
    explicit zip_archive(const std::filesystem::path& path) : path_(path.string()), data_(read_file(path)) {
        const std::string& s = data_;
        // Find the end-of-central-directory record (it may be followed by a comment).
        if (s.size() < 22) throw io_error("'" + path_ + "' is not a zip archive (too short)");
        std::size_t eocd = std::string::npos;
        for (std::size_t i = s.size() - 22 + 1; i-- > 0 && s.size() - i <= 22 + 65535;)
            if (detail::le32(s, i) == 0x06054b50u) {
                eocd = i;
                break;
            }
        if (eocd == std::string::npos) throw io_error("'" + path_ + "' is not a zip archive (no central directory)");
        const std::size_t count = detail::le16(s, eocd + 10);
        std::size_t at = detail::le32(s, eocd + 16);
        for (std::size_t e = 0; e < count; ++e) {
            if (at + 46 > s.size() || detail::le32(s, at) != 0x02014b50u)
                throw io_error("'" + path_ + "': corrupt zip central directory");
            entry en;
            en.method = detail::le16(s, at + 10);
            en.compressed = detail::le32(s, at + 20);
            en.size = detail::le32(s, at + 24);
            const std::size_t name_len = detail::le16(s, at + 28), extra = detail::le16(s, at + 30),
                              comment = detail::le16(s, at + 32);
            en.local_header = detail::le32(s, at + 42);
            if (at + 46 + name_len > s.size()) throw io_error("'" + path_ + "': corrupt zip central directory");
            const std::string name = s.substr(at + 46, name_len);
            at += 46 + name_len + extra + comment;
            if (!name.empty() && name.back() != '/') entries_[name] = en;
        }
    }

    std::vector<std::string> names() const {
        std::vector<std::string> n;
        for (auto& [k, v] : entries_) n.push_back(k);
        return n;
    }
    bool contains(const std::string& name) const { return entries_.count(name) != 0; }

    /// The uncompressed bytes of a member.
    std::string read(const std::string& name) const {
        auto it = entries_.find(name);
        if (it == entries_.end()) throw io_error("'" + path_ + "' has no member '" + name + "'");
        const entry& en = it->second;
        const std::string& s = data_;
        const std::string what = "'" + path_ + "' member '" + name + "'";
        if (en.local_header + 30 > s.size() || detail::le32(s, en.local_header) != 0x04034b50u)
            throw io_error(what + ": corrupt local header");
        const std::size_t start =
            en.local_header + 30 + detail::le16(s, en.local_header + 26) + detail::le16(s, en.local_header + 28);
        if (start + en.compressed > s.size()) throw io_error(what + ": truncated data");
        const std::string raw = s.substr(start, en.compressed);
        if (en.method == 0) return raw;
        if (en.method == 8) return detail::inflate_raw(raw, en.size, what);
        throw io_error(what + ": unsupported compression method " + std::to_string(en.method) +
                       " (stored and deflate are supported)");
    }

private:
    struct entry {
        std::uint16_t method = 0;
        std::size_t compressed = 0, size = 0, local_header = 0;
    };
    std::string path_;
    std::string data_;
    std::map<std::string, entry> entries_;
};

}  // namespace brainweave::io
