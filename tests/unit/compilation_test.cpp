// compilation::Compilation: one clock, given in its options. The same
// contract compiled on two days gives the two outcomes of each date-dependent
// rule (a waiver's expiry, now() in a policy); MESH_TODAY is read once, by
// todayFromEnvironment, and refused when it is not a date.
#include "compilation/Compilation.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

namespace {

const char* kContract = R"(package t;
domain d { owner "team"; }
record R { id: string; }
product orders { domain d; version "1.0.0"; schema R; topic "t.orders" { key id; } }
policy named { for product p { require p.topic.name == "" message "{p.name} has a topic"; } }
waive named for orders until 2026-12-31 because "GOV-1";
)";

std::vector<std::string> codesOn(const char* day) {
  mesh::compilation::Options options;
  options.memoryFiles = {{"t.mesh", kContract}};
  options.stdlibDir = MESH_SOURCE_DIR "/stdlib";
  options.today = *meshrt::parseDate(day);
  mesh::compilation::Compilation c;
  std::string error;
  REQUIRE(c.loadAndCheck(options, error));
  c.evaluatePolicies();
  std::vector<std::string> codes;
  for (const auto& d : c.diags.all()) codes.emplace_back(mesh::info(d.kind).code);
  std::sort(codes.begin(), codes.end());
  return codes;
}

bool has(const std::vector<std::string>& codes, const char* code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

TEST_CASE("a waiver holds until its day and expires after it, on the compilation's clock") {
  auto before = codesOn("2026-11-25");
  CHECK_FALSE(has(before, "E0504"));
  CHECK(has(before, "N0510"));  // the violation is waived
  CHECK_FALSE(has(before, "E0506"));

  auto onTheDay = codesOn("2026-12-31");
  CHECK_FALSE(has(onTheDay, "E0504"));

  auto after = codesOn("2027-01-01");
  CHECK(has(after, "E0504"));
}

TEST_CASE("now() in a policy is the start of the compilation's day") {
  CHECK(mesh::compilation::startOfDayMicros(*meshrt::parseDate("1970-01-02")) == 86'400'000'000);
  CHECK(mesh::compilation::startOfDayMicros(*meshrt::parseDate("2026-11-25")) == int64_t(20'782) * 86'400'000'000);
}

TEST_CASE("MESH_TODAY is the day when set, and refused when it is not a date") {
  const char* saved = std::getenv("MESH_TODAY");
  std::string keep = saved ? saved : "";
  std::string error;
  setenv("MESH_TODAY", "2027-02-03", 1);
  auto day = mesh::compilation::todayFromEnvironment(error);
  REQUIRE(day);
  CHECK(meshrt::formatDate(*day) == "2027-02-03");
  setenv("MESH_TODAY", "2027-02-30", 1);
  CHECK_FALSE(mesh::compilation::todayFromEnvironment(error));
  CHECK(error == "MESH_TODAY is '2027-02-30', not a date YYYY-MM-DD such as 2026-11-25");
  unsetenv("MESH_TODAY");
  error.clear();
  CHECK(mesh::compilation::todayFromEnvironment(error));
  CHECK(error.empty());
  if (saved) setenv("MESH_TODAY", keep.c_str(), 1);
}
