// AvroTarget: the `avro` target (toolchain.md section 4): one Avro schema
// per record and tagged union of the build, `avro/<package>.<Name>.avsc`,
// as codegen/avro/AvroSchema writes it (docs/avro.md). The files carry no
// stamp: each is the exact schema `meshc registry push` registers, so a
// registry holding it is not given a new version by a new meshc.
#include <fmt/format.h>

#include <set>
#include <utility>

#include "codegen/Generator.h"
#include "model/AvroSchema.h"

namespace mesh::codegen {

void generateAvro(const GeneratorContext& ctx, OutputTree& out, DiagnosticEngine& diags) {
  std::vector<const model::Record*> records = recordsWithSchemas(ctx);
  std::vector<const model::Union*> unions = inputUnions(ctx);
  std::vector<model::avro::Schema> schemas(records.size() + unions.size());
  parallelFor(schemas.size(), ctx.jobs, [&](size_t i) {
    schemas[i] = i < records.size() ? model::avro::recordSchema(*records[i])
                                    : model::avro::unionSchema(*unions[i - records.size()]);
  });
  std::set<std::pair<const model::Field*, std::string>> reported;
  bool refused = false;
  for (const model::avro::Schema& s : schemas)
    for (const model::avro::Refusal& r : s.refusals) {
      refused = true;
      if (reported.insert({r.field, r.message}).second)
        diags.report(DiagKind::E0219, r.field->nameRange, fmt::format("the avro target cannot write {}", r.message));
    }
  if (refused) return;
  for (size_t i = 0; i < schemas.size(); ++i) {
    const std::string& name =
        i < records.size() ? records[i]->qualifiedName : unions[i - records.size()]->qualifiedName;
    out.add("avro/" + name + ".avsc", model::avro::text(schemas[i].value) + "\n");
  }
}

}  // namespace mesh::codegen
