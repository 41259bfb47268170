#pragma once
// LEMS expressions ("(v_rest - v/MVOLT) / tau_m", "t .geq. delay .and. spiked .eq. 0"): parsed
// once into postfix code that names its variables, then bound to a group's variable slots and
// evaluated over a range of instances at a time (one pass per operation over contiguous arrays,
// so the interpretation cost is paid per operation, not per instance).
//
// Grammar, loosest binding first: .or.; .and.; comparisons (.gt. .geq./.ge. .lt. .leq./.le. .eq.
// .neq./.ne. and > >= < <= == !=); + -; * /; unary - and +, .not.; ^ (right-associative);
// numbers, names, f(x) for exp log ln sqrt sin cos tan sinh cosh tanh abs ceil floor H random.
// Booleans are 0 and 1.
#include <brainweave/core/error.hpp>
#include <brainweave/core/parse.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace brainweave::lems {

enum class op : std::uint8_t {
    constant, variable, add, sub, mul, div, pow, neg, not_, gt, ge, lt, le, eq, ne, and_, or_,
    exp, log, sqrt, sin, cos, tan, sinh, cosh, tanh, abs, ceil, floor, heaviside, random
};

struct instruction {
    op code;
    double value = 0;    ///< constant
    std::size_t slot = 0;  ///< variable (after binding)
};

/// A parsed expression: postfix code and the names its `variable` instructions refer to.
struct expression {
    std::string text;
    std::vector<instruction> code;
    std::vector<std::string> names;  ///< names[k] is the name of the k-th variable instruction
    std::size_t depth = 0;           ///< stack depth the evaluation needs
    bool empty() const noexcept { return code.empty(); }
};

namespace detail {
class expression_parser {
public:
    expression_parser(std::string_view s, std::string where) : s_(s), where_(std::move(where)) {}

    expression parse() {
        expression e;
        e.text = std::string(s_);
        out_ = &e;
        next();
        binary();
        if (tok_ != token::end) fail("unexpected '" + std::string(text_) + "'");
        std::size_t d = 0;
        for (const auto& i : e.code) {
            if (i.code == op::constant || i.code == op::variable) ++d;
            else if (i.code >= op::add && i.code <= op::pow) --d;
            else if (i.code >= op::gt && i.code <= op::or_) --d;
            e.depth = std::max(e.depth, d);
        }
        return e;
    }

private:
    enum class token { end, number, name, lparen, rparen, comma, plus, minus, star, slash, caret, cmp, logic_and, logic_or, logic_not };
    [[noreturn]] void fail(const std::string& what) const {
        throw io_error(where_ + ": expression '" + std::string(s_) + "': " + what);
    }
    void emit(op c, double v = 0) { out_->code.push_back({c, v, 0}); }
    void next() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
        const std::size_t b = pos_;
        if (pos_ >= s_.size()) {
            tok_ = token::end;
            text_ = {};
            return;
        }
        const char c = s_[pos_];
        auto word = [&](std::string_view w) { return s_.substr(pos_, w.size()) == w; };
        if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && pos_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])))) {
            while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.')) ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
                std::size_t q = pos_ + 1;
                if (q < s_.size() && (s_[q] == '-' || s_[q] == '+')) ++q;
                if (q < s_.size() && std::isdigit(static_cast<unsigned char>(s_[q]))) {
                    pos_ = q;
                    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
                }
            }
            tok_ = token::number;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
            tok_ = token::name;
        } else if (c == '.') {
            static constexpr std::pair<std::string_view, op> words[] = {
                {".gt.", op::gt}, {".geq.", op::ge}, {".ge.", op::ge}, {".lt.", op::lt}, {".leq.", op::le}, {".le.", op::le},
                {".eq.", op::eq}, {".neq.", op::ne}, {".ne.", op::ne}, {".and.", op::and_}, {".or.", op::or_}, {".not.", op::not_}};
            bool found = false;
            for (const auto& [w, o] : words)
                if (word(w)) {
                    pos_ += w.size();
                    tok_ = o == op::and_ ? token::logic_and : o == op::or_ ? token::logic_or : o == op::not_ ? token::logic_not : token::cmp;
                    cmp_ = o;
                    found = true;
                    break;
                }
            if (!found) fail("unknown operator at '" + std::string(s_.substr(pos_)) + "'");
        } else if (word(">=") || word("<=") || word("==") || word("!=")) {
            cmp_ = c == '>' ? op::ge : c == '<' ? op::le : c == '=' ? op::eq : op::ne;
            pos_ += 2;
            tok_ = token::cmp;
        } else {
            ++pos_;
            switch (c) {
                case '(': tok_ = token::lparen; break;
                case ')': tok_ = token::rparen; break;
                case ',': tok_ = token::comma; break;
                case '+': tok_ = token::plus; break;
                case '-': tok_ = token::minus; break;
                case '*': tok_ = token::star; break;
                case '/': tok_ = token::slash; break;
                case '^': tok_ = token::caret; break;
                case '>': tok_ = token::cmp; cmp_ = op::gt; break;
                case '<': tok_ = token::cmp; cmp_ = op::lt; break;
                default: fail(std::string("unexpected character '") + c + "'");
            }
        }
        text_ = s_.substr(b, pos_ - b);
    }
    /// Binary operators by level, loosest first: .or.; .and.; comparisons; + -; * /.
    static constexpr int tightest_binary = 4;
    bool binary_operator(int level, op& o) const {
        switch (level) {
            case 0: o = op::or_; return tok_ == token::logic_or;
            case 1: o = op::and_; return tok_ == token::logic_and;
            case 2: o = cmp_; return tok_ == token::cmp;
            case 3: o = tok_ == token::plus ? op::add : op::sub; return tok_ == token::plus || tok_ == token::minus;
            default: o = tok_ == token::star ? op::mul : op::div; return tok_ == token::star || tok_ == token::slash;
        }
    }
    void binary(int level = 0) {
        auto operand = [&] { level == tightest_binary ? unary() : binary(level + 1); };
        operand();
        op o{};
        while (binary_operator(level, o)) {
            next();
            operand();
            emit(o);
        }
    }
    void unary() {
        // Every nesting (parentheses, function arguments, unary and power operators) passes here:
        // bounded, so that a pathological expression is an error and not a stack overflow.
        const nesting_guard nest(nesting_);
        if (nest.depth > max_nesting) fail("nested deeper than " + std::to_string(max_nesting) + " levels");
        if (tok_ == token::minus) {
            next();
            unary();
            emit(op::neg);
        } else if (tok_ == token::plus) {
            next();
            unary();
        } else if (tok_ == token::logic_not) {
            next();
            unary();
            emit(op::not_);
        } else {
            power();
        }
    }
    void power() {
        primary();
        if (tok_ == token::caret) {
            next();
            unary();  // right-associative; -x^2 is -(x^2), x^-2 is allowed
            emit(op::pow);
        }
    }
    void primary() {
        if (tok_ == token::number) {
            const auto v = to_number<double>(text_);
            if (!v) fail("'" + std::string(text_) + "' is not a number (or it overflows a double)");
            emit(op::constant, *v);
            next();
        } else if (tok_ == token::name) {
            const std::string name(text_);
            next();
            if (tok_ == token::lparen) {
                static constexpr std::pair<std::string_view, op> functions[] = {
                    {"exp", op::exp},     {"log", op::log},   {"ln", op::log},     {"sqrt", op::sqrt}, {"sin", op::sin},
                    {"cos", op::cos},     {"tan", op::tan},   {"sinh", op::sinh},  {"cosh", op::cosh}, {"tanh", op::tanh},
                    {"abs", op::abs},     {"ceil", op::ceil}, {"floor", op::floor}, {"H", op::heaviside}, {"random", op::random}};
                op f = op::constant;
                for (const auto& [n, o] : functions)
                    if (n == name) f = o;
                if (f == op::constant) fail("unknown function '" + name + "'");
                next();
                binary();
                if (tok_ != token::rparen) fail("expected ')' after the argument of " + name);
                next();
                emit(f);
            } else {
                out_->code.push_back({op::variable, 0, out_->names.size()});
                out_->names.push_back(name);
            }
        } else if (tok_ == token::lparen) {
            next();
            binary();
            if (tok_ != token::rparen) fail("expected ')'");
            next();
        } else {
            fail(tok_ == token::end ? "unexpected end" : "unexpected '" + std::string(text_) + "'");
        }
    }

    std::string_view s_;
    std::string where_;
    std::size_t pos_ = 0;
    token tok_ = token::end;
    op cmp_ = op::gt;
    std::string_view text_;
    expression* out_ = nullptr;
    static constexpr std::size_t max_nesting = 256;
    std::size_t nesting_ = 0;
};
}  // namespace detail

/// Parses `text`; `where` names the file and element in error messages.
inline expression parse_expression(std::string_view text, const std::string& where) {
    return detail::expression_parser(text, where).parse();
}

/// Evaluates expressions over instance ranges. `columns[slot]` points at the values of variable
/// `slot` for every instance (bind maps the expression's names to slots).
class evaluator {
public:
    explicit evaluator(std::uint64_t seed = 1) : rng_(seed) {}

    /// out[i] = e(instance i) for i in [b, e).
    void run(const expression& ex, const std::vector<const double*>& columns, std::size_t b, std::size_t e, double* out) {
        const std::size_t n = e - b;
        if (stack_.size() < ex.depth + 1) stack_.resize(ex.depth + 1);
        for (auto& s : stack_)
            if (s.size() < n) s.resize(n);
        std::size_t top = 0;  // number of stack entries in use
        for (const auto& in : ex.code) {
            switch (in.code) {
                case op::constant: {
                    auto& s = stack_[top++];
                    std::fill(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n), in.value);
                    break;
                }
                case op::variable: {
                    auto& s = stack_[top++];
                    const double* x = columns[in.slot] + b;
                    std::copy(x, x + n, s.begin());
                    break;
                }
                case op::neg: unary(top, n, [](double x) { return -x; }); break;
                case op::not_: unary(top, n, [](double x) { return x == 0.0 ? 1.0 : 0.0; }); break;
                case op::exp: unary(top, n, [](double x) { return std::exp(x); }); break;
                case op::log: unary(top, n, [](double x) { return std::log(x); }); break;
                case op::sqrt: unary(top, n, [](double x) { return std::sqrt(x); }); break;
                case op::sin: unary(top, n, [](double x) { return std::sin(x); }); break;
                case op::cos: unary(top, n, [](double x) { return std::cos(x); }); break;
                case op::tan: unary(top, n, [](double x) { return std::tan(x); }); break;
                case op::sinh: unary(top, n, [](double x) { return std::sinh(x); }); break;
                case op::cosh: unary(top, n, [](double x) { return std::cosh(x); }); break;
                case op::tanh: unary(top, n, [](double x) { return std::tanh(x); }); break;
                case op::abs: unary(top, n, [](double x) { return std::abs(x); }); break;
                case op::ceil: unary(top, n, [](double x) { return std::ceil(x); }); break;
                case op::floor: unary(top, n, [](double x) { return std::floor(x); }); break;
                case op::heaviside: unary(top, n, [](double x) { return x > 0 ? 1.0 : x < 0 ? 0.0 : 0.5; }); break;
                case op::random: {
                    std::uniform_real_distribution<double> u(0.0, 1.0);
                    unary(top, n, [&](double x) { return x * u(rng_); });
                    break;
                }
                case op::add: binary(top, n, [](double a, double c) { return a + c; }); break;
                case op::sub: binary(top, n, [](double a, double c) { return a - c; }); break;
                case op::mul: binary(top, n, [](double a, double c) { return a * c; }); break;
                case op::div: binary(top, n, [](double a, double c) { return a / c; }); break;
                case op::pow: binary(top, n, [](double a, double c) { return std::pow(a, c); }); break;
                case op::gt: binary(top, n, [](double a, double c) { return a > c ? 1.0 : 0.0; }); break;
                case op::ge: binary(top, n, [](double a, double c) { return a >= c ? 1.0 : 0.0; }); break;
                case op::lt: binary(top, n, [](double a, double c) { return a < c ? 1.0 : 0.0; }); break;
                case op::le: binary(top, n, [](double a, double c) { return a <= c ? 1.0 : 0.0; }); break;
                case op::eq: binary(top, n, [](double a, double c) { return a == c ? 1.0 : 0.0; }); break;
                case op::ne: binary(top, n, [](double a, double c) { return a != c ? 1.0 : 0.0; }); break;
                case op::and_: binary(top, n, [](double a, double c) { return a != 0.0 && c != 0.0 ? 1.0 : 0.0; }); break;
                case op::or_: binary(top, n, [](double a, double c) { return a != 0.0 || c != 0.0 ? 1.0 : 0.0; }); break;
            }
        }
        std::copy(stack_[0].begin(), stack_[0].begin() + static_cast<std::ptrdiff_t>(n), out);
    }

    /// The value for one instance.
    double value(const expression& ex, const std::vector<const double*>& columns, std::size_t i) {
        double v = 0;
        run(ex, columns, i, i + 1, &v);
        return v;
    }

private:
    template <class F>
    void unary(std::size_t top, std::size_t n, F&& f) {
        auto& s = stack_[top - 1];
        for (std::size_t i = 0; i < n; ++i) s[i] = f(s[i]);
    }
    template <class F>
    void binary(std::size_t& top, std::size_t n, F&& f) {
        auto& a = stack_[top - 2];
        const auto& c = stack_[top - 1];
        for (std::size_t i = 0; i < n; ++i) a[i] = f(a[i], c[i]);
        --top;
    }

    std::vector<std::vector<double>> stack_;
    std::mt19937_64 rng_;
};

}  // namespace brainweave::lems
