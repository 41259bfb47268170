#pragma once
// The library's exception types. Every message names the file, field or parameter at fault and
// what was expected, so that a user can fix the input without reading the source.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace brainweave {

/// Base of every exception thrown by brainweave.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A file could not be read or written, or its content is malformed.
class io_error : public error {
public:
    using error::error;
};

/// A parameter, name or configuration value is invalid.
class config_error : public error {
public:
    using error::error;
};

/// The simulation produced a non-finite value.
class numerical_error : public error {
public:
    numerical_error(const std::string& what, std::int64_t step, std::size_t node, std::string variable)
        : error(what), step_(step), node_(node), variable_(std::move(variable)) {}
    std::int64_t step() const noexcept { return step_; }
    std::size_t node() const noexcept { return node_; }
    const std::string& variable() const noexcept { return variable_; }

private:
    std::int64_t step_;
    std::size_t node_;
    std::string variable_;
};

}  // namespace brainweave
