#pragma once
// Thin RAII wrappers over the HDF5 C API (Debian's libhdf5-dev), enough for the NWB and SONATA
// writers and for reading files back in tests. Needs the CMake target brainweave::hdf5
// (BRAINWEAVE_WITH_HDF5).
//
// Every failing call throws brainweave::io_error naming the file, the object path and what was
// being done; HDF5's own error stack printing is switched off while a brainweave file is open.
//
//   hdf5::file f = hdf5::file::create("out.h5");
//   auto g = f.root().create_group("spikes");
//   g.write_attribute("units", "ms");
//   auto ts = hdf5::appendable<double>(g, "timestamps", {});   // chunked, unlimited first dimension
//   ts.append(values);                                           // one row per value here
//
// Strings are variable-length UTF-8, as h5py and pynwb write them.
#ifndef BRAINWEAVE_WITH_HDF5
#error "brainweave/io/hdf5: link the CMake target brainweave::hdf5 (it defines BRAINWEAVE_WITH_HDF5 and adds HDF5)"
#endif

#include <brainweave/core/error.hpp>

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace brainweave::hdf5 {

/// An HDF5 identifier closed by its own close function.
class handle {
public:
    using closer = herr_t (*)(hid_t);
    handle() = default;
    handle(hid_t id, closer close) noexcept : id_(id), close_(close) {}
    handle(const handle&) = delete;
    handle& operator=(const handle&) = delete;
    handle(handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), close_(o.close_) {}
    handle& operator=(handle&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, H5I_INVALID_HID);
            close_ = o.close_;
        }
        return *this;
    }
    ~handle() { reset(); }
    void reset() noexcept {
        if (id_ >= 0 && close_) close_(id_);
        id_ = H5I_INVALID_HID;
    }
    hid_t get() const noexcept { return id_; }
    /// Gives up ownership without closing.
    hid_t release() noexcept { return std::exchange(id_, H5I_INVALID_HID); }
    explicit operator bool() const noexcept { return id_ >= 0; }

private:
    hid_t id_ = H5I_INVALID_HID;
    closer close_ = nullptr;
};

namespace detail {

/// The file name and object path of an identifier, for messages.
inline std::string where(hid_t id) {
    std::string file, path;
    if (ssize_t n = H5Fget_name(id, nullptr, 0); n > 0) {
        file.resize(static_cast<std::size_t>(n));
        H5Fget_name(id, file.data(), file.size() + 1);
    }
    if (ssize_t n = H5Iget_name(id, nullptr, 0); n > 0) {
        path.resize(static_cast<std::size_t>(n));
        H5Iget_name(id, path.data(), path.size() + 1);
    }
    return "'" + file + "' " + (path.empty() ? "/" : path);
}

[[noreturn]] inline void fail(hid_t at, std::string_view what) {
    throw io_error("HDF5: " + where(at) + ": " + std::string(what));
}

inline hid_t check(hid_t id, hid_t at, std::string_view what) {
    if (id < 0) fail(at, what);
    return id;
}
inline void check_status(herr_t s, hid_t at, std::string_view what) {
    if (s < 0) fail(at, what);
}

/// The HDF5 memory type of a C++ arithmetic type.
template <class T>
hid_t native_type() {
    if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
    else if constexpr (std::is_same_v<T, float>) return H5T_NATIVE_FLOAT;
    else if constexpr (std::is_same_v<T, std::int8_t>) return H5T_NATIVE_INT8;
    else if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_NATIVE_UINT8;
    else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
    else if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_NATIVE_UINT32;
    else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
    else if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
    else static_assert(sizeof(T) == 0, "brainweave::hdf5: unsupported element type");
}

/// Variable-length UTF-8 string type.
inline handle string_type() {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return {t, H5Tclose};
}

inline handle simple_space(std::span<const hsize_t> dims, std::span<const hsize_t> max = {}) {
    if (dims.empty()) return {H5Screate(H5S_SCALAR), H5Sclose};
    return {H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max.empty() ? nullptr : max.data()), H5Sclose};
}

/// Pointers to the characters of each string (HDF5 reads variable-length strings from char*[]).
inline std::vector<const char*> c_strings(std::span<const std::string> s) {
    std::vector<const char*> p(s.size());
    for (std::size_t k = 0; k < s.size(); ++k) p[k] = s[k].c_str();
    return p;
}

/// Silences HDF5's automatic error printing while any brainweave file is open (errors become
/// exceptions with their own messages).
inline void quiet_errors() noexcept { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

}  // namespace detail

/// What an object is, for reading back.
enum class kind { none, group, dataset, other };

/// A group or dataset (or the file's root): attributes, children, reading.
class object {
public:
    object() = default;
    explicit object(handle h) : h_(std::move(h)) {}
    hid_t id() const noexcept { return h_.get(); }
    bool valid() const noexcept { return static_cast<bool>(h_); }
    bool is_dataset() const noexcept { return H5Iget_type(id()) == H5I_DATASET; }
    std::string path() const { return detail::where(id()); }

    // ---- children -------------------------------------------------------------------------------
    bool exists(const std::string& name) const {
        // Walk the path one link at a time: H5Lexists fails on a missing intermediate group.
        std::size_t start = name.empty() || name[0] != '/' ? 0 : 1;
        while (true) {
            const auto slash = name.find('/', start);
            const std::string prefix = name.substr(0, slash);
            if (H5Lexists(id(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
            if (slash == std::string::npos) return true;
            start = slash + 1;
        }
    }
    kind kind_of(const std::string& name) const {
        if (!exists(name)) return kind::none;
        H5O_info_t info;
        detail::check_status(H5Oget_info_by_name(id(), name.c_str(), &info, H5P_DEFAULT), id(),
                             "cannot inspect '" + name + "'");
        return info.type == H5O_TYPE_GROUP ? kind::group : info.type == H5O_TYPE_DATASET ? kind::dataset : kind::other;
    }
    object open(const std::string& name) const {
        if (!exists(name)) detail::fail(id(), "no object '" + name + "'");
        return object(handle(detail::check(H5Oopen(id(), name.c_str(), H5P_DEFAULT), id(), "cannot open '" + name + "'"),
                             H5Oclose));
    }
    object create_group(const std::string& name) const {
        return object(handle(detail::check(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), id(),
                                           "cannot create group '" + name + "'"),
                             H5Gclose));
    }
    /// The names of the links in this group, in name order.
    std::vector<std::string> children() const {
        std::vector<std::string> out;
        auto add = [](hid_t, const char* n, const H5L_info_t*, void* data) -> herr_t {
            static_cast<std::vector<std::string>*>(data)->emplace_back(n);
            return 0;
        };
        detail::check_status(H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, add, &out), id(), "cannot list members");
        return out;
    }
    /// A soft link `name` -> absolute path `target` (how pynwb stores links between objects).
    void link(const std::string& name, const std::string& target) const {
        detail::check_status(H5Lcreate_soft(target.c_str(), id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), id(),
                             "cannot create link '" + name + "' -> '" + target + "'");
    }
    /// The target path of soft link `name` ("" if it is not a soft link).
    std::string link_target(const std::string& name) const {
        H5L_info_t info;
        if (H5Lget_info(id(), name.c_str(), &info, H5P_DEFAULT) < 0 || info.type != H5L_TYPE_SOFT) return {};
        std::string v(info.u.val_size, '\0');
        H5Lget_val(id(), name.c_str(), v.data(), v.size(), H5P_DEFAULT);
        return v.c_str();
    }

    // ---- attributes -----------------------------------------------------------------------------
    bool has_attribute(const std::string& name) const { return H5Aexists(id(), name.c_str()) > 0; }
    std::vector<std::string> attribute_names() const {
        std::vector<std::string> out;
        auto add = [](hid_t, const char* n, const H5A_info_t*, void* data) -> herr_t {
            static_cast<std::vector<std::string>*>(data)->emplace_back(n);
            return 0;
        };
        hsize_t idx = 0;
        detail::check_status(H5Aiterate2(id(), H5_INDEX_NAME, H5_ITER_INC, &idx, add, &out), id(), "cannot list attributes");
        return out;
    }
    void write_attribute(const std::string& name, std::string_view value) const {
        const std::string s(value);
        write_string_attribute(name, std::span<const std::string>(&s, 1), true);
    }
    void write_attribute(const std::string& name, const char* value) const { write_attribute(name, std::string_view(value)); }
    /// A 1-D array of strings (e.g. DynamicTable's colnames).
    void write_attribute(const std::string& name, std::span<const std::string> values) const {
        write_string_attribute(name, values, false);
    }
    template <class T>
        requires std::is_arithmetic_v<T>
    void write_attribute(const std::string& name, T value) const {
        write_numeric_attribute<T>(name, std::span<const T>(&value, 1), true);
    }
    template <class T>
        requires std::is_arithmetic_v<T>
    void write_attribute(const std::string& name, std::span<const T> values) const {
        write_numeric_attribute<T>(name, values, false);
    }
    /// An object reference attribute to the object at absolute path `target` (VectorIndex.target,
    /// the file's .specloc).
    void write_reference_attribute(const std::string& name, const std::string& target) const {
        hobj_ref_t ref;
        detail::check_status(H5Rcreate(&ref, id(), target.c_str(), H5R_OBJECT, -1), id(),
                             "cannot reference '" + target + "'");
        auto space = detail::simple_space({});
        remove_attribute(name);
        handle a(detail::check(H5Acreate2(id(), name.c_str(), H5T_STD_REF_OBJ, space.get(), H5P_DEFAULT, H5P_DEFAULT), id(),
                               "cannot create attribute '" + name + "'"),
                 H5Aclose);
        detail::check_status(H5Awrite(a.get(), H5T_STD_REF_OBJ, &ref), id(), "cannot write attribute '" + name + "'");
    }
    /// An enumeration attribute (SONATA's `sorting`): the value `value` of a uint8 enum with
    /// members `names` numbered from 0.
    void write_enum_attribute(const std::string& name, std::span<const std::string> names, std::uint8_t value) const {
        handle t(H5Tenum_create(H5T_NATIVE_UINT8), H5Tclose);
        for (std::size_t k = 0; k < names.size(); ++k) {
            const auto v = static_cast<std::uint8_t>(k);
            H5Tenum_insert(t.get(), names[k].c_str(), &v);
        }
        auto space = detail::simple_space({});
        remove_attribute(name);
        handle a(detail::check(H5Acreate2(id(), name.c_str(), t.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), id(),
                               "cannot create attribute '" + name + "'"),
                 H5Aclose);
        detail::check_status(H5Awrite(a.get(), t.get(), &value), id(), "cannot write attribute '" + name + "'");
    }

    /// Reads a string attribute (scalar or the first element of an array).
    std::string read_string_attribute(const std::string& name) const {
        auto v = read_string_attribute_array(name);
        if (v.empty()) detail::fail(id(), "attribute '" + name + "' is empty");
        return v.front();
    }
    std::vector<std::string> read_string_attribute_array(const std::string& name) const {
        handle a = open_attribute(name);
        handle ft(H5Aget_type(a.get()), H5Tclose);
        if (H5Tget_class(ft.get()) != H5T_STRING) detail::fail(id(), "attribute '" + name + "' is not a string");
        handle space(H5Aget_space(a.get()), H5Sclose);
        const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
        if (H5Tis_variable_str(ft.get()) > 0) {
            std::vector<char*> p(n, nullptr);
            auto mt = detail::string_type();
            detail::check_status(H5Aread(a.get(), mt.get(), p.data()), id(), "cannot read attribute '" + name + "'");
            std::vector<std::string> out(p.begin(), p.end());
            H5Dvlen_reclaim(mt.get(), space.get(), H5P_DEFAULT, p.data());
            return out;
        }
        const std::size_t len = H5Tget_size(ft.get());
        std::string buf(n * len, '\0');
        detail::check_status(H5Aread(a.get(), ft.get(), buf.data()), id(), "cannot read attribute '" + name + "'");
        std::vector<std::string> out;
        for (std::size_t k = 0; k < n; ++k) out.emplace_back(buf.substr(k * len, len).c_str());
        return out;
    }
    template <class T>
    std::vector<T> read_numeric_attribute(const std::string& name) const {
        handle a = open_attribute(name);
        handle space(H5Aget_space(a.get()), H5Sclose);
        std::vector<T> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
        detail::check_status(H5Aread(a.get(), detail::native_type<T>(), v.data()), id(),
                             "cannot read attribute '" + name + "' as a number");
        return v;
    }
    /// HDF5 type class of an attribute (H5T_STRING, H5T_FLOAT, H5T_INTEGER, H5T_REFERENCE, H5T_ENUM).
    H5T_class_t attribute_class(const std::string& name) const {
        handle a = open_attribute(name);
        handle t(H5Aget_type(a.get()), H5Tclose);
        return H5Tget_class(t.get());
    }
    /// Whether an integer attribute is stored signed.
    bool attribute_is_signed(const std::string& name) const {
        handle a = open_attribute(name);
        handle t(H5Aget_type(a.get()), H5Tclose);
        return H5Tget_class(t.get()) != H5T_INTEGER || H5Tget_sign(t.get()) == H5T_SGN_2;
    }
    /// Size in bytes of an attribute's stored element type.
    std::size_t attribute_type_size(const std::string& name) const {
        handle a = open_attribute(name);
        handle t(H5Aget_type(a.get()), H5Tclose);
        return H5Tget_size(t.get());
    }
    /// The path of the object an object-reference attribute points to.
    std::string read_reference_attribute(const std::string& name) const {
        handle a = open_attribute(name);
        hobj_ref_t ref;
        detail::check_status(H5Aread(a.get(), H5T_STD_REF_OBJ, &ref), id(), "cannot read reference '" + name + "'");
        handle target(detail::check(H5Rdereference2(id(), H5P_DEFAULT, H5R_OBJECT, &ref), id(),
                                    "cannot follow reference '" + name + "'"),
                      H5Oclose);
        ssize_t n = H5Iget_name(target.get(), nullptr, 0);
        std::string p(static_cast<std::size_t>(std::max<ssize_t>(n, 0)), '\0');
        H5Iget_name(target.get(), p.data(), p.size() + 1);
        return p;
    }
    /// The name of the member of an enumeration attribute's value.
    std::string read_enum_attribute(const std::string& name) const {
        handle a = open_attribute(name);
        handle t(H5Aget_type(a.get()), H5Tclose);
        if (H5Tget_class(t.get()) != H5T_ENUM) detail::fail(id(), "attribute '" + name + "' is not an enumeration");
        std::uint64_t raw = 0;
        detail::check_status(H5Aread(a.get(), t.get(), &raw), id(), "cannot read attribute '" + name + "'");
        char buf[256] = {};
        detail::check_status(H5Tenum_nameof(t.get(), &raw, buf, sizeof buf), id(), "bad enumeration value in '" + name + "'");
        return buf;
    }

    // ---- whole datasets -------------------------------------------------------------------------
    /// Scalar string dataset.
    object write_dataset(const std::string& name, std::string_view value) const {
        auto t = detail::string_type();
        auto space = detail::simple_space({});
        object d = create_dataset(name, t.get(), space.get(), H5P_DEFAULT);
        const std::string s(value);
        const char* p = s.c_str();
        detail::check_status(H5Dwrite(d.id(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), id(),
                             "cannot write '" + name + "'");
        return d;
    }
    /// 1-D string dataset.
    object write_dataset(const std::string& name, std::span<const std::string> values) const {
        auto t = detail::string_type();
        const hsize_t n = values.size();
        auto space = detail::simple_space(std::span<const hsize_t>(&n, 1));
        object d = create_dataset(name, t.get(), space.get(), H5P_DEFAULT);
        auto p = detail::c_strings(values);
        if (n)
            detail::check_status(H5Dwrite(d.id(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), id(),
                                 "cannot write '" + name + "'");
        return d;
    }
    /// Numeric dataset of shape `shape` ({} = scalar) stored as T.
    template <class T>
    object write_dataset(const std::string& name, std::span<const T> values, std::vector<hsize_t> shape) const {
        auto space = detail::simple_space(shape);
        object d = create_dataset(name, detail::native_type<T>(), space.get(), H5P_DEFAULT);
        if (!values.empty())
            detail::check_status(H5Dwrite(d.id(), detail::native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                                 id(), "cannot write '" + name + "'");
        return d;
    }
    /// 1-D dataset of object references to the objects at absolute paths `targets`.
    object write_reference_dataset(const std::string& name, std::span<const std::string> targets) const {
        std::vector<hobj_ref_t> refs(targets.size());
        for (std::size_t k = 0; k < targets.size(); ++k)
            detail::check_status(H5Rcreate(&refs[k], id(), targets[k].c_str(), H5R_OBJECT, -1), id(),
                                 "cannot reference '" + targets[k] + "'");
        const hsize_t n = targets.size();
        auto space = detail::simple_space(std::span<const hsize_t>(&n, 1));
        object d = create_dataset(name, H5T_STD_REF_OBJ, space.get(), H5P_DEFAULT);
        if (n)
            detail::check_status(H5Dwrite(d.id(), H5T_STD_REF_OBJ, H5S_ALL, H5S_ALL, H5P_DEFAULT, refs.data()), id(),
                                 "cannot write '" + name + "'");
        return d;
    }
    template <class T>
    object write_dataset(const std::string& name, const std::vector<T>& values) const {
        return write_dataset<T>(name, std::span<const T>(values), {static_cast<hsize_t>(values.size())});
    }
    template <class T>
        requires std::is_arithmetic_v<T>
    object write_scalar(const std::string& name, T value) const {
        return write_dataset<T>(name, std::span<const T>(&value, 1), {});
    }
    /// Rewrites a scalar string dataset in place (variable-length strings may change length).
    void overwrite_string(const std::string& name, std::string_view value) const {
        object d = open(name);
        auto t = detail::string_type();
        const std::string s(value);
        const char* p = s.c_str();
        detail::check_status(H5Dwrite(d.id(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), id(),
                             "cannot rewrite '" + name + "'");
    }

    /// Shape of this dataset.
    std::vector<hsize_t> shape() const {
        handle space(H5Dget_space(id()), H5Sclose);
        const int rank = H5Sget_simple_extent_ndims(space.get());
        std::vector<hsize_t> d(static_cast<std::size_t>(std::max(rank, 0)));
        if (rank > 0) H5Sget_simple_extent_dims(space.get(), d.data(), nullptr);
        return d;
    }
    /// Chunk shape of this dataset (empty if it is not chunked).
    std::vector<hsize_t> chunks() const {
        handle plist(H5Dget_create_plist(id()), H5Pclose);
        if (H5Pget_layout(plist.get()) != H5D_CHUNKED) return {};
        std::vector<hsize_t> c(32);
        const int rank = H5Pget_chunk(plist.get(), static_cast<int>(c.size()), c.data());
        c.resize(static_cast<std::size_t>(std::max(rank, 0)));
        return c;
    }
    H5T_class_t type_class() const {
        handle t(H5Dget_type(id()), H5Tclose);
        return H5Tget_class(t.get());
    }
    std::size_t type_size() const {
        handle t(H5Dget_type(id()), H5Tclose);
        return H5Tget_size(t.get());
    }
    bool type_is_signed() const {
        handle t(H5Dget_type(id()), H5Tclose);
        return H5Tget_class(t.get()) != H5T_INTEGER || H5Tget_sign(t.get()) == H5T_SGN_2;
    }
    /// Reads this numeric dataset (converted to T), C order.
    template <class T>
    std::vector<T> read() const {
        handle space(H5Dget_space(id()), H5Sclose);
        std::vector<T> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
        if (!v.empty())
            detail::check_status(H5Dread(id(), detail::native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), id(),
                                 "cannot read as numbers");
        return v;
    }
    /// Rows [first, first + count) of this numeric dataset along its first dimension, C order.
    template <class T>
    std::vector<T> read_rows(hsize_t first, hsize_t count) const {
        auto dims = shape();
        if (dims.empty() || first + count > dims[0]) detail::fail(id(), "rows out of range");
        std::vector<hsize_t> start(dims.size(), 0), cnt = dims;
        start[0] = first;
        cnt[0] = count;
        handle fs(H5Dget_space(id()), H5Sclose);
        H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start.data(), nullptr, cnt.data(), nullptr);
        auto ms = detail::simple_space(cnt);
        std::size_t n = 1;
        for (auto c : cnt) n *= static_cast<std::size_t>(c);
        std::vector<T> v(n);
        if (n)
            detail::check_status(H5Dread(id(), detail::native_type<T>(), ms.get(), fs.get(), H5P_DEFAULT, v.data()), id(),
                                 "cannot read rows");
        return v;
    }
    /// Writes `values` as whole rows (each of `row_shape`) starting at row `first` of this dataset,
    /// which must already be that large; for a 1-D dataset row_shape is {}.
    template <class T>
    void write_rows(hsize_t first, std::span<const T> values, const std::vector<hsize_t>& row_shape = {}) const {
        hsize_t row = 1;
        for (auto d : row_shape) row *= d;
        std::vector<hsize_t> start{first}, count{row ? values.size() / row : 0};
        for (auto d : row_shape) {
            start.push_back(0);
            count.push_back(d);
        }
        handle fs(H5Dget_space(id()), H5Sclose);
        H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
        auto ms = detail::simple_space(count);
        detail::check_status(H5Dwrite(id(), detail::native_type<T>(), ms.get(), fs.get(), H5P_DEFAULT, values.data()), id(),
                             "cannot write rows " + std::to_string(first) + ".." + std::to_string(first + count[0]));
    }
    /// Reads this string dataset (scalar: one element).
    std::vector<std::string> read_strings() const {
        handle ft(H5Dget_type(id()), H5Tclose);
        if (H5Tget_class(ft.get()) != H5T_STRING) detail::fail(id(), "is not a string dataset");
        handle space(H5Dget_space(id()), H5Sclose);
        const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
        if (H5Tis_variable_str(ft.get()) <= 0) {
            const std::size_t len = H5Tget_size(ft.get());
            std::string buf(n * len, '\0');
            detail::check_status(H5Dread(id(), ft.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), id(), "cannot read");
            std::vector<std::string> out;
            for (std::size_t k = 0; k < n; ++k) out.emplace_back(buf.substr(k * len, len).c_str());
            return out;
        }
        std::vector<char*> p(n, nullptr);
        auto mt = detail::string_type();
        if (n) detail::check_status(H5Dread(id(), mt.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()), id(), "cannot read");
        std::vector<std::string> out;
        for (auto* c : p) out.emplace_back(c ? c : "");
        if (n) H5Dvlen_reclaim(mt.get(), space.get(), H5P_DEFAULT, p.data());
        return out;
    }

    /// Creates a dataset with explicit type, space and creation properties.
    object create_dataset(const std::string& name, hid_t type, hid_t space, hid_t dcpl) const {
        return object(handle(detail::check(H5Dcreate2(id(), name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), id(),
                                           "cannot create dataset '" + name + "'"),
                             H5Dclose));
    }

private:
    handle open_attribute(const std::string& name) const {
        if (!has_attribute(name)) detail::fail(id(), "has no attribute '" + name + "'");
        return {detail::check(H5Aopen(id(), name.c_str(), H5P_DEFAULT), id(), "cannot open attribute '" + name + "'"),
                H5Aclose};
    }
    void remove_attribute(const std::string& name) const {
        if (has_attribute(name)) H5Adelete(id(), name.c_str());
    }
    void write_string_attribute(const std::string& name, std::span<const std::string> values, bool scalar) const {
        auto t = detail::string_type();
        const hsize_t n = values.size();
        auto space = scalar ? detail::simple_space({}) : detail::simple_space(std::span<const hsize_t>(&n, 1));
        remove_attribute(name);
        handle a(detail::check(H5Acreate2(id(), name.c_str(), t.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), id(),
                               "cannot create attribute '" + name + "'"),
                 H5Aclose);
        auto p = detail::c_strings(values);
        if (!p.empty())
            detail::check_status(H5Awrite(a.get(), t.get(), p.data()), id(), "cannot write attribute '" + name + "'");
    }
    template <class T>
    void write_numeric_attribute(const std::string& name, std::span<const T> values, bool scalar) const {
        const hsize_t n = values.size();
        auto space = scalar ? detail::simple_space({}) : detail::simple_space(std::span<const hsize_t>(&n, 1));
        remove_attribute(name);
        handle a(detail::check(H5Acreate2(id(), name.c_str(), detail::native_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                               id(), "cannot create attribute '" + name + "'"),
                 H5Aclose);
        if (n)
            detail::check_status(H5Awrite(a.get(), detail::native_type<T>(), values.data()), id(),
                                 "cannot write attribute '" + name + "'");
    }

    handle h_;
};

/// An open HDF5 file.
class file {
public:
    file() = default;  ///< no file open
    /// Creates (truncates) `path`.
    static file create(const std::filesystem::path& path) {
        detail::quiet_errors();
        const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        if (id < 0) throw io_error("HDF5: cannot create '" + path.string() + "' (is the folder there and writable?)");
        return file(handle(id, H5Fclose), path);
    }
    /// Opens `path` for reading (or writing).
    static file open(const std::filesystem::path& path, bool writable = false) {
        detail::quiet_errors();
        if (!std::filesystem::exists(path)) throw io_error("HDF5: '" + path.string() + "' does not exist");
        if (H5Fis_hdf5(path.c_str()) <= 0) throw io_error("'" + path.string() + "' is not an HDF5 file");
        const hid_t id = H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT);
        if (id < 0) throw io_error("HDF5: cannot open '" + path.string() + "'");
        return file(handle(id, H5Fclose), path);
    }

    object root() const {
        return object(handle(detail::check(H5Gopen2(h_.get(), "/", H5P_DEFAULT), h_.get(), "cannot open the root group"),
                             H5Gclose));
    }
    /// Writes everything buffered to disk (the file stays open).
    void flush() const { detail::check_status(H5Fflush(h_.get(), H5F_SCOPE_GLOBAL), h_.get(), "cannot flush"); }
    /// Closes the file; errors (e.g. a full disk) are reported here rather than lost in a destructor.
    void close() {
        if (!h_) return;
        if (H5Fclose(h_.release()) < 0) throw io_error("HDF5: cannot close '" + path_.string() + "' (disk full?)");
    }
    const std::filesystem::path& path() const noexcept { return path_; }
    explicit operator bool() const noexcept { return static_cast<bool>(h_); }

private:
    file(handle h, std::filesystem::path p) : h_(std::move(h)), path_(std::move(p)) {}
    handle h_;
    std::filesystem::path path_;
};

/// A chunked dataset of T with an unlimited first dimension, extended by append(): how long
/// recordings reach disk without being held in memory. `row_shape` is the shape of one row
/// ({} for a 1-D dataset).
template <class T>
class appendable {
public:
    appendable() = default;
    appendable(const object& parent, const std::string& name, std::vector<hsize_t> row_shape,
               hsize_t chunk_bytes = 1u << 16)
        : row_shape_(std::move(row_shape)) {
        row_size_ = 1;
        for (auto d : row_shape_) row_size_ *= d;
        std::vector<hsize_t> dims{0}, max{H5S_UNLIMITED}, chunk{std::max<hsize_t>(1, chunk_bytes / sizeof(T) /
                                                                                        std::max<hsize_t>(row_size_, 1))};
        for (auto d : row_shape_) {
            dims.push_back(d);
            max.push_back(d);
            chunk.push_back(std::max<hsize_t>(d, 1));
        }
        auto space = detail::simple_space(dims, max);
        handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data());
        ds_ = parent.create_dataset(name, detail::native_type<T>(), space.get(), dcpl.get());
    }
    const object& dataset() const noexcept { return ds_; }
    hsize_t rows() const noexcept { return rows_; }
    /// Appends whole rows (values.size() must be a multiple of the row size).
    void append(std::span<const T> values) {
        if (row_size_ == 0 || values.size() % row_size_ != 0)
            detail::fail(ds_.id(), "append: " + std::to_string(values.size()) + " values are not whole rows of " +
                                       std::to_string(row_size_));
        const hsize_t n = values.size() / row_size_;
        if (n == 0) return;
        std::vector<hsize_t> dims{rows_ + n};
        dims.insert(dims.end(), row_shape_.begin(), row_shape_.end());
        detail::check_status(H5Dset_extent(ds_.id(), dims.data()), ds_.id(), "cannot extend");
        ds_.write_rows(rows_, values, row_shape_);
        rows_ += n;
    }

private:
    object ds_;
    std::vector<hsize_t> row_shape_;
    hsize_t row_size_ = 1, rows_ = 0;
};

}  // namespace brainweave::hdf5
