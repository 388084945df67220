// Defaults: see Defaults.h. The default is written in its JSON form
// (model::valueJson, decimals as their exact text) and read back by the
// evaluator `meshc validate` runs, so the check and validation cannot
// disagree on what a constraint means.
#include "compilation/Defaults.h"

#include <fmt/format.h>

#include "eval/Validate.h"
#include "model/ValueJson.h"

namespace mesh::compilation {

void checkDefaults(const model::Build& build, DiagnosticEngine& diags) {
  eval::ValidateOptions options;
  options.skipNow = true;
  for (const auto& record : build.records) {
    model::Type recordType;  // the validator's root (a field is checked alone)
    recordType.kind = model::TypeKind::Record;
    recordType.record = record.get();
    std::optional<eval::Validator> validator;
    for (const auto& f : record->fields) {
      if (!f->defaultValue || f->type->isError()) continue;
      if (!validator) validator.emplace(recordType);
      std::string json = model::valueJson(*f->defaultValue, *f->type).dump();
      auto violations = validator->validateField(*f, json, options);
      if (violations.empty()) continue;
      auto d = diags.report(DiagKind::E0209, f->defaultRange,
                            fmt::format("the default of field '{}' fails the field's constraints", f->name));
      for (const auto& v : violations)
        d.note(fmt::format("validation would report {} at {}: {}", meshrt::ruleName(v.rule), v.path, v.message));
    }
  }
}

}  // namespace mesh::compilation
