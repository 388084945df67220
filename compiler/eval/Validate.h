// Validate: the reference meaning of "valid" (language.md sections 2 and 3):
// one JSON message in, every violation out, in document order. `meshc
// validate` runs it; the generated validators must agree with it byte for byte.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eval/Expr.h"
#include "meshrt/report.h"
#include "model/Model.h"

namespace mesh::eval {

struct ValidateOptions {
  int64_t nowMicros = 0;  // what now() returns
  /// Pass every constraint that calls now() without evaluating it (a
  /// default is checked at compile time, when no message's clock exists).
  bool skipNow = false;
};

class Validator {
 public:
  /// `root`: a record type or a union type (a product's schema).
  explicit Validator(const model::Type& root);
  ~Validator();

  /// Validates one JSON text (one line of JSON Lines).
  std::vector<meshrt::Violation> validate(std::string_view json, const ValidateOptions& options);
  /// Validates `json` as the value of `field` (of the root record) in a
  /// message: the field's type, its `where`, its refinement type's and its
  /// elements' constraints, at the field's path (`$.name`), as validate()
  /// would; the record's checks are not run (they read other fields).
  std::vector<meshrt::Violation> validateField(const model::Field& field, std::string_view json,
                                               const ValidateOptions& options);

  /// Regexes are compiled once per pattern and shared by every message.
  RegexCache& regexes() { return regexes_; }

 private:
  const model::Type& root_;
  RegexCache regexes_;
};

/// The type a validate/product NAME designates: a product's schema, a record
/// or a tagged union (by the product's qualified name), a record or a tagged
/// union (by its qualified name); null when there is none.
const model::Type* findValidationTarget(model::Build& build, const std::string& name);

}  // namespace mesh::eval
