// TypeContext: one object per type shape, also when the checker's parallel
// phases intern from several threads through their per-thread caches
// (model/Model.cpp), and with several contexts alive on one thread (meshc
// breaking checks two builds): a thread's cache never hands out a type of
// another context.
#include <doctest/doctest.h>

#include <memory>
#include <thread>
#include <vector>

#include "model/Model.h"

using mesh::model::Type;
using mesh::model::TypeContext;
using mesh::model::TypeKind;

namespace {

// A few hundred distinct shapes: primitives, optionals, lists of lists, decimals.
std::vector<const Type*> internShapes(TypeContext& tc) {
  std::vector<const Type*> out;
  for (auto kind : {TypeKind::Bool, TypeKind::Int32, TypeKind::Int64, TypeKind::String, TypeKind::Timestamp}) {
    const Type* t = tc.primitive(kind);
    for (int depth = 0; depth < 20; ++depth) {
      out.push_back(t);
      out.push_back(tc.optional(t));
      t = tc.list(t);
    }
  }
  for (int precision = 1; precision <= 38; ++precision) {
    Type d;
    d.kind = TypeKind::Decimal;
    d.precision = precision;
    d.scale = precision / 2;
    out.push_back(tc.get(d));
  }
  return out;
}

}  // namespace

TEST_CASE("TypeContext interns one object per shape") {
  TypeContext tc;
  auto first = internShapes(tc);
  auto again = internShapes(tc);
  CHECK(first == again);
  CHECK(tc.required(tc.optional(tc.primitive(TypeKind::String))) == tc.primitive(TypeKind::String));
  CHECK(tc.list(tc.primitive(TypeKind::Int32)) != tc.list(tc.primitive(TypeKind::Int64)));
}

TEST_CASE("TypeContext: contexts used in turn on one thread keep their own types") {
  TypeContext a, b;
  auto fromA = internShapes(a);
  auto fromB = internShapes(b);
  auto fromAAgain = internShapes(a);  // the thread's cache held b's types in between
  CHECK(fromA == fromAAgain);
  for (size_t i = 0; i < fromA.size(); ++i) CHECK(fromA[i] != fromB[i]);
  CHECK(internShapes(b) == fromB);
  // A context made after another one died (perhaps at its address) gets
  // types of its own, not the dead one's from the cache.
  auto dead = std::make_unique<TypeContext>();
  auto fromDead = internShapes(*dead);
  dead.reset();
  auto fresh = std::make_unique<TypeContext>();
  auto fromFresh = internShapes(*fresh);
  REQUIRE(fromFresh.size() == fromDead.size());
  CHECK(fromFresh[3]->kind == TypeKind::List);
  CHECK(fresh->list(fresh->primitive(TypeKind::Bool)) == fromFresh[2]);
}

TEST_CASE("TypeContext: threads interning the same shapes get the same objects") {
  TypeContext tc;
  constexpr int kThreads = 4;
  std::vector<std::vector<const Type*>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back([&, t] { seen[t] = internShapes(tc); });
  for (auto& t : threads) t.join();
  auto mine = internShapes(tc);
  for (int t = 0; t < kThreads; ++t) CHECK(seen[t] == mine);
}
