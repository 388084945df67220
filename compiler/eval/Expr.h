// Expr: the evaluator of typed expressions (language.md section 3), shared by
// message validation (Validate.cpp: `where` and `check`) and policy
// evaluation (policy/Evaluate.cpp: `require` and `where` over the contract
// model). One meaning of every operator, widening and Kleene logic; what an
// expression can read (a message's values or the policy model) is the
// caller's, through the hooks of ExprEvaluator.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "meshrt/decimal.h"
#include "model/Model.h"

namespace meshrt {
class Regex;
}

namespace mesh::eval {

/// A typed runtime value.
struct RValue;
using RList = std::vector<RValue>;
using RMap = std::vector<std::pair<std::string, RValue>>;

struct RValue {
  enum class Kind {
    Null,
    Bool,
    Int,
    Float,
    Decimal,
    String,
    Bytes,
    Timestamp,
    Date,
    Duration,
    Uuid,
    Json,  // a json value but null (which is Null): its text in `s`, its meshrt::JsonKind in `i`
    Enum,
    List,
    Map,
    Record,
    // Objects of the policy model: `ref` points into the model (a Product,
    // a model::FieldPath, a Record, a Role or a Tag); `owner` is the product
    // a field or record was reached from (for masked_for), when known.
    ModelProduct,
    ModelField,
    ModelRecord,
    ModelRole,
    ModelTag,
    ModelTopic,
    ModelSla,
    ModelAccess,
  };
  // A scalar is held in one of `b`, `i`, `s` (a number in `i`, `f` or `d`),
  // the others left as they are here (each member is initialized here, for
  // designated initializers), so one comparison of `b`, `i` and `s`
  // orders every kind of scalar (compareValues). The text types
  // (TextTypes.h) are held in `i` or `s`.
  Kind kind = Kind::Null;
  bool b = false;
  int64_t i = 0;  // Int, Timestamp (micros), Date (days), Duration (micros), Enum (member index)
  double f = 0;
  meshrt::Decimal d{};
  std::string s{};                // String, Bytes (decoded), Uuid (16 raw bytes)
  std::shared_ptr<RList> list{};  // List, Record (fields by index)
  std::shared_ptr<RMap> map{};    // Map
  const void* ref = nullptr;      // Model*
  const model::Product* owner = nullptr;

  static RValue null() { return {}; }
  static RValue boolean(bool v) { return {.kind = Kind::Bool, .b = v}; }
  static RValue integer(int64_t v) { return {.kind = Kind::Int, .i = v}; }
  static RValue floating(double v) { return {.kind = Kind::Float, .f = v}; }
  static RValue string(std::string v) { return {.kind = Kind::String, .s = std::move(v)}; }
  static RValue listOf(RList items) { return {.kind = Kind::List, .list = std::make_shared<RList>(std::move(items))}; }
  static RValue model(Kind kind, const void* ref, const model::Product* owner = nullptr) {
    return {.kind = kind, .ref = ref, .owner = owner};
  }
  bool isNull() const { return kind == Kind::Null; }
};

bool isNumber(const RValue& v);
double toDouble(const RValue& v);
/// -1, 0, 1 for values of comparable types (the checker guarantees it).
int compareValues(const RValue& a, const RValue& b);
bool equalValues(const RValue& a, const RValue& b);
/// A literal of the model as a runtime value (roles and tags as model refs).
RValue literalValue(const model::Value& lit);

/// The outcome of evaluating an expression. Unknown (SQL's three-valued
/// logic: an ordering, arithmetic or function applied to null) and Error
/// (division by zero, overflow) carry the sub-expression that caused them,
/// so a caller can say why an expression could not be decided.
struct Res {
  enum class State { Ok, Unknown, Error } state = State::Ok;
  RValue v;
  const model::Expr* cause = nullptr;  // Unknown: the operand that was null; Error: the failing operation
  const char* why = nullptr;           // Error: "division by zero", "overflow"...
  static Res ok(RValue v) { return {State::Ok, std::move(v)}; }
  static Res unknown(const model::Expr* cause = nullptr) { return {State::Unknown, {}, cause}; }
  static Res error(const model::Expr* cause = nullptr, const char* why = nullptr) {
    return {State::Error, {}, cause, why};
  }
};

/// Regexes compiled once per pattern, shared by every evaluation.
class RegexCache {
 public:
  RegexCache();
  ~RegexCache();
  const meshrt::Regex& get(const std::string& pattern);

 private:
  std::map<std::string, std::unique_ptr<meshrt::Regex>> regexes_;
};

/// Evaluates one expression tree. `value`, `fields` and `locals` are what
/// the expression reads; a subclass answers the policy model's attributes
/// and methods.
class ExprEvaluator {
 public:
  ExprEvaluator(RegexCache& regexes, int64_t nowMicros) : regexes_(regexes), nowMicros_(nowMicros) {}
  virtual ~ExprEvaluator() = default;

  const RValue* value = nullptr;  // `value` in a where
  const RList* fields = nullptr;  // the record's fields in a check
  std::vector<RValue> locals;     // quantifier variables and policy binders, by index

  Res eval(const model::Expr& e);

 protected:
  /// `base.attribute` of the policy model (ExprOp::Attribute).
  virtual Res attribute(const model::Expr& e, const RValue& base);
  /// has(tag), masked_for(role), tag(T).param on a policy model object.
  virtual Res modelCall(const model::Expr& e, const std::vector<RValue>& args);

 private:
  Res binary(const model::Expr& e);
  Res call(const model::Expr& e);
  Res arithmetic(const model::Expr& e, const RValue& a, const RValue& b);

  RegexCache& regexes_;
  int64_t nowMicros_;
};

}  // namespace mesh::eval
