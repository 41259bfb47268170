#pragma once
// Reading the runner's JSON inputs (specs and the reference cases' meta.json) with messages that
// name the file and the field.
#include <brainweave/core/error.hpp>
#include <brainweave/io/archive.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <initializer_list>
#include <string>

namespace brainweave::runner {

/// Parses a JSON file; io_error naming the file if it is missing or malformed.
inline nlohmann::json load_json(const std::filesystem::path& p) {
    const std::string text = io::read_file(p);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw io_error("'" + p.string() + "' is not valid JSON: " + e.what());
    }
}

/// The number at `path` (nested keys) of `j`; io_error naming `where` and the dotted field if it is
/// missing or not a number.
inline double json_number(const nlohmann::json& j, std::initializer_list<std::string> path, const std::string& where) {
    const nlohmann::json* p = &j;
    std::string name;
    for (const auto& k : path) {
        name += (name.empty() ? "" : ".") + k;
        if (!p->is_object() || !p->contains(k)) throw io_error(where + ": expected a field \"" + name + "\"");
        p = &(*p)[k];
    }
    if (!p->is_number()) throw io_error(where + ": expected a number in field \"" + name + "\"");
    return p->get<double>();
}

}  // namespace brainweave::runner
