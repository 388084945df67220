// Units of compat/: what the lit tests cannot reach through two builds that
// check (a topic format other than json) and the numbering of baseline
// ranges in the combined SourceManager.
#include <doctest/doctest.h>

#include "compat/Compare.h"
#include "compilation/Compilation.h"

using namespace mesh;

namespace {

using Compiled = compilation::Compilation;

void compile(const std::string& text, Compiled& out) {
  compilation::Options options;
  options.memoryFiles = {{"t.mesh", text}};
  options.stdlibDir = MESH_SOURCE_DIR "/stdlib";
  options.today = *meshrt::parseDate("2026-11-25");
  std::string error;
  REQUIRE(out.loadAndCheck(options, error));
  REQUIRE_FALSE(out.diags.hasErrors());
}

const char* kContract = R"(package t;
domain d { owner "team"; }
record R { id: string; }
product orders {
  domain d; version "1.0.0"; schema R;
  topic "t.orders" { key id; format json; }
  compatibility none;
}
)";

}  // namespace

TEST_CASE("a changed topic format breaks consumers in every mode") {
  Compiled before, after;
  compile(kContract, before);
  compile(kContract, after);
  DiagnosticEngine same;
  compat::compareBuilds(*before.build, *after.build, same);
  CHECK(same.all().empty());

  // json is the only format the checker accepts today; another one can only
  // come from a later meshc, so the model is changed directly.
  after.build->products[0]->topic.format = "avro";
  DiagnosticEngine diags;
  compat::compareBuilds(*before.build, *after.build, diags);
  REQUIRE(diags.all().size() == 1);
  const Diagnostic& d = diags.all()[0];
  CHECK(d.kind == DiagKind::E0713);
  CHECK(d.severity == Severity::Error);
  CHECK(d.message ==
        "changing the format of topic 't.orders' of t.orders from 'json' to 'avro' breaks its consumers in every "
        "compatibility mode: consumers decode the topic as 'json'");
  CHECK(d.range.file == 1);
  CHECK(after.ws.sources.text(1).substr(d.range.begin, d.range.end - d.range.begin) == "json");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message ==
        "t.orders is still version 1.0.0: a breaking change needs a major version bump (to 2.0.0)");
}

TEST_CASE("baseline ranges are shifted past the current build's files") {
  Compiled before, after;
  compile(kContract, before);
  compile(R"(package t;
domain d { owner "team"; }
record R { id: string; }
)",
          after);
  DiagnosticEngine diags;
  uint32_t offset = after.ws.sources.fileCount();
  compat::compareBuilds(*before.build, *after.build, diags, {offset});
  REQUIRE(diags.all().size() == 1);
  const Diagnostic& d = diags.all()[0];
  CHECK(d.kind == DiagKind::E0716);
  CHECK(d.range.file == 1 + offset);
  CHECK(before.ws.sources.text(1).substr(d.range.begin, d.range.end - d.range.begin) == "orders");
}
