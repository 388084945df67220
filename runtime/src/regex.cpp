// regex.cpp: RE2 behind meshrt::Regex.
#include "meshrt/regex.h"

#include <re2/re2.h>

namespace meshrt {

Regex::Regex(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  re_ = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
}

Regex::~Regex() = default;

bool Regex::ok() const { return re_->ok(); }

bool Regex::search(std::string_view s) const {
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re_);
}

}  // namespace meshrt
