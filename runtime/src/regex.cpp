// regex.cpp: RE2 behind meshrt::Regex.
#include "meshrt/regex.h"

#include <re2/re2.h>

namespace meshrt {

Regex::Regex(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  re_ = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (re_->ok()) simple_ = compileSimple(pattern);
}

bool Regex::compileSimple(std::string_view p) {
  if (p.empty() || p[0] != '^') return false;
  size_t i = 1;
  std::vector<Step> steps;
  while (i < p.size()) {
    char c = p[i];
    if (c == '$') {
      if (i + 1 != p.size()) return false;
      simpleSteps_.anchoredEnd = true;
      ++i;
      break;
    }
    Step step;
    if (c == '[') {
      ++i;
      if (i < p.size() && p[i] == '^') return false;  // negated: code points, not bytes
      bool any = false;
      while (i < p.size() && p[i] != ']') {
        unsigned char lo = static_cast<unsigned char>(p[i]);
        if (lo == '\\' || lo == '[' || lo >= 0x80) return false;
        if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
          unsigned char hi = static_cast<unsigned char>(p[i + 2]);
          if (hi < lo || hi >= 0x80 || hi == '\\') return false;
          for (unsigned k = lo; k <= hi; ++k) step.set.set(k);
          i += 3;
        } else {
          step.set.set(lo);
          ++i;
        }
        any = true;
      }
      if (i >= p.size() || !any) return false;
      ++i;  // ']'
    } else if (c == '\\') {
      if (i + 1 >= p.size()) return false;
      char e = p[i + 1];
      if (e == 'd') {
        for (char k = '0'; k <= '9'; ++k) step.set.set(static_cast<unsigned char>(k));
      } else if (e == 'w') {
        for (unsigned k = 0; k < 128; ++k)
          if ((k >= '0' && k <= '9') || (k >= 'a' && k <= 'z') || (k >= 'A' && k <= 'Z') || k == '_') step.set.set(k);
      } else if (std::string_view(".-+*?()[]{}|^$\\/").find(e) != std::string_view::npos) {
        step.set.set(static_cast<unsigned char>(e));
      } else {
        return false;
      }
      i += 2;
    } else if (std::string_view(".()|*+?{}").find(c) != std::string_view::npos ||
               static_cast<unsigned char>(c) >= 0x80) {
      return false;  // `.`, groups, alternation, a quantifier with nothing before it, non-ASCII
    } else {
      step.set.set(static_cast<unsigned char>(c));
      ++i;
    }
    // A count.
    if (i < p.size()) {
      char q = p[i];
      if (q == '+') {
        step.min = 1;
        step.max = ~0u;
        ++i;
      } else if (q == '*') {
        step.min = 0;
        step.max = ~0u;
        ++i;
      } else if (q == '?') {
        step.min = 0;
        step.max = 1;
        ++i;
      } else if (q == '{') {
        size_t close = p.find('}', i);
        if (close == std::string_view::npos) return false;
        std::string_view inner = p.substr(i + 1, close - i - 1);
        size_t comma = inner.find(',');
        auto number = [](std::string_view d, unsigned& out) {
          if (d.empty() || d.size() > 4 || d.find_first_not_of("0123456789") != std::string_view::npos) return false;
          out = 0;
          for (char k : d) out = out * 10 + static_cast<unsigned>(k - '0');
          return true;
        };
        if (comma == std::string_view::npos) {
          if (!number(inner, step.min)) return false;
          step.max = step.min;
        } else {
          if (!number(inner.substr(0, comma), step.min)) return false;
          if (comma + 1 == inner.size())
            step.max = ~0u;
          else if (!number(inner.substr(comma + 1), step.max) || step.max < step.min)
            return false;
        }
        i = close + 1;
      }
      if (i < p.size() && (p[i] == '?' || p[i] == '+' || p[i] == '*' || p[i] == '{')) return false;  // lazy, possessive
    }
    steps.push_back(step);
  }
  if (i != p.size()) return false;
  // Greedy is exact when a variable count is never followed by something it
  // could also have matched.
  for (size_t k = 0; k < steps.size(); ++k) {
    if (steps[k].min == steps[k].max) continue;
    if (k + 1 < steps.size()) {
      if (steps[k + 1].min == 0 || (steps[k].set & steps[k + 1].set).any()) return false;
    }
  }
  simpleSteps_.steps = std::move(steps);
  return true;
}

bool Regex::matchSimple(std::string_view s) const {
  size_t pos = 0;
  for (const Step& step : simpleSteps_.steps) {
    unsigned count = 0;
    while (count < step.max && pos < s.size() && step.set.test(static_cast<unsigned char>(s[pos]))) {
      ++pos;
      ++count;
    }
    if (count < step.min) return false;
  }
  return !simpleSteps_.anchoredEnd || pos == s.size();
}

Regex::~Regex() = default;

bool Regex::ok() const { return re_->ok(); }

bool Regex::search(std::string_view s) const {
  if (simple_) return matchSimple(s);
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re_);
}

bool Regex::usesFastPath() const { return simple_; }

}  // namespace meshrt
