// Exercises the generated reader and writer of tests/lit/wire/Inputs/wire.mesh:
// a field is read from and written to its key on the wire (`@wire`), hostile
// keys included (quotes, a backslash, a comment end, a trigraph, non-ASCII),
// and to_json parses back to the same struct. Built and run by
// tests/codegen/run.py.
#include <cstdio>
#include <string>

#include "w.mesh.h"

namespace {
// The keys as JSON text; `\?` keeps the trigraph out of the source.
const char* const kMessage =
    "{\"custId\":\"C-1\",\"+1\":5,\"$ref\":\"r\",\"a.b\":2,\"say \\\"hi\\\"\":\"q\",\"back\\\\slash\":3,"
    "\"*/\?\?/\xc3\xa9\":\"h\",\"addr\":{\"zip\":\"12345\"},\"line-items\":[{\"SKU\":\"s\"}]}";
// What to_json writes: declaration order, the default filled in, absent
// optional fields left out.
const char* const kWritten =
    "{\"custId\":\"C-1\",\"+1\":5,\"$ref\":\"r\",\"a.b\":2,\"say \\\"hi\\\"\":\"q\",\"back\\\\slash\":3,"
    "\"*/\?\?/\xc3\xa9\":\"h\",\"Tier\":\"free\",\"addr\":{\"zip\":\"12345\"},\"line-items\":[{\"SKU\":\"s\"}]}";
}  // namespace

int main() {
  int failures = 0;
  auto expect = [&failures](bool ok, const char* what) { failures += ok ? 0 : (std::printf("FAILED: %s\n", what), 1); };
  std::vector<meshrt::Violation> v;
  w::Customer c;
  expect(w::parse(kMessage, c, v, 0), "the message parses");
  expect(v.empty(), "no violations");
  expect(c.customer_id == "C-1" && c.plus_one == 5 && c.ref == std::string("r") && c.dotted == 2 &&
             c.quoted == std::string("q") && c.slash == 3 && c.hostile == std::string("h") && c.tier == "free" &&
             c.address.zip_code == "12345" && c.items && c.items->size() == 1 && (*c.items)[0].sku_code == "s",
         "each field is read from its key on the wire");
  std::string written = w::to_json(c);
  expect(written == kWritten, "to_json writes the keys on the wire");
  if (written != kWritten) std::printf("  wrote %s\n", written.c_str());
  w::Customer again;
  expect(w::parse(written, again, v, 0) && v.empty(), "to_json's text parses");
  expect(w::to_json(again) == written, "and writes the same text again");
  w::Customer renamed;
  v.clear();
  expect(!w::parse("{\"customer_id\":\"C-1\",\"plus_one\":5,\"address\":{\"zip\":\"12345\"}}", renamed, v, 0),
         "the fields' names are not their keys");
  return failures ? 1 : 0;
}
