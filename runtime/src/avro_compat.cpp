// avro_compat.cpp: whether a reader's schema reads what a writer's schema
// wrote, by the Avro specification's "Schema Resolution" (meshrt/avro_schema.h).
//
// The check walks pairs of (reader, writer) types. A pair already being
// checked further up counts as compatible (so recursive schemas terminate,
// and a recursive type reads itself); a pair checked before gives its earlier
// result. The walk keeps its own stack rather than recursing: with recursive
// types the chain of pairs is not bounded by either schema's depth (a reader
// cycle of length p against a writer cycle of length q runs p*q pairs before
// one repeats). It gives up after kMaxCheckSteps steps.
//
// Incompatibility types, locations and the "some branch of the reader's union
// reads it" reading of unions are those of Java's and Python's checkers
// (SchemaCompatibility, avro.compatibility), which registries use; where those
// depart from the specification (Python's names and aliases, both checkers'
// type for a missing enum field) the specification wins (docs/avro.md,
// "Schema resolution and compatibility").
#include <algorithm>
#include <map>
#include <variant>

#include "meshrt/avro_schema.h"

namespace meshrt::avro {

namespace {

// A pair's result: its own incompatibilities and its children's results, in
// the order found. Children are shared, not copied: a chain of pairs may be
// hundreds of thousands deep, and copying lists up it costs its depth times
// theirs. Only nonempty children are kept, so empty means compatible.
struct Outcome {
  std::vector<std::variant<Incompatibility, std::shared_ptr<const Outcome>>> items;
  bool empty() const { return items.empty(); }
};
using OutcomePtr = std::shared_ptr<const Outcome>;

// How a pair's result is made from its children's.
enum class Rule : uint8_t {
  Leaf,         // no children: primitives, enums, fixed, mismatches
  Each,         // arrays, maps, record fields, a writer's union: every child must read
  UnionBoth,    // two unions: every writer branch must be read by the reader's union
  ReaderUnion,  // a reader's union against another type: some branch must read it
};

struct Frame {
  const Node* r = nullptr;
  const Node* w = nullptr;
  std::string step;  // the frame's part of the location ("fields/0/type"), may be empty
  Rule rule = Rule::Leaf;
  size_t next = 0;       // the next child
  bool matched = false;  // ReaderUnion: a branch reads the writer's type
  Outcome found;
};

struct Child {
  const Node* r;
  const Node* w;
  std::string step;
};

// Locations are cut at this length: a chain of recursive pairs may be
// hundreds of thousands of steps deep.
constexpr size_t kMaxLocation = 256;

std::string describe(const Node& node) {
  std::string out(typeName(node.type));
  return node.named() ? out + " " + node.fullName : out;
}

// The spec's promotions: int to long, float, double; long to float, double;
// float to double; string to bytes and back.
bool promotable(Type reader, Type writer) {
  switch (reader) {
    case Type::Long:
      return writer == Type::Int;
    case Type::Float:
      return writer == Type::Int || writer == Type::Long;
    case Type::Double:
      return writer == Type::Int || writer == Type::Long || writer == Type::Float;
    case Type::Bytes:
      return writer == Type::String;
    case Type::String:
      return writer == Type::Bytes;
    default:
      return false;
  }
}

// Names match without their namespaces (the spec: "(unqualified) names
// match"), or the writer's full name is one of the reader's aliases.
bool namesMatch(const Node& r, const Node& w) {
  return r.shortName() == w.shortName() || std::find(r.aliases.begin(), r.aliases.end(), w.fullName) != r.aliases.end();
}

// The writer's field a reader's field reads: the one of its name, else the
// first of its aliases the writer has.
const Field* writerField(const Node& writer, const Field& readerField) {
  if (const Field* f = writer.field(readerField.name)) return f;
  for (const std::string& alias : readerField.aliases)
    if (const Field* f = writer.field(alias)) return f;
  return nullptr;
}

std::string symbolList(const std::vector<std::string>& symbols) {
  std::string out = "[";
  for (size_t i = 0; i < symbols.size() && i < 20; ++i) out += (i ? ", " : "") + symbols[i];
  return out + (symbols.size() > 20 ? ", ...]" : "]");
}

// The first kMaxIncompatibilities of an outcome, in the order found (a
// shared child is listed where each parent holds it, as Python does).
void flatten(const Outcome& root, std::vector<Incompatibility>& out) {
  std::vector<std::pair<const Outcome*, size_t>> todo{{&root, 0}};
  while (!todo.empty() && out.size() < kMaxIncompatibilities) {
    auto& [outcome, next] = todo.back();
    if (next == outcome->items.size()) {
      todo.pop_back();
      continue;
    }
    const auto& item = outcome->items[next++];
    if (auto* own = std::get_if<Incompatibility>(&item))
      out.push_back(*own);
    else
      todo.emplace_back(std::get<OutcomePtr>(item).get(), 0);
  }
}

class Checker {
 public:
  CompatibilityResult run(const Node& reader, const Node& writer);

 private:
  void push(const Node* r, const Node* w, std::string step);
  std::string location(std::string_view last = {}) const;
  void add(Outcome& to, IncompatibilityType type, std::string message, std::string loc);
  void named(Frame& f);
  std::optional<Child> nextChild(Frame& f);
  std::optional<Child> nextField(Frame& f);
  void receive(Frame& f, const OutcomePtr& child);

  // A pair's result once known; null while the pair is being checked.
  std::map<std::pair<const Node*, const Node*>, OutcomePtr> memo_;
  std::vector<Frame> stack_;
  size_t steps_ = 0;
};

// The location of the top frame, and `last` below it, as Python's checker
// writes it ("/" for the root, else "/fields/0/type").
std::string Checker::location(std::string_view last) const {
  std::string out;
  // Appended piece by piece: `"/" + step` makes g++ 12 at -O3 in C++20 warn
  // of an overlapping copy that cannot happen (-Wrestrict).
  for (const Frame& f : stack_) {
    if (out.size() > kMaxLocation) return out.append("/...");
    if (!f.step.empty()) out.append(1, '/').append(f.step);
  }
  if (!last.empty()) out.append(1, '/').append(last);
  return out.empty() ? "/" : out;
}

// Each incompatibility counts as 4 steps: they are most of what a check's
// memory is made of (kMaxCheckSteps bounds it).
void Checker::add(Outcome& to, IncompatibilityType type, std::string message, std::string loc) {
  steps_ += 4;
  to.items.emplace_back(Incompatibility{type, std::move(message), std::move(loc)});
}

// A new pair: which rule combines its children, and what it breaks itself.
void Checker::push(const Node* r, const Node* w, std::string step) {
  ++steps_;
  stack_.emplace_back();
  Frame& f = stack_.back();
  f.r = r;
  f.w = w;
  f.step = std::move(step);
  if (r->type == w->type) {
    if (r->named()) named(f);
    if (r->type == Type::Array || r->type == Type::Map || r->type == Type::Record) f.rule = Rule::Each;
    if (r->type == Type::Union) f.rule = Rule::UnionBoth;
  } else if (w->type == Type::Union) {
    f.rule = Rule::Each;  // each branch the writer may have written
  } else if (r->type == Type::Union) {
    f.rule = Rule::ReaderUnion;
  } else if (!promotable(r->type, w->type)) {
    add(f.found, IncompatibilityType::TypeMismatch,
        "the reader's " + describe(*r) + " cannot read the writer's " + describe(*w), location());
  }
}

// Two records, enums or fixed: names, then sizes or symbols.
void Checker::named(Frame& f) {
  const Node& r = *f.r;
  const Node& w = *f.w;
  if (!namesMatch(r, w))
    add(f.found, IncompatibilityType::NameMismatch,
        "the reader's name " + r.fullName + " matches neither the writer's " + w.fullName +
            " (without namespace) nor, among the reader's aliases, its full name",
        location("name"));
  if (r.type == Type::Fixed && r.size != w.size)
    add(f.found, IncompatibilityType::FixedSizeMismatch,
        "the writer's fixed has " + std::to_string(w.size) + " bytes, the reader's " + std::to_string(r.size),
        location("size"));
  if (r.type != Type::Enum || r.enumDefault) return;
  std::vector<std::string> missing;
  for (const std::string& symbol : w.symbols)
    if (std::find(r.symbols.begin(), r.symbols.end(), symbol) == r.symbols.end()) missing.push_back(symbol);
  if (!missing.empty())
    add(f.found, IncompatibilityType::MissingEnumSymbols,
        "the reader's enum lacks the writer's symbols " + symbolList(missing) + " and has no default",
        location("symbols"));
}

// The next pair the frame's result depends on, or none when it is complete.
std::optional<Child> Checker::nextChild(Frame& f) {
  const Node& r = *f.r;
  const Node& w = *f.w;
  switch (f.rule) {
    case Rule::Leaf:
      return std::nullopt;
    case Rule::ReaderUnion:
      if (f.matched || f.next >= r.branches.size()) return std::nullopt;
      return Child{r.branches[f.next++], &w, ""};
    case Rule::UnionBoth:
      if (f.next >= w.branches.size()) return std::nullopt;
      return Child{&r, w.branches[f.next++], ""};
    case Rule::Each:
      break;
  }
  if (w.type == Type::Union && r.type != Type::Union) {
    if (f.next >= w.branches.size()) return std::nullopt;
    return Child{&r, w.branches[f.next++], ""};
  }
  if (r.type == Type::Record) return nextField(f);
  if (f.next++ > 0) return std::nullopt;
  return Child{r.items, w.items, r.type == Type::Array ? "items" : "values"};
}

// Records: each reader field reads the writer's field of its name (or
// alias); without one, it needs a default. Writer fields no reader field
// reads are skipped over.
std::optional<Child> Checker::nextField(Frame& f) {
  while (f.next < f.r->fields.size()) {
    size_t i = f.next++;
    const Field& field = f.r->fields[i];
    std::string step = "fields/" + std::to_string(i);
    if (const Field* written = writerField(*f.w, field)) return Child{field.type, written->type, step + "/type"};
    if (!field.defaultJson)
      add(f.found, IncompatibilityType::ReaderFieldMissingDefaultValue,
          "the reader's field " + field.name + " is not in the writer's record and has no default", location(step));
  }
  return std::nullopt;
}

void Checker::receive(Frame& f, const OutcomePtr& child) {
  ++steps_;
  bool compatible = !child || child->empty();  // null: the pair is in progress
  switch (f.rule) {
    case Rule::Each:
      if (!compatible) f.found.items.emplace_back(child);
      return;
    case Rule::UnionBoth:
      if (!compatible)
        add(f.found, IncompatibilityType::MissingUnionBranch,
            "no branch of the reader's union reads the writer's branch " + describe(*f.w->branches[f.next - 1]),
            location(std::to_string(f.next - 1)));
      return;
    case Rule::ReaderUnion:
      f.matched = f.matched || compatible;
      return;
    case Rule::Leaf:
      return;
  }
}

CompatibilityResult Checker::run(const Node& reader, const Node& writer) {
  CompatibilityResult result;
  memo_[{&reader, &writer}] = nullptr;
  push(&reader, &writer, "");
  while (!stack_.empty()) {
    if (steps_ > kMaxCheckSteps) {
      result.compatible = false;
      result.error = "gave up after " + std::to_string(kMaxCheckSteps) + " steps: the schemas are too large to compare";
      return result;
    }
    std::optional<Child> child = nextChild(stack_.back());
    if (!child) {
      Frame& done = stack_.back();
      if (done.rule == Rule::ReaderUnion && !done.matched)
        add(done.found, IncompatibilityType::MissingUnionBranch,
            "no branch of the reader's union reads the writer's " + describe(*done.w), location());
      auto outcome = std::make_shared<const Outcome>(std::move(done.found));
      memo_[{done.r, done.w}] = outcome;
      stack_.pop_back();
      if (stack_.empty())
        flatten(*outcome, result.incompatibilities);
      else
        receive(stack_.back(), outcome);
      continue;
    }
    auto [it, fresh] = memo_.try_emplace({child->r, child->w}, nullptr);
    if (fresh)
      push(child->r, child->w, std::move(child->step));
    else
      receive(stack_.back(), it->second);
  }
  result.compatible = result.incompatibilities.empty();
  return result;
}

}  // namespace

std::string_view incompatibilityName(IncompatibilityType type) {
  static constexpr std::string_view kNames[] = {
      "NAME_MISMATCH", "FIXED_SIZE_MISMATCH",  "MISSING_ENUM_SYMBOLS", "READER_FIELD_MISSING_DEFAULT_VALUE",
      "TYPE_MISMATCH", "MISSING_UNION_BRANCH",
  };
  return kNames[static_cast<size_t>(type)];
}

CompatibilityResult compatibility(const Schema& reader, const Schema& writer) {
  return Checker().run(reader.root(), writer.root());
}

}  // namespace meshrt::avro
