// Format: the layout engine of meshc fmt. Two passes over the concrete
// syntax: the tree gives each code token its spacing and whether it starts a
// line (and at which indent); then the tokens are written in source order,
// comments placed where they stand, and finally the columns of consecutive
// lines are aligned. The rules are documented in docs/fmt.md.
#include "format/Format.h"

#include <algorithm>
#include <functional>

#include "syntax/Cst.h"
#include "syntax/Parse.h"

namespace mesh::format {
namespace {

using syntax::ConcreteTree;
using syntax::CstNode;
using syntax::CstToken;
using syntax::CstTokenKind;

constexpr int kIndent = 2;
constexpr size_t kTrailingCommentColumn = 39;  // 0-based: column 40

// Which column a line's second part aligns with, among its neighbours.
enum class Align { None, Field, KeyValue, Mask, Role };

struct Attr {
  bool glueBefore = false;    // no space before
  bool glueAfter = false;     // no space after
  bool startsLine = false;    // begins a line at `indent`
  bool lineIfBroken = false;  // begins a line at `indent` when the source breaks before it
  bool joined = false;        // stays on the line whatever the source did (`{}`)
  bool opensBlock = false;    // `{` of a block laid out one item a line
  bool closesBlock = false;   // its `}`: comments before it belong inside
  bool drop = false;          // a trailing comma a one-line enum or list does not write
  bool commaAfter = false;    // the last member of a multi-line enum gets a trailing comma
  int indent = 0;             // spaces, when it starts a line
  int cont = kIndent;         // spaces of a continuation line of its statement
  int statement = 0;          // spaces of its statement's first line
  Align align = Align::None;  // the first token of the line's aligned second part
  // The expression (or quality rule) the token belongs to, counted from 1.
  // The checked model keeps their source text, white space folded, for
  // validation messages, metric labels and compatibility checks: between two
  // tokens of one group, the source's choice of space or none is kept.
  int verbatim = 0;
};

bool isComment(CstTokenKind k) {
  return k == CstTokenKind::LineComment || k == CstTokenKind::BlockComment || k == CstTokenKind::DocComment;
}

std::string rtrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\f')) s.pop_back();
  return s;
}

// ---------------------------------------------------------------- pass 1: the tree

class Planner {
 public:
  explicit Planner(const ConcreteTree& tree) : tree_(tree), attr_(tree.tokens.size()) {}

  std::vector<Attr> plan() {
    for (size_t i = 0; i < tree_.tokens.size(); ++i) textRules(i);
    dropOneLineTrailingCommas();
    const CstNode& file = *tree_.root;
    for (const auto& c : file.children) {
      if (!c.node) continue;
      startStatement(*c.node, 0);
      visit(*c.node, 0);
    }
    for (auto& a : attr_)
      if (a.verbatim) a.drop = false;
    return std::move(attr_);
  }

 private:
  const ConcreteTree& tree_;
  std::vector<Attr> attr_;
  int verbatimGroups_ = 0;

  const std::string& text(int64_t token) const { return tree_.tokens[token].text; }

  // Spacing that follows from the token alone.
  void textRules(size_t i) {
    const CstToken& t = tree_.tokens[i];
    if (t.kind != CstTokenKind::Code) return;
    const std::string& s = t.text;
    Attr& a = attr_[i];
    if (s == ";" || s == "," || s == ")" || s == "]" || s == "?" || s == ":") a.glueBefore = true;
    if (s == "(" || s == "[" || s == "@" || s == "!") a.glueAfter = true;
    if (s == ".") a.glueBefore = a.glueAfter = true;
  }

  // `[a, b,]` and `f(a,)` on one line lose the trailing comma (multi-line
  // lists keep theirs; enums are laid out by enumBlock).
  void dropOneLineTrailingCommas() {
    const auto& tokens = tree_.tokens;
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
      if (tokens[i].kind != CstTokenKind::Code || tokens[i].text != ",") continue;
      size_t j = i + 1;
      bool broken = false;
      for (; j < tokens.size() && tokens[j].kind == CstTokenKind::Whitespace; ++j)
        broken |= tokens[j].text.find('\n') != std::string::npos;
      if (broken || tokens[j].kind != CstTokenKind::Code) continue;
      if (tokens[j].text == "]" || tokens[j].text == ")") attr_[i].drop = true;
    }
  }

  static int64_t firstToken(const CstNode& n) {
    for (const auto& c : n.children) {
      if (c.token >= 0) return c.token;
      if (c.node) {
        int64_t t = firstToken(*c.node);
        if (t >= 0) return t;
      }
    }
    return -1;
  }
  static int64_t firstToken(const syntax::CstChild& c) { return c.token >= 0 ? c.token : firstToken(*c.node); }

  void forEachToken(const CstNode& n, const std::function<void(int64_t)>& f) {
    for (const auto& c : n.children) {
      if (c.token >= 0)
        f(c.token);
      else if (c.node)
        forEachToken(*c.node, f);
    }
  }

  // A statement (or block header) starting a line at `level`.
  void startStatement(const CstNode& n, int level) {
    forEachToken(n, [&](int64_t t) {
      attr_[t].cont = (level + 1) * kIndent;
      attr_[t].statement = level * kIndent;
    });
    int64_t first = firstToken(n);
    if (first < 0) return;
    attr_[first].startsLine = true;
    attr_[first].indent = level * kIndent;
  }

  int64_t childToken(const CstNode& n, const char* s) const {
    for (const auto& c : n.children)
      if (c.token >= 0 && text(c.token) == s) return c.token;
    return -1;
  }

  bool sourceBreaksOrComments(int64_t from, int64_t to) const {
    for (int64_t i = from + 1; i < to; ++i) {
      const CstToken& t = tree_.tokens[i];
      if (isComment(t.kind)) return true;
      if (t.kind == CstTokenKind::Whitespace && t.text.find('\n') != std::string::npos) return true;
    }
    return false;
  }

  // `HEADER { item... }`: one item a line, one level deeper; the header's
  // continuation lines get two levels so they stand apart from the items.
  void block(const CstNode& n, int level) {
    int64_t open = childToken(n, "{"), close = childToken(n, "}");
    if (open < 0 || close < 0) return visitChildren(n, level);
    forEachToken(n, [&](int64_t t) {
      if (t <= open) attr_[t].cont = level * kIndent + 2 * kIndent;
    });
    bool anyItem = false;
    for (const auto& c : n.children) {
      if (!c.node) continue;
      int64_t first = firstToken(*c.node);
      if (first > open && first < close) {
        anyItem = true;
        startStatement(*c.node, level + 1);
        visit(*c.node, level + 1);
      } else {
        visit(*c.node, level);
      }
    }
    bool comments = false;
    for (int64_t i = open + 1; i < close; ++i) comments |= isComment(tree_.tokens[i].kind);
    if (!anyItem && !comments) {
      attr_[close].glueBefore = attr_[close].joined = true;
      return;
    }
    attr_[open].opensBlock = true;
    attr_[close].startsLine = attr_[close].closesBlock = true;
    attr_[close].indent = level * kIndent;
  }

  void enumBlock(const CstNode& n, int level) {
    int64_t open = childToken(n, "{"), close = childToken(n, "}");
    if (open < 0 || close < 0) return visitChildren(n, level);
    std::vector<const CstNode*> members;
    for (const auto& c : n.children)
      if (c.node && c.node->rule == "enumMember") members.push_back(c.node.get());
    int64_t trailingComma = -1;
    for (int64_t i = close - 1; i > open; --i) {
      const CstToken& t = tree_.tokens[i];
      if (t.kind != CstTokenKind::Code) continue;
      if (t.text == ",") trailingComma = i;
      break;
    }
    bool multiLine = sourceBreaksOrComments(open, close);
    for (const CstNode* m : members) {
      if (multiLine) startStatement(*m, level + 1);
      visit(*m, level + 1);
    }
    if (!multiLine) {
      if (trailingComma >= 0) attr_[trailingComma].drop = true;
      if (members.empty()) attr_[close].glueBefore = attr_[close].joined = true;
      return;
    }
    if (members.empty()) {
      attr_[close].glueBefore = attr_[close].joined = !sourceBreaksOrComments(open, close);
      if (attr_[close].joined) return;
    }
    if (!members.empty() && trailingComma < 0) {
      int64_t last = -1;
      forEachToken(*members.back(), [&](int64_t t) { last = t; });
      if (last >= 0) attr_[last].commaAfter = true;
    }
    attr_[open].opensBlock = true;
    attr_[close].startsLine = attr_[close].closesBlock = true;
    attr_[close].indent = level * kIndent;
  }

  // The child after the first: where a `KEYWORD VALUE;` line's value starts.
  void alignSecond(const CstNode& n, Align align) {
    size_t k = 0;
    for (const auto& c : n.children) {
      if (!c.node && c.token < 0) continue;
      if (k++ == 1) {
        int64_t t = firstToken(c);
        if (t >= 0) attr_[t].align = align;
        return;
      }
    }
  }

  void glueParenAfterFirst(const CstNode& n) {
    // `name(`: the `(` right after the first child.
    if (n.children.size() >= 2 && n.children[1].token >= 0 && text(n.children[1].token) == "(")
      attr_[n.children[1].token].glueBefore = true;
  }

  void visitChildren(const CstNode& n, int level) {
    for (const auto& c : n.children)
      if (c.node) visit(*c.node, level);
  }

  void visit(const CstNode& n, int level) {
    const std::string& r = n.rule;
    if (r == "expr" || r == "qualityItem") {
      int64_t first = firstToken(n);
      if (first >= 0 && attr_[first].verbatim == 0) {
        ++verbatimGroups_;
        forEachToken(n, [&](int64_t t) { attr_[t].verbatim = verbatimGroups_; });
        // A quality rule's text leaves out its `;`.
        if (r == "qualityItem" && !n.children.empty() && n.children.back().token >= 0)
          attr_[n.children.back().token].verbatim = 0;
      }
    }
    if (r == "decl") {
      bool first = true;
      for (const auto& c : n.children) {
        if (!c.node) continue;
        if (!first) {
          int64_t t = firstToken(*c.node);
          if (t >= 0) {
            attr_[t].lineIfBroken = true;
            attr_[t].indent = level * kIndent;
          }
        }
        first = false;
      }
      return visitChildren(n, level);
    }
    if (r == "enumDecl") return enumBlock(n, level);
    if (r == "recordDecl" || r == "domainDecl" || r == "productDecl" || r == "policyDecl" || r == "unionDecl")
      return block(n, level);
    if (r == "productItem" || r == "policyItem") {
      if (childToken(n, "{") >= 0) return block(n, level);
      if (r == "productItem") alignSecond(n, Align::KeyValue);
      return visitChildren(n, level);
    }
    if (r == "fieldDecl") {
      for (const auto& c : n.children)
        if (c.node && c.node->rule == "typeExpr") {
          attr_[firstToken(*c.node)].align = Align::Field;
          break;
        }
      return visitChildren(n, level);
    }
    if (r == "domainItem" || r == "topicItem" || r == "slaItem") {
      alignSecond(n, Align::KeyValue);
      return visitChildren(n, level);
    }
    if (r == "accessItem") {
      int64_t forToken = childToken(n, "for");
      if (text(firstToken(n)) == "mask" && forToken >= 0)
        attr_[forToken].align = Align::Mask;
      else
        alignSecond(n, Align::KeyValue);
      return visitChildren(n, level);
    }
    if (r == "roleDecl") {
      if (n.children.size() >= 4 && n.children[2].token >= 0) attr_[n.children[2].token].align = Align::Role;
      return visitChildren(n, level);
    }
    if (r == "qualityItem" || r == "tagDecl" || r == "annotation" || r == "maskMethod") {
      if (int64_t p = childToken(n, "("); p >= 0) attr_[p].glueBefore = true;
      return visitChildren(n, level);
    }
    if (r == "baseType") {
      if (int64_t lt = childToken(n, "<"); lt >= 0) attr_[lt].glueBefore = attr_[lt].glueAfter = true;
      if (int64_t gt = childToken(n, ">"); gt >= 0) attr_[gt].glueBefore = true;
      if (int64_t p = childToken(n, "("); p >= 0) attr_[p].glueBefore = true;
      return visitChildren(n, level);
    }
    if (r == "fieldPath") {
      for (const auto& c : n.children)
        if (c.token >= 0 && text(c.token) == "[") attr_[c.token].glueBefore = true;
      return visitChildren(n, level);
    }
    if (r == "expr") {
      // unary: OP expr; member call: expr . ident ( ... )
      if (n.children.size() == 2 && n.children[0].token >= 0) attr_[n.children[0].token].glueAfter = true;
      if (n.children.size() >= 4 && n.children[1].token >= 0 && text(n.children[1].token) == "." &&
          n.children[3].token >= 0 && text(n.children[3].token) == "(")
        attr_[n.children[3].token].glueBefore = true;
      return visitChildren(n, level);
    }
    if (r == "primary") {
      if (!n.children.empty() && n.children[0].node && n.children[0].node->rule == "ident") glueParenAfterFirst(n);
      return visitChildren(n, level);
    }
    visitChildren(n, level);
  }
};

// ---------------------------------------------------------------- pass 2: the lines

enum class LineKind { Code, Continuation, Comment, Doc, Blank };

struct Line {
  LineKind kind = LineKind::Code;
  int indent = 0;
  std::string code;
  size_t cell = std::string::npos;  // where the aligned second part starts in `code`
  Align align = Align::None;
  std::string trailing;      // comments after the code
  bool trailingDoc = false;  // the last of them is a doc comment
  bool opensBlock = false;
};

class Writer {
 public:
  Writer(const ConcreteTree& tree, const std::vector<Attr>& attr) : tree_(tree), attr_(attr) {}

  std::string write() {
    const auto& tokens = tree_.tokens;
    int newlines = 0;
    for (size_t i = 0; i < tokens.size(); ++i) {
      const CstToken& t = tokens[i];
      if (t.kind == CstTokenKind::Whitespace) {
        newlines += static_cast<int>(std::count(t.text.begin(), t.text.end(), '\n'));
        continue;
      }
      if (t.kind == CstTokenKind::Eof) break;
      if (isComment(t.kind))
        comment(i, newlines);
      else
        code(i, newlines);
      newlines = 0;
    }
    closeLine();
    alignColumns();
    return render();
  }

 private:
  const ConcreteTree& tree_;
  const std::vector<Attr>& attr_;
  std::vector<Line> lines_;
  Line cur_;
  bool open_ = false;
  bool mustBreak_ = false;  // a comment ended the line
  int64_t last_ = -1;       // the last token written on the line
  bool lastIsComment_ = false;
  bool joinNext_ = false;  // the next code token continues a line a block comment began

  void closeLine() {
    if (open_) lines_.push_back(std::move(cur_));
    cur_ = Line();
    open_ = false;
    mustBreak_ = false;
    last_ = -1;
  }

  void openLine(LineKind kind, int indent) {
    closeLine();
    cur_.kind = kind;
    cur_.indent = indent;
    open_ = true;
  }

  // At most one blank line, none at the start of the file or of a block,
  // none before the end of a block.
  void blankIfAny(int newlines, bool closing) {
    if (newlines < 2 || closing || lines_.empty()) return;
    const Line& prev = lines_.back();
    // A blank line under a doc comment keeps it from attaching below.
    if (prev.kind == LineKind::Blank || (prev.opensBlock && !prev.trailingDoc)) return;
    Line blank;
    blank.kind = LineKind::Blank;
    lines_.push_back(std::move(blank));
  }

  // Whether the token (code or comment) sits between two tokens of one
  // verbatim group, after another token of the line.
  bool inVerbatim(size_t i) const {
    if (last_ < 0) return false;
    int group = 0;
    for (size_t k = static_cast<size_t>(last_) + 1; k-- > 0;) {
      if (tree_.tokens[k].kind == CstTokenKind::Code) {
        group = attr_[k].verbatim;
        break;
      }
    }
    if (group == 0) return false;
    for (size_t k = i; k < tree_.tokens.size(); ++k)
      if (tree_.tokens[k].kind == CstTokenKind::Code || tree_.tokens[k].kind == CstTokenKind::Eof)
        return attr_[k].verbatim == group;
    return false;
  }
  bool sourceSpaceBefore(size_t i) const { return i > 0 && tree_.tokens[i - 1].kind == CstTokenKind::Whitespace; }

  size_t nextNonSpace(size_t i) const {
    for (size_t j = i + 1; j < tree_.tokens.size(); ++j)
      if (tree_.tokens[j].kind != CstTokenKind::Whitespace) return j;
    return tree_.tokens.size() - 1;
  }
  int newlinesBefore(size_t j) const {
    int n = 0;
    for (size_t k = j; k-- > 0;) {
      const CstToken& t = tree_.tokens[k];
      if (t.kind != CstTokenKind::Whitespace) break;
      n += static_cast<int>(std::count(t.text.begin(), t.text.end(), '\n'));
    }
    return n;
  }

  void code(size_t i, int newlines) {
    const Attr& a = attr_[i];
    if (a.drop) return;
    const std::string& text = tree_.tokens[i].text;
    bool join = joinNext_;
    joinNext_ = false;
    bool newLine = !join && (a.startsLine || (a.lineIfBroken && newlines > 0));
    if (join) {
      if (!a.glueBefore) cur_.code += ' ';
    } else if (newLine) {
      closeLine();
      blankIfAny(newlines, a.closesBlock);
      openLine(LineKind::Code, a.indent);
    } else if (!open_ || mustBreak_ || (newlines > 0 && !a.joined)) {
      closeLine();
      // A bracket that closes a list the author broke over lines lines up
      // with its statement.
      bool closer = text == "]" || text == ")";
      openLine(LineKind::Continuation, closer ? a.statement : a.cont);
    } else if (last_ >= 0 &&
               (inVerbatim(i) ? sourceSpaceBefore(i)
                              : !(lastIsComment_ ? a.glueBefore : attr_[last_].glueAfter || a.glueBefore))) {
      cur_.code += ' ';
    }
    if (a.align != Align::None && cur_.kind == LineKind::Code && cur_.cell == std::string::npos && !cur_.code.empty()) {
      cur_.cell = cur_.code.size();
      cur_.align = a.align;
    }
    cur_.code += text;
    if (a.commaAfter) cur_.code += ',';
    if (a.opensBlock) cur_.opensBlock = true;
    last_ = static_cast<int64_t>(i);
    lastIsComment_ = false;
  }

  void comment(size_t i, int newlines) {
    const CstToken& t = tree_.tokens[i];
    std::string text = rtrim(t.text);
    if (open_ && newlines == 0) {
      size_t next = nextNonSpace(i);
      const CstToken& n = tree_.tokens[next];
      bool codeFollows = n.kind == CstTokenKind::Code && newlinesBefore(next) == 0 && !attr_[next].startsLine;
      if (t.kind == CstTokenKind::BlockComment && codeFollows && !mustBreak_ && text.find('\n') == std::string::npos) {
        if (last_ >= 0 && (inVerbatim(i) ? sourceSpaceBefore(i) : !(lastIsComment_ ? false : attr_[last_].glueAfter)))
          cur_.code += ' ';
        cur_.code += text;
        last_ = static_cast<int64_t>(i);
        lastIsComment_ = true;
        return;
      }
      if (!cur_.trailing.empty()) cur_.trailing += ' ';
      cur_.trailing += text;
      cur_.trailingDoc = t.kind == CstTokenKind::DocComment;
      mustBreak_ = true;
      return;
    }
    closeLine();
    // A comment on its own line is indented like the code it precedes.
    size_t next = nextNonSpace(i);
    int indent = 0;
    if (tree_.tokens[next].kind == CstTokenKind::Code) {
      const Attr& a = attr_[next];
      if (a.startsLine || a.lineIfBroken)
        indent = a.indent + (a.closesBlock ? kIndent : 0);
      else
        indent = a.cont;
    } else if (tree_.tokens[next].kind != CstTokenKind::Eof) {
      indent = commentIndent(next);
    }
    blankIfAny(newlines, false);
    const CstToken& n = tree_.tokens[next];
    if (t.kind == CstTokenKind::BlockComment && text.find('\n') == std::string::npos && n.kind == CstTokenKind::Code &&
        newlinesBefore(next) == 0) {
      // `/* c */ code` on a line of its own: the code stays on that line (a
      // doc comment above it stays directly above).
      const Attr& a = attr_[next];
      bool starts = a.startsLine || a.lineIfBroken;
      openLine(starts ? LineKind::Code : LineKind::Continuation, starts ? a.indent : a.cont);
      cur_.code = text;
      last_ = static_cast<int64_t>(i);
      lastIsComment_ = true;
      joinNext_ = true;
      return;
    }
    openLine(t.kind == CstTokenKind::DocComment ? LineKind::Doc : LineKind::Comment, indent);
    cur_.code = text;
    mustBreak_ = true;
    last_ = static_cast<int64_t>(i);
    lastIsComment_ = true;
  }

  // The indent of a comment line followed by other comments: that of the
  // first code token after them.
  int commentIndent(size_t from) const {
    for (size_t j = from; j < tree_.tokens.size(); ++j) {
      const CstToken& t = tree_.tokens[j];
      if (t.kind == CstTokenKind::Eof) return 0;
      if (t.kind != CstTokenKind::Code) continue;
      const Attr& a = attr_[j];
      if (a.startsLine || a.lineIfBroken) return a.indent + (a.closesBlock ? kIndent : 0);
      return a.cont;
    }
    return 0;
  }

  // Consecutive lines of one kind at one indent (doc comments between them
  // allowed) line up their second part, as gofmt lines up struct fields.
  void alignColumns() {
    size_t i = 0;
    while (i < lines_.size()) {
      if (lines_[i].kind != LineKind::Code || lines_[i].align == Align::None) {
        ++i;
        continue;
      }
      std::vector<size_t> group{i};
      size_t j = i + 1;
      for (; j < lines_.size(); ++j) {
        const Line& l = lines_[j];
        if (l.kind == LineKind::Doc) continue;
        if (l.kind == LineKind::Code && l.align == lines_[i].align && l.indent == lines_[i].indent) {
          group.push_back(j);
          continue;
        }
        break;
      }
      size_t width = 0;
      for (size_t g : group) width = std::max(width, firstPartWidth(lines_[g]));
      for (size_t g : group) {
        Line& l = lines_[g];
        size_t w = firstPartWidth(l);
        l.code = l.code.substr(0, w) + std::string(width - w + 1, ' ') + l.code.substr(l.cell);
      }
      i = j;
    }
  }
  static size_t firstPartWidth(const Line& l) {
    size_t w = l.cell;
    while (w > 0 && l.code[w - 1] == ' ') --w;
    return w;
  }

  // Trailing comments of consecutive lines start in one column: column 40,
  // or two spaces after the longest of those lines.
  std::string render() {
    std::string out;
    size_t i = 0;
    while (i < lines_.size()) {
      size_t j = i;
      size_t column = kTrailingCommentColumn;
      while (j < lines_.size() && !lines_[j].trailing.empty()) {
        column = std::max(column, lines_[j].indent + lastLineWidth(lines_[j].code) + 2);
        ++j;
      }
      if (j == i) ++j;  // a line without a trailing comment
      for (size_t k = i; k < j; ++k) {
        const Line& l = lines_[k];
        if (l.kind == LineKind::Blank) {
          out += '\n';
          continue;
        }
        std::string line = std::string(l.indent, ' ') + l.code;
        if (!l.trailing.empty()) {
          size_t width = l.indent + lastLineWidth(l.code);
          line += std::string(column > width ? column - width : 1, ' ') + l.trailing;
        }
        out += rtrim(line) + '\n';
      }
      i = j;
    }
    return out;
  }
  static size_t lastLineWidth(const std::string& code) {
    size_t nl = code.rfind('\n');
    return syntaxWidth(nl == std::string::npos ? code : code.substr(nl + 1));
  }
  static size_t syntaxWidth(const std::string& s) { return codePointCount(s); }
};

}  // namespace

namespace {

// A byte order mark is kept: the lexer skips it, the writer puts it back.
std::optional<std::string> layout(const std::string& text) {
  auto tree = syntax::parseConcrete(text);
  if (!tree) return std::nullopt;
  std::vector<Attr> attr = Planner(*tree).plan();
  return text.substr(0, byteOrderMarkLength(text)) + Writer(*tree, attr).write();
}

}  // namespace

std::optional<std::string> formatText(const std::string& text) {
  // Through parseFile first: it rejects what the concrete parse must not
  // see (invalid UTF-8, nesting deeper than the parser's limits).
  SourceManager sm;
  std::string copy = text;
  std::vector<uint32_t> invalid = sanitizeUtf8(copy);
  uint32_t id = sm.addFile("<text>", std::move(copy));
  DiagnosticEngine diags;
  return formatFile(sm, id, invalid, diags);
}

std::optional<std::string> formatFile(const SourceManager& sm, uint32_t fileId,
                                      const std::vector<uint32_t>& invalidUtf8, DiagnosticEngine& diags) {
  DiagnosticEngine parseDiags;
  syntax::parseFile(sm, fileId, invalidUtf8, parseDiags);
  bool refused = parseDiags.hasErrors() || !invalidUtf8.empty();
  diags.absorb(std::move(parseDiags));
  if (refused) return std::nullopt;
  return layout(sm.text(fileId).str());
}

}  // namespace mesh::format
