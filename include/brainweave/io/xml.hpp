#pragma once
// A small XML tree: elements with attributes (in document order) and children, written with
// indentation and read back by a strict parser (declaration, comments, CDATA, the five predefined
// entities and numeric character references; no DTDs). Enough for NeuroML2 and LEMS files, without
// a dependency. Parse errors are io_error naming the source and the line.
#include <brainweave/core/error.hpp>
#include <brainweave/core/parse.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brainweave::io::xml {

struct element {
    std::string name;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<element> children;
    std::string text;  ///< character data directly inside the element (trimmed)
    std::size_t line = 0;  ///< where the element starts in the parsed source (0 if built in code)

    element() = default;
    explicit element(std::string n) : name(std::move(n)) {}

    /// Sets (or replaces) an attribute; returns *this for chaining.
    element& set(std::string key, std::string value) {
        for (auto& [k, v] : attributes)
            if (k == key) {
                v = std::move(value);
                return *this;
            }
        attributes.emplace_back(std::move(key), std::move(value));
        return *this;
    }
    element& add(element child) {
        children.push_back(std::move(child));
        return children.back();
    }
    std::optional<std::string> attribute(std::string_view key) const {
        for (const auto& [k, v] : attributes)
            if (k == key) return v;
        return std::nullopt;
    }
    /// The attribute `key`, or io_error naming `where`, the element and its line.
    const std::string& required(std::string_view key, std::string_view where) const {
        for (const auto& [k, v] : attributes)
            if (k == key) return v;
        throw io_error(std::string(where) + ": <" + name + "> at line " + std::to_string(line) + " has no attribute '" +
                       std::string(key) + "'");
    }
    /// The children called `n`, in order.
    std::vector<const element*> all(std::string_view n) const {
        std::vector<const element*> out;
        for (const auto& c : children)
            if (c.name == n) out.push_back(&c);
        return out;
    }
    const element* first(std::string_view n) const {
        for (const auto& c : children)
            if (c.name == n) return &c;
        return nullptr;
    }
};

/// `s` with &, <, >, " and ' escaped.
inline std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace detail {
inline void write(std::ostream& os, const element& e, int depth) {
    const std::string pad(static_cast<std::size_t>(2 * depth), ' ');
    os << pad << '<' << e.name;
    for (const auto& [k, v] : e.attributes) os << ' ' << k << "=\"" << escape(v) << '"';
    if (e.children.empty() && e.text.empty()) {
        os << "/>\n";
        return;
    }
    os << '>';
    if (!e.text.empty()) os << escape(e.text);
    if (!e.children.empty()) {
        os << '\n';
        for (const auto& c : e.children) write(os, c, depth + 1);
        os << pad;
    }
    os << "</" << e.name << ">\n";
}
}  // namespace detail

/// The document with an XML declaration, two-space indentation.
inline std::string to_string(const element& root) {
    std::ostringstream os;
    os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    detail::write(os, root, 0);
    return os.str();
}

/// Writes the document to a temporary file next to `path` and renames it into place, so that a
/// failed write never leaves a half-written file under the final name.
inline void save(const std::filesystem::path& path, const element& root) {
    const auto tmp = std::filesystem::path(path.string() + ".partial");
    {
        std::ofstream f(tmp, std::ios::binary);
        if (!f) throw io_error("cannot write '" + path.string() + "'");
        f << to_string(root);
        if (!f.flush()) throw io_error("writing '" + path.string() + "' failed (disk full?)");
    }
    std::filesystem::rename(tmp, path);
}

namespace detail {
class parser {
public:
    parser(std::string_view text, std::string source) : s_(text), source_(std::move(source)) {}

    element document() {
        skip_misc();
        if (!starts("<")) fail("expected the root element");
        element root = parse_element();
        skip_misc();
        if (pos_ < s_.size()) fail("content after the root element");
        return root;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw io_error("'" + source_ + "', line " + std::to_string(line_at(pos_)) + ": malformed XML: " + what);
    }
    std::size_t line_at(std::size_t p) const {
        std::size_t l = 1;
        for (std::size_t k = 0; k < p && k < s_.size(); ++k) l += s_[k] == '\n';
        return l;
    }
    bool starts(std::string_view t) const { return s_.substr(pos_, t.size()) == t; }
    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
    }
    void skip_past(std::string_view end, const char* what) {
        const auto k = s_.find(end, pos_);
        if (k == std::string_view::npos) fail(std::string("unterminated ") + what);
        pos_ = k + end.size();
    }
    /// Whitespace, comments, processing instructions and a DOCTYPE.
    void skip_misc() {
        for (;;) {
            skip_space();
            if (starts("<!--")) skip_past("-->", "comment");
            else if (starts("<?")) skip_past("?>", "processing instruction");
            else if (starts("<!DOCTYPE")) skip_past(">", "DOCTYPE");
            else return;
        }
    }
    static bool name_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' ||
               c == '-' || c == '.';
    }
    std::string name() {
        const std::size_t b = pos_;
        while (pos_ < s_.size() && name_char(s_[pos_])) ++pos_;
        if (b == pos_) fail("expected a name");
        return std::string(s_.substr(b, pos_ - b));
    }
    std::string decode(std::string_view t) const {
        std::string out;
        for (std::size_t k = 0; k < t.size(); ++k) {
            if (t[k] != '&') {
                out += t[k];
                continue;
            }
            const auto e = t.find(';', k);
            if (e == std::string_view::npos) fail("unterminated entity");
            const auto ent = t.substr(k + 1, e - k - 1);
            if (ent == "amp") out += '&';
            else if (ent == "lt") out += '<';
            else if (ent == "gt") out += '>';
            else if (ent == "quot") out += '"';
            else if (ent == "apos") out += '\'';
            else if (!ent.empty() && ent[0] == '#') {
                unsigned long code = 0;
                try {
                    code = ent.size() > 1 && ent[1] == 'x' ? std::stoul(std::string(ent.substr(2)), nullptr, 16)
                                                           : std::stoul(std::string(ent.substr(1)));
                } catch (const std::exception&) {
                    fail("bad character reference '&" + std::string(ent) + ";'");
                }
                if (code < 0x80) out += static_cast<char>(code);
                else if (code < 0x800) {
                    out += static_cast<char>(0xC0 | (code >> 6));
                    out += static_cast<char>(0x80 | (code & 0x3F));
                } else if (code < 0x10000) {
                    out += static_cast<char>(0xE0 | (code >> 12));
                    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
                    out += static_cast<char>(0x80 | (code & 0x3F));
                } else {
                    out += static_cast<char>(0xF0 | (code >> 18));
                    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
                    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
                    out += static_cast<char>(0x80 | (code & 0x3F));
                }
            } else fail("unknown entity '&" + std::string(ent) + ";'");
            k = e;
        }
        return out;
    }
    element parse_element() {
        // Elements nest by recursion: bounded, so that a pathological document is an error and
        // not a stack overflow (NeuroML and LEMS nest a handful of levels).
        const nesting_guard nest(depth_);
        if (nest.depth > max_depth) fail("elements nested deeper than " + std::to_string(max_depth) + " levels");
        element e;
        e.line = line_at(pos_);
        ++pos_;  // '<'
        e.name = name();
        for (;;) {
            skip_space();
            if (pos_ >= s_.size()) fail("unterminated start tag <" + e.name + ">");
            if (starts("/>")) {
                pos_ += 2;
                return e;
            }
            if (s_[pos_] == '>') {
                ++pos_;
                break;
            }
            std::string key = name();
            skip_space();
            if (pos_ >= s_.size() || s_[pos_] != '=') fail("expected '=' after attribute '" + key + "'");
            ++pos_;
            skip_space();
            if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) fail("expected a quoted value for '" + key + "'");
            const char q = s_[pos_++];
            const auto end = s_.find(q, pos_);
            if (end == std::string_view::npos) fail("unterminated value of attribute '" + key + "'");
            for (const auto& [k, v] : e.attributes)
                if (k == key) fail("attribute '" + key + "' given twice in <" + e.name + ">");
            e.attributes.emplace_back(std::move(key), decode(s_.substr(pos_, end - pos_)));
            pos_ = end + 1;
        }
        std::string text;
        for (;;) {
            if (pos_ >= s_.size()) fail("<" + e.name + "> (line " + std::to_string(e.line) + ") is never closed");
            if (starts("</")) {
                pos_ += 2;
                const std::string n = name();
                if (n != e.name) fail("</" + n + "> closes <" + e.name + "> (line " + std::to_string(e.line) + ")");
                skip_space();
                if (pos_ >= s_.size() || s_[pos_] != '>') fail("expected '>' after </" + n);
                ++pos_;
                break;
            }
            if (starts("<!--")) skip_past("-->", "comment");
            else if (starts("<![CDATA[")) {
                const auto b = pos_ + 9;
                skip_past("]]>", "CDATA section");
                text += s_.substr(b, pos_ - 3 - b);
            } else if (starts("<?")) skip_past("?>", "processing instruction");
            else if (s_[pos_] == '<') e.children.push_back(parse_element());
            else {
                const auto b = pos_;
                while (pos_ < s_.size() && s_[pos_] != '<') ++pos_;
                text += decode(s_.substr(b, pos_ - b));
            }
        }
        const auto first = text.find_first_not_of(" \t\r\n");
        e.text = first == std::string::npos ? "" : text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
        return e;
    }

    std::string_view s_;
    std::string source_;
    std::size_t pos_ = 0;
    static constexpr std::size_t max_depth = 1000;
    std::size_t depth_ = 0;
};
}  // namespace detail

/// Parses a document; `source` names it in error messages.
inline element parse(std::string_view text, const std::string& source = "<string>") {
    return detail::parser(text, source).document();
}

inline element load(const std::filesystem::path& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw io_error("cannot open '" + path.string() + "'");
    std::ostringstream ss;
    ss << f.rdbuf();
    return parse(ss.str(), path.string());
}

}  // namespace brainweave::io::xml
