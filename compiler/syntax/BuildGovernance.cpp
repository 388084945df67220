// Builder: product and policy declarations (see Builder.h). Each block of
// keyword-led items (product, topic, sla, quality, access, policy) is a small
// class filling its part of the AST, one function per kind of item; a setting
// given twice is reported once (E0010) and the first one kept.
#include <fmt/format.h>

#include "syntax/Builder.h"
#include "syntax/TreeNodes.h"

namespace mesh::syntax {
namespace {

using antlr4::ParserRuleContext;
using antlr4::Token;

/// A block's items. Each class's add() passes an item to its item() for the
/// item's alternative; an item the parser could not label (after a syntax
/// error) adds nothing.
class Items {
 public:
  explicit Items(Builder& b) : b_(b) {}

 protected:
  std::vector<ast::QualifiedName> roleList(MeshParser::RoleListContext* ctx) {
    return ctx ? b_.qnames(children<MeshParser::QualifiedNameContext>(ctx)) : std::vector<ast::QualifiedName>{};
  }
  // The one token of a quality rule's comparison (">=" when it is missing).
  ast::CompareOp compareOp(MeshParser::CompareOpContext* ctx) {
    if (!ctx) return ast::CompareOp::Ge;
    std::string text;
    std::string_view op;
    if (ctx->children.size() == 1 && isToken(ctx->children[0]))
      op = b_.spelling(static_cast<antlr4::tree::TerminalNode*>(ctx->children[0])->getSymbol());
    else
      op = text = ctx->getText();  // after a syntax error
    if (op == "<") return ast::CompareOp::Lt;
    if (op == "<=") return ast::CompareOp::Le;
    if (op == ">") return ast::CompareOp::Gt;
    if (op == "==") return ast::CompareOp::Eq;
    if (op == "!=") return ast::CompareOp::Ne;
    return ast::CompareOp::Ge;
  }

  Builder& b_;
};

class TopicItems : public Items {
 public:
  TopicItems(Builder& b, ast::Topic& topic) : Items(b), topic_(topic) {}

  void add(MeshParser::TopicItemContext* ctx) {
    withAlternative<MeshParser::TopicKeyContext, MeshParser::TopicPartitionsContext,
                    MeshParser::TopicReplicationContext, MeshParser::TopicFormatContext,
                    MeshParser::TopicSubjectContext>(ctx, [this](auto* c) { item(c); });
  }

 private:
  void item(MeshParser::TopicKeyContext* ctx) {
    if (b_.once(topic_.key, "key", ctx)) topic_.key = b_.fieldPath(child<MeshParser::FieldPathContext>(ctx));
  }
  void item(MeshParser::TopicPartitionsContext* ctx) {
    if (b_.once(topic_.partitions, "partitions", ctx))
      topic_.partitions = b_.intValue(tokenChild(ctx, MeshParser::INT));
  }
  void item(MeshParser::TopicReplicationContext* ctx) {
    if (b_.once(topic_.replication, "replication", ctx))
      topic_.replication = b_.intValue(tokenChild(ctx, MeshParser::INT));
  }
  void item(MeshParser::TopicFormatContext* ctx) {
    if (b_.once(topic_.format, "format", ctx)) topic_.format = b_.ident(child<MeshParser::IdentContext>(ctx));
  }
  void item(MeshParser::TopicSubjectContext* ctx) {
    if (b_.once(topic_.subject, "subject", ctx)) topic_.subject = b_.ident(child<MeshParser::IdentContext>(ctx));
  }

  ast::Topic& topic_;
};

class SlaItems : public Items {
 public:
  SlaItems(Builder& b, ast::Sla& sla) : Items(b), sla_(sla) {}

  void add(MeshParser::SlaItemContext* ctx) {
    withAlternative<MeshParser::SlaFreshnessContext, MeshParser::SlaAvailabilityContext,
                    MeshParser::SlaThroughputContext, MeshParser::SlaLatencyContext>(ctx, [this](auto* c) { item(c); });
  }

 private:
  void item(MeshParser::SlaFreshnessContext* ctx) {
    if (b_.once(sla_.freshnessMicros, "freshness", ctx))
      sla_.freshnessMicros = b_.durationValue(tokenChild(ctx, MeshParser::DURATION));
  }
  void item(MeshParser::SlaAvailabilityContext* ctx) {
    if (b_.once(sla_.availabilityPercent, "availability", ctx))
      sla_.availabilityPercent = b_.percentValue(tokenChild(ctx, MeshParser::PERCENT));
  }
  void item(MeshParser::SlaThroughputContext* ctx) {
    if (!b_.once(sla_.throughputPerSecond, "throughput", ctx)) return;
    Token* rate = tokenChild(ctx, MeshParser::RATE);
    sla_.throughputPerSecond = b_.rateValue(rate);
    if (rate) sla_.throughputText = rate->getText();
  }
  void item(MeshParser::SlaLatencyContext* ctx) {
    if (!b_.once(sla_.latencyMicros, "latency", ctx)) return;
    sla_.latencyPercentile = b_.ident(ctx->percentile);
    sla_.latencyMicros = b_.durationValue(tokenChild(ctx, MeshParser::DURATION));
  }

  ast::Sla& sla_;
};

/// Quality rules: a rule with a missing part is left out.
class QualityItems : public Items {
 public:
  QualityItems(Builder& b, std::vector<ast::QualityRule>& rules) : Items(b), rules_(rules) {}

  void add(MeshParser::QualityItemContext* ctx) {
    withAlternative<MeshParser::QualityUniqueContext, MeshParser::QualityNullRateContext,
                    MeshParser::QualityVolumeContext, MeshParser::QualityValidRateContext>(
        ctx, [this](auto* c) { item(c); });
  }

 private:
  void item(MeshParser::QualityUniqueContext* ctx) {
    ast::QualityRule rule = start(ctx, ast::QualityRule::Kind::Unique);
    rule.field = b_.fieldPath(child<MeshParser::FieldPathContext>(ctx));
    auto window = b_.durationValue(tokenChild(ctx, MeshParser::DURATION));
    if (!rule.field || !window) return;
    setWindow(rule, *window);
    rules_.push_back(std::move(rule));
  }
  void item(MeshParser::QualityNullRateContext* ctx) {
    ast::QualityRule rule = start(ctx, ast::QualityRule::Kind::NullRate);
    rule.field = b_.fieldPath(child<MeshParser::FieldPathContext>(ctx));
    rule.op = compareOp(child<MeshParser::CompareOpContext>(ctx));
    auto pct = b_.percentValue(tokenChild(ctx, MeshParser::PERCENT));
    if (!rule.field || !pct) return;
    setThreshold(rule, pct->value, pct->range);
    rules_.push_back(std::move(rule));
  }
  void item(MeshParser::QualityVolumeContext* ctx) {
    ast::QualityRule rule = start(ctx, ast::QualityRule::Kind::Volume);
    rule.op = compareOp(child<MeshParser::CompareOpContext>(ctx));
    auto count = b_.intValue(tokenChild(ctx, MeshParser::INT));
    auto window = b_.durationValue(tokenChild(ctx, MeshParser::DURATION));
    if (!count || !window) return;
    setThreshold(rule, static_cast<double>(count->value), count->range);
    setWindow(rule, *window);
    rules_.push_back(std::move(rule));
  }
  void item(MeshParser::QualityValidRateContext* ctx) {
    ast::QualityRule rule = start(ctx, ast::QualityRule::Kind::ValidRate);
    rule.op = compareOp(child<MeshParser::CompareOpContext>(ctx));
    auto pct = b_.percentValue(tokenChild(ctx, MeshParser::PERCENT));
    if (!pct) return;
    setThreshold(rule, pct->value, pct->range);
    rules_.push_back(std::move(rule));
  }

  ast::QualityRule start(ParserRuleContext* ctx, ast::QualityRule::Kind kind) {
    ast::QualityRule rule{};
    rule.range = b_.rangeOf(ctx);
    rule.kind = kind;
    return rule;
  }
  static void setThreshold(ast::QualityRule& rule, double value, SourceRange range) {
    rule.threshold = value;
    rule.thresholdRange = range;
  }
  static void setWindow(ast::QualityRule& rule, const ast::Located<int64_t>& window) {
    rule.windowMicros = window.value;
    rule.windowRange = window.range;
  }

  std::vector<ast::QualityRule>& rules_;
};

class AccessItems : public Items {
 public:
  AccessItems(Builder& b, ast::Access& access) : Items(b), access_(access) {}

  void add(MeshParser::AccessItemContext* ctx) {
    withAlternative<MeshParser::AccessReadersContext, MeshParser::AccessWritersContext, MeshParser::AccessMaskContext>(
        ctx, [this](auto* c) { item(c); });
  }

 private:
  void item(MeshParser::AccessReadersContext* ctx) {
    if (!b_.once(access_.readers, "readers", ctx, access_.readersRange)) return;
    access_.readers = roleList(child<MeshParser::RoleListContext>(ctx));
    access_.readersRange = b_.rangeOf(ctx);
  }
  void item(MeshParser::AccessWritersContext* ctx) {
    if (!b_.once(access_.writers, "writers", ctx, access_.writersRange)) return;
    access_.writers = roleList(child<MeshParser::RoleListContext>(ctx));
    access_.writersRange = b_.rangeOf(ctx);
  }
  void item(MeshParser::AccessMaskContext* ctx) {
    auto path = b_.fieldPath(child<MeshParser::FieldPathContext>(ctx));
    auto* method = child<MeshParser::MaskMethodContext>(ctx);
    auto methodName = method ? b_.ident(method->name) : std::nullopt;
    if (!path || !methodName) return;
    ast::Mask mask{std::move(*path), roleList(child<MeshParser::RoleListContext>(ctx)), std::move(*methodName),
                   std::nullopt, b_.rangeOf(ctx)};
    if (Token* argument = tokenChild(method, MeshParser::INT)) mask.argument = b_.intValue(argument);
    access_.masks.push_back(std::move(mask));
  }

  ast::Access& access_;
};

class ProductItems : public Items {
 public:
  ProductItems(Builder& b, ast::ProductDecl& p) : Items(b), p_(p) {}

  void add(MeshParser::ProductItemContext* ctx) {
    withAlternative<MeshParser::ProductDomainContext, MeshParser::ProductVersionContext,
                    MeshParser::ProductSchemaContext, MeshParser::ProductTopicContext, MeshParser::ProductSlaContext,
                    MeshParser::ProductQualityContext, MeshParser::ProductAccessContext,
                    MeshParser::ProductRetentionContext, MeshParser::ProductCompatibilityContext,
                    MeshParser::ProductUpstreamContext>(ctx, [this](auto* c) { item(c); });
  }

 private:
  void item(MeshParser::ProductDomainContext* ctx) {
    if (b_.once(p_.domain, "domain", ctx)) p_.domain = b_.qname(child<MeshParser::QualifiedNameContext>(ctx));
  }
  void item(MeshParser::ProductVersionContext* ctx) {
    Token* version = tokenChild(ctx, MeshParser::STRING);
    if (b_.once(p_.version, "version", ctx) && version) p_.version = b_.located(version);
  }
  void item(MeshParser::ProductSchemaContext* ctx) {
    if (b_.once(p_.schema, "schema", ctx)) p_.schema = b_.qname(child<MeshParser::QualifiedNameContext>(ctx));
  }
  void item(MeshParser::ProductRetentionContext* ctx) {
    if (b_.once(p_.retentionMicros, "retention", ctx))
      p_.retentionMicros = b_.durationValue(tokenChild(ctx, MeshParser::DURATION));
  }
  void item(MeshParser::ProductCompatibilityContext* ctx) {
    if (b_.once(p_.compatibility, "compatibility", ctx))
      p_.compatibility = b_.ident(child<MeshParser::IdentContext>(ctx));
  }
  void item(MeshParser::ProductUpstreamContext* ctx) {
    if (!b_.once(p_.upstream, "upstream", ctx, p_.upstreamRange)) return;
    p_.upstream = b_.qnames(children<MeshParser::QualifiedNameContext>(ctx));
    p_.upstreamRange = b_.rangeOf(ctx);
  }

  void item(MeshParser::ProductTopicContext* ctx) {
    if (!b_.once(p_.topic, "topic", ctx)) return;
    auto name = b_.located(tokenChild(ctx, MeshParser::STRING));
    if (!name) return;
    ast::Topic topic;
    topic.name = std::move(*name);
    topic.range = b_.rangeOf(ctx);
    TopicItems items(b_, topic);
    for (auto* item : ruleChildren<MeshParser::TopicItemContext>(ctx, MeshParser::RuleTopicItem)) items.add(item);
    p_.topic = std::move(topic);
  }
  void item(MeshParser::ProductSlaContext* ctx) {
    if (!b_.once(p_.sla, "sla", ctx)) return;
    ast::Sla sla;
    sla.range = b_.rangeOf(ctx);
    SlaItems items(b_, sla);
    for (auto* item : ruleChildren<MeshParser::SlaItemContext>(ctx, MeshParser::RuleSlaItem)) items.add(item);
    p_.sla = std::move(sla);
  }
  void item(MeshParser::ProductQualityContext* ctx) {
    if (!b_.once(p_.quality, "quality", ctx, p_.qualityRange)) return;
    p_.qualityRange = b_.rangeOf(ctx);
    std::vector<ast::QualityRule> rules;
    QualityItems items(b_, rules);
    for (auto* item : ruleChildren<MeshParser::QualityItemContext>(ctx, MeshParser::RuleQualityItem)) items.add(item);
    p_.quality = std::move(rules);
  }
  void item(MeshParser::ProductAccessContext* ctx) {
    if (!b_.once(p_.access, "access", ctx)) return;
    ast::Access access;
    access.range = b_.rangeOf(ctx);
    AccessItems items(b_, access);
    for (auto* item : ruleChildren<MeshParser::AccessItemContext>(ctx, MeshParser::RuleAccessItem)) items.add(item);
    p_.access = std::move(access);
  }

  ast::ProductDecl& p_;
};

class PolicyItems : public Items {
 public:
  PolicyItems(Builder& b, ast::PolicyDecl& p) : Items(b), p_(p) {}

  void add(MeshParser::PolicyItemContext* ctx) {
    withAlternative<MeshParser::PolicySeverityContext, MeshParser::PolicyForContext>(ctx, [this](auto* c) { item(c); });
  }

 private:
  void item(MeshParser::PolicySeverityContext* ctx) {
    if (b_.once(p_.severity, "severity", ctx)) p_.severity = b_.ident(ctx->level);
  }

  // A rule with a binder missing its kind or name is left out.
  void item(MeshParser::PolicyForContext* ctx) {
    ast::ForRule rule;
    rule.range = b_.rangeOf(ctx);
    bool complete = true;
    for (auto* binder : children<MeshParser::BinderContext>(ctx)) {
      auto kind = b_.ident(binder->kind);
      auto name = b_.ident(binder->name);
      if (!kind || !name) {
        complete = false;
        continue;
      }
      rule.binders.push_back(
          {std::move(*kind), std::move(*name), binder->source ? b_.expr(binder->source) : nullptr, b_.rangeOf(binder)});
    }
    if (!complete || rule.binders.empty()) return;
    if (ctx->filter) rule.filter = b_.expr(ctx->filter);
    for (auto* r : children<MeshParser::RequireStmtContext>(ctx)) {
      ast::Require req{b_.expr(exprChild(r)), std::nullopt, b_.rangeOf(r)};
      if (Token* message = tokenChild(r, MeshParser::STRING)) req.message = b_.located(message);
      rule.requires_.push_back(std::move(req));
    }
    p_.rules.push_back(std::move(rule));
  }

  ast::PolicyDecl& p_;
};

}  // namespace

std::optional<ast::Ident> Builder::declBody(MeshParser::ProductDeclContext* ctx, ast::DeclBody& body) {
  auto& product = body.emplace<ast::ProductDecl>();
  ProductItems items(*this, product);
  for (auto* item : ruleChildren<MeshParser::ProductItemContext>(ctx, MeshParser::RuleProductItem)) items.add(item);
  return ident(ctx->name);
}

std::optional<ast::Ident> Builder::declBody(MeshParser::PolicyDeclContext* ctx, ast::DeclBody& body) {
  auto& policy = body.emplace<ast::PolicyDecl>();
  PolicyItems items(*this, policy);
  for (auto* item : ruleChildren<MeshParser::PolicyItemContext>(ctx, MeshParser::RulePolicyItem)) items.add(item);
  return ident(ctx->name);
}

}  // namespace mesh::syntax
