#pragma once
// Binary archives of named, typed records: checkpoints of a simulation (save, then restore in a
// new process) and the results a parameter sweep sends between MPI ranks.
//
// One function describes what an object holds, for both directions (as Boost.Serialization):
//
//   template <class Archive> void serialize(Archive& ar) {
//       ar("state", state_);          // write, or read back into state_
//       ar.same("n_nodes", n_);       // write; on reading, a mismatch is an error naming the field
//   }
//
// serial::writer calls it to append records, serial::reader to read them back; Archive::loading
// tells which. Records carry their name (with the path of the objects around them, "monitor 1/
// window"), an element kind and a count, so that reading a checkpoint of a different simulation
// fails with a message that names the field, what it holds and what was expected.
//
// What an archive stores:
//   arithmetic values; std::string; std::vector of arithmetic values or SIMD batches (stored as
//   their scalars, lane by lane); std::vector of anything else an archive stores; any type with a
//   member `serialize(Archive&)` (a group of records).
//
// Files (save_file / load_file): a header ("brainweave archive", format version, byte-order mark,
// payload size), the payload, and a 64-bit FNV-1a checksum. save_file writes `<path>.partial`
// and renames it when complete, so that a run killed while writing leaves the previous file intact.
// Byte order and sizes are the machine's (little-endian on every platform brainweave supports);
// the header rejects a file from a machine of the other byte order.
#include <brainweave/core/error.hpp>
#include <brainweave/core/simd.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace brainweave::serial {

/// Element kinds of a record.
enum class kind : std::uint8_t { f64 = 1, f32 = 2, i64 = 3, u64 = 4, text = 5, list = 6, group = 7 };

inline std::string_view kind_name(kind k) noexcept {
    switch (k) {
        case kind::f64: return "double";
        case kind::f32: return "float";
        case kind::i64: return "signed integer";
        case kind::u64: return "unsigned integer";
        case kind::text: return "text";
        case kind::list: return "list";
        case kind::group: return "group";
    }
    return "unknown";
}

namespace detail {
template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

/// The kind a scalar is stored as: floating values as themselves, integers (and bool) widened.
template <class T>
constexpr kind kind_of() {
    if constexpr (std::is_same_v<T, double>)
        return kind::f64;
    else if constexpr (std::is_same_v<T, float>)
        return kind::f32;
    else if constexpr (std::is_signed_v<T>)
        return kind::i64;
    else
        return kind::u64;
}
template <class T>
using stored_t = std::conditional_t<std::is_floating_point_v<T>, T,
                                    std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>>;

template <class T>
concept scalar = std::is_arithmetic_v<T>;
/// A SIMD batch (or a plain scalar) whose lanes are arithmetic scalars.
template <class T>
concept lane_value = simd::is_batch_v<T> && scalar<simd::scalar_t<T>>;
}  // namespace detail

/// Whether T has a member serialize(A&).
template <class T, class A>
concept serializable_member = requires(T& t, A& a) { t.serialize(a); };

/// Scope of the names written or read inside a group (an RAII guard).
class name_path {
public:
    std::string full(std::string_view name) const { return path_.empty() ? std::string(name) : path_ + "/" + std::string(name); }
    std::size_t push(std::string_view name) {
        const std::size_t at = path_.size();
        path_ = full(name);
        return at;
    }
    void pop(std::size_t at) { path_.resize(at); }

private:
    std::string path_;
};

class writer {
public:
    static constexpr bool loading = false;

    /// Appends `value` as record(s) named `name`.
    template <class T>
    void operator()(std::string_view name, const T& value) {
        using detail::kind_of, detail::stored_t;
        if constexpr (detail::scalar<T>) {
            const stored_t<T> v = static_cast<stored_t<T>>(value);
            record(name, kind_of<T>(), sizeof v, 1);
            raw(&v, sizeof v);
        } else if constexpr (std::is_same_v<T, std::string>) {
            record(name, kind::text, 1, value.size());
            raw(value.data(), value.size());
        } else if constexpr (detail::is_vector<T>::value) {
            using E = typename T::value_type;
            if constexpr (detail::scalar<E> && !std::is_same_v<E, bool>) {
                if constexpr (std::is_same_v<E, stored_t<E>>) {
                    record(name, kind_of<E>(), sizeof(E), value.size());
                    raw(value.data(), value.size() * sizeof(E));
                } else {
                    record(name, kind_of<E>(), sizeof(stored_t<E>), value.size());
                    for (const E& e : value) {
                        const stored_t<E> v = static_cast<stored_t<E>>(e);
                        raw(&v, sizeof v);
                    }
                }
            } else if constexpr (detail::lane_value<E>) {
                using S = simd::scalar_t<E>;
                record(name, kind_of<S>(), sizeof(S), value.size() * simd::lanes_v<E>);
                for (const E& e : value)
                    for (std::size_t l = 0; l < simd::lanes_v<E>; ++l) {
                        const S s = simd::lane(e, l);
                        raw(&s, sizeof s);
                    }
            } else {
                record(name, kind::list, 0, value.size());
                const std::size_t at = names_.push(name);
                for (const auto& e : value) (*this)("item", e);
                names_.pop(at);
            }
        } else if constexpr (serializable_member<T, writer>) {
            record(name, kind::group, 0, 0);
            const std::size_t at = names_.push(name);
            const_cast<T&>(value).serialize(*this);  // serialize() only reads its object when writing
            names_.pop(at);
        } else {
            static_assert(serializable_member<T, writer>, "serial::writer: this type has no serialize(Archive&) member");
        }
    }
    /// A value the reader checks against its own (a configuration that must match).
    template <class T>
    void same(std::string_view name, const T& value) {
        (*this)(name, value);
    }
    /// A buffer the reader checks has the size of its own.
    template <class T>
    void sized(std::string_view name, const T& value, std::size_t) {
        (*this)(name, value);
    }

    const std::vector<std::byte>& bytes() const noexcept { return buf_; }
    std::vector<std::byte> release() noexcept { return std::move(buf_); }

private:
    void raw(const void* p, std::size_t n) {
        const auto* b = static_cast<const std::byte*>(p);
        buf_.insert(buf_.end(), b, b + n);
    }
    void record(std::string_view name, kind k, std::uint32_t element_size, std::uint64_t count) {
        const std::string full = names_.full(name);
        const auto len = static_cast<std::uint32_t>(full.size());
        raw(&len, sizeof len);
        raw(full.data(), full.size());
        raw(&k, sizeof k);
        raw(&element_size, sizeof element_size);
        raw(&count, sizeof count);
    }

    std::vector<std::byte> buf_;
    name_path names_;
};

class reader {
public:
    static constexpr bool loading = true;

    /// Reads records from `bytes`; `source` names them in error messages ("checkpoint run.bwck").
    reader(std::span<const std::byte> bytes, std::string source) : bytes_(bytes), source_(std::move(source)) {}

    template <class T>
    void operator()(std::string_view name, T& value) {
        using detail::kind_of, detail::stored_t;
        if constexpr (detail::scalar<T>) {
            expect(name, kind_of<T>(), sizeof(stored_t<T>), 1);
            stored_t<T> v;
            raw(&v, sizeof v);
            value = static_cast<T>(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
            const auto n = expect(name, kind::text, 1, any_count);
            value.resize(n);
            raw(value.data(), n);
        } else if constexpr (detail::is_vector<T>::value) {
            using E = typename T::value_type;
            if constexpr (detail::scalar<E> && !std::is_same_v<E, bool>) {
                const auto n = expect(name, kind_of<E>(), sizeof(stored_t<E>), any_count);
                value.resize(n);
                if constexpr (std::is_same_v<E, stored_t<E>>) {
                    raw(value.data(), n * sizeof(E));
                } else {
                    for (auto& e : value) {
                        stored_t<E> v;
                        raw(&v, sizeof v);
                        e = static_cast<E>(v);
                    }
                }
            } else if constexpr (detail::lane_value<E>) {
                using S = simd::scalar_t<E>;
                constexpr std::size_t L = simd::lanes_v<E>;
                const auto n = expect(name, kind_of<S>(), sizeof(S), any_count);
                if (n % L != 0)
                    fail(name, std::to_string(n) + " values, not a whole number of " + std::to_string(L) + "-lane batches");
                value.resize(n / L);
                std::array<S, L> lanes;
                for (auto& e : value) {
                    raw(lanes.data(), sizeof lanes);
                    e = E::load_unaligned(lanes.data());
                }
            } else {
                const auto n = expect(name, kind::list, 0, any_count);
                value.resize(n);
                const std::size_t at = names_.push(name);
                for (auto& e : value) (*this)("item", e);
                names_.pop(at);
            }
        } else if constexpr (serializable_member<T, reader>) {
            expect(name, kind::group, 0, 0);
            const std::size_t at = names_.push(name);
            value.serialize(*this);
            names_.pop(at);
        } else {
            static_assert(serializable_member<T, reader>, "serial::reader: this type has no serialize(Archive&) member");
        }
    }
    /// Reads the stored value and fails unless it equals `current` (this side's configuration).
    template <class T>
    void same(std::string_view name, const T& current) {
        T stored{};
        (*this)(name, stored);
        if (stored != current)
            throw config_error(source_ + ": '" + names_.full(name) + "' is " + show(stored) + " there and " + show(current) +
                               " in this simulation; restore a checkpoint into a simulation configured as the one that "
                               "saved it");
    }
    /// Reads a stored value into `value` and fails unless it has `expected` elements (a buffer sized
    /// by this side's configuration).
    template <class T>
    void sized(std::string_view name, T& value, std::size_t expected) {
        (*this)(name, value);
        if (value.size() != expected)
            throw config_error(source_ + ": '" + names_.full(name) + "' holds " + std::to_string(value.size()) +
                               " values there and " + std::to_string(expected) + " in this simulation");
    }

    bool at_end() const noexcept { return pos_ == bytes_.size(); }
    const std::string& source() const noexcept { return source_; }

private:
    static constexpr std::uint64_t any_count = ~std::uint64_t{0};

    template <class T>
    static std::string show(const T& v) {
        if constexpr (std::is_same_v<T, std::string>)
            return "'" + v + "'";
        else if constexpr (detail::scalar<T>)
            return std::to_string(v);
        else
            return "different";
    }
    [[noreturn]] void fail(std::string_view name, const std::string& what) const {
        throw io_error(source_ + ": record '" + names_.full(name) + "': " + what);
    }
    void raw(void* p, std::size_t n) {
        if (n > bytes_.size() - pos_)
            throw io_error(source_ + ": truncated at byte " + std::to_string(pos_) + " (" + std::to_string(n) +
                           " more bytes expected, " + std::to_string(bytes_.size() - pos_) + " left)");
        if (n) std::memcpy(p, bytes_.data() + pos_, n);
        pos_ += n;
    }
    /// Reads a record header and checks it; returns the count.
    std::uint64_t expect(std::string_view name, kind k, std::uint32_t element_size, std::uint64_t count) {
        std::uint32_t len = 0;
        raw(&len, sizeof len);
        if (len > bytes_.size() - pos_) fail(name, "malformed record name (length " + std::to_string(len) + ")");
        std::string found(len, '\0');
        raw(found.data(), len);
        const std::string full = names_.full(name);
        if (found != full) fail(name, "found '" + found + "' where it was expected (the archive holds other records)");
        kind fk{};
        std::uint32_t fsize = 0;
        std::uint64_t fcount = 0;
        raw(&fk, sizeof fk);
        raw(&fsize, sizeof fsize);
        raw(&fcount, sizeof fcount);
        if (fk != k || fsize != element_size)
            fail(name, "holds " + std::string(kind_name(fk)) + " (" + std::to_string(fsize) + "-byte) values, expected " +
                           std::string(kind_name(k)) + " (" + std::to_string(element_size) + "-byte)");
        if (count != any_count && fcount != count)
            fail(name, "holds " + std::to_string(fcount) + " values, expected " + std::to_string(count));
        if (element_size && fcount > (bytes_.size() - pos_) / element_size)
            fail(name, "claims " + std::to_string(fcount) + " values, more than the " + std::to_string(bytes_.size() - pos_) +
                           " bytes left");
        if (!element_size && fcount > bytes_.size() - pos_)  // lists: every item takes at least one byte
            fail(name, "claims " + std::to_string(fcount) + " items, more than the bytes left");
        return fcount;
    }

    std::span<const std::byte> bytes_;
    std::size_t pos_ = 0;
    std::string source_;
    name_path names_;
};

/// The elements of a container whose length is configuration (a network's projections and
/// recorders): the count is checked on reading ("<name>s"), each element is read in place
/// ("<name> <k>").
template <class Archive, class Container>
void each(Archive& ar, const std::string& name, Container& c) {
    ar.same(name + "s", c.size());
    for (std::size_t k = 0; k < c.size(); ++k) ar(name + " " + std::to_string(k), c[k]);
}

namespace detail {
inline constexpr char file_magic[16] = {'b', 'r', 'a', 'i', 'n', 'w', 'e', 'a', 'v', 'e', ' ', 'a', 'r', 'c', 'h', '\n'};
inline constexpr std::uint32_t file_version = 1, byte_order_mark = 0x01020304u;

inline std::uint64_t fnv1a(std::span<const std::byte> b) noexcept {
    std::uint64_t h = 1469598103934665603ull;
    for (std::byte x : b) h = (h ^ static_cast<std::uint64_t>(x)) * 1099511628211ull;
    return h;
}
}  // namespace detail

/// Writes `payload` (a writer's bytes) to `path` with header and checksum: first to
/// `<path>.partial`, renamed to `path` once complete.
inline void save_file(const std::filesystem::path& path, std::span<const std::byte> payload) {
    const std::filesystem::path partial = path.string() + ".partial";
    {
        std::ofstream f(partial, std::ios::binary | std::ios::trunc);
        if (!f) throw io_error("cannot open " + partial.string() + " for writing");
        const std::uint64_t size = payload.size(), sum = detail::fnv1a(payload);
        f.write(detail::file_magic, sizeof detail::file_magic);
        f.write(reinterpret_cast<const char*>(&detail::file_version), sizeof detail::file_version);
        f.write(reinterpret_cast<const char*>(&detail::byte_order_mark), sizeof detail::byte_order_mark);
        f.write(reinterpret_cast<const char*>(&size), sizeof size);
        f.write(reinterpret_cast<const char*>(payload.data()), static_cast<std::streamsize>(payload.size()));
        f.write(reinterpret_cast<const char*>(&sum), sizeof sum);
        f.flush();
        if (!f) {
            f.close();
            std::error_code ec;
            std::filesystem::remove(partial, ec);
            throw io_error("writing " + partial.string() + " failed (disk full?); " + path.string() + " was left as it was");
        }
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) throw io_error("cannot rename " + partial.string() + " to " + path.string() + ": " + ec.message());
}

/// Reads a file written by save_file, checks header and checksum, and returns its payload.
inline std::vector<std::byte> load_file(const std::filesystem::path& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw io_error("cannot open " + path.string() + " (a brainweave archive was expected)");
    const std::string p = path.string();
    char magic[sizeof detail::file_magic];
    std::uint32_t version = 0, bom = 0;
    std::uint64_t size = 0;
    f.read(magic, sizeof magic);
    if (!f || std::memcmp(magic, detail::file_magic, sizeof magic) != 0)
        throw io_error(p + ": not a brainweave archive (its first bytes are not \"brainweave arch\")");
    f.read(reinterpret_cast<char*>(&version), sizeof version);
    f.read(reinterpret_cast<char*>(&bom), sizeof bom);
    f.read(reinterpret_cast<char*>(&size), sizeof size);
    if (!f) throw io_error(p + ": truncated header");
    if (version != detail::file_version)
        throw io_error(p + ": archive format version " + std::to_string(version) + ", this brainweave reads version " +
                       std::to_string(detail::file_version));
    if (bom != detail::byte_order_mark) throw io_error(p + ": written on a machine of the other byte order");
    f.seekg(0, std::ios::end);
    const auto total = static_cast<std::uint64_t>(f.tellg());
    const std::uint64_t header = sizeof magic + sizeof version + sizeof bom + sizeof size;
    if (total < header + sizeof(std::uint64_t) || size != total - header - sizeof(std::uint64_t))
        throw io_error(p + ": the header announces " + std::to_string(size) + " bytes of records, the file holds " +
                       std::to_string(total >= header + 8 ? total - header - 8 : 0) + " (truncated or corrupt)");
    f.seekg(static_cast<std::streamoff>(header));
    std::vector<std::byte> payload(size);
    std::uint64_t sum = 0;
    f.read(reinterpret_cast<char*>(payload.data()), static_cast<std::streamsize>(size));
    f.read(reinterpret_cast<char*>(&sum), sizeof sum);
    if (!f) throw io_error(p + ": read error");
    if (sum != detail::fnv1a(payload)) throw io_error(p + ": checksum mismatch (the file is corrupt)");
    return payload;
}

/// Writes obj's records to `path` as one archive.
template <class T>
void save(const std::filesystem::path& path, const T& obj, std::string_view name) {
    writer w;
    w(name, obj);
    save_file(path, w.bytes());
}

namespace detail {
template <class T>
void read_all(std::span<const std::byte> payload, const std::filesystem::path& path, T& obj, std::string_view name) {
    reader r(payload, path.string());
    r(name, obj);
    if (!r.at_end()) throw io_error(path.string() + ": records left after '" + std::string(name) + "' (a different archive?)");
}
}  // namespace detail

/// Reads obj's records from `path` (written by save with the same name) and checks that nothing is
/// left. On an error obj may be partly read: see restore.
template <class T>
void load(const std::filesystem::path& path, T& obj, std::string_view name) {
    detail::read_all(load_file(path), path, obj, name);
}

/// Restores obj from `path` all or nothing: the records are read into a trial object first, which
/// checks every one of them, then into obj itself. On any error obj is unchanged, and obj stays
/// where it is (references to its parts, e.g. a simulator's monitors, remain valid). The trial is a
/// copy of obj, or what make_trial() returns: an object with the same records that owns copies of
/// what obj only refers to (a co-simulator's simulator and spiking side).
template <class T, class MakeTrial>
void restore(const std::filesystem::path& path, T& obj, std::string_view name, MakeTrial make_trial) {
    const auto payload = load_file(path);
    {
        auto trial = make_trial();
        detail::read_all(payload, path, trial, name);
    }
    detail::read_all(payload, path, obj, name);
}
template <class T>
void restore(const std::filesystem::path& path, T& obj, std::string_view name) {
    restore(path, obj, name, [&] { return T(obj); });
}

}  // namespace brainweave::serial
