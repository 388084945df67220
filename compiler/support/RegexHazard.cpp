// RegexHazard: nested and ambiguous repetitions in a pattern's structure.
//
// A backtracking engine tries every way a repetition `(B)+` can divide the
// text among its rounds before it gives up; when B can end with a
// repetition (or option) of characters that B can also start with, the
// boundary between two rounds can move, and a text that fails at its end
// costs 2^n tries (`^(a+)+$` on "aaa...a!"). The same holds with the sides
// swapped (B starts with a repetition of what it can end with), and for a
// repeated alternation in which one string can be divided into rounds in two
// ways (`(a|a)*`, `(.a|ba)*`, `(a|aa)+`).
//
// RE2 exports no parse tree (its Regexp class is internal), so the pattern's
// structure is read here, after RE2 has accepted it: only what the analysis
// needs (atoms as character sets, groups, alternation, quantifiers,
// anchors). Character sets are over-approximated where that is simpler
// (non-ASCII characters beyond a single literal, Unicode classes).
#include "support/RegexHazard.h"

#include <re2/re2.h>

#include <bitset>
#include <cctype>
#include <utility>
#include <vector>

namespace mesh::support {
namespace {

constexpr size_t kMaxPattern = 2000;  // longer patterns are not analysed
constexpr int kMaxDepth = 200;        // group nesting
constexpr size_t kMaxBranches = 256;
constexpr size_t kMaxFixed = 64;     // positions of a fixed-length branch
constexpr long kBudget = 2'000'000;  // set comparisons per pattern
constexpr int kNone = -1, kMany = -2;

/// Characters: ASCII exactly, non-ASCII as one code point or "some".
struct CharSet {
  std::bitset<128> ascii;
  int other = kNone;     // kNone, a single code point >= 128, or kMany
  bool inexact = false;  // the ASCII part is an over-approximation

  void addCode(int cp) {
    if (cp < 128)
      ascii.set(cp);
    else
      other = (other == kNone || other == cp) ? cp : kMany;
  }
  void addRange(int lo, int hi) {
    for (int c = lo; c <= hi && c < 128; ++c) ascii.set(c);
    if (hi >= 128) other = (lo == hi && (other == kNone || other == lo)) ? lo : kMany;
  }
  void add(const CharSet& o) {
    ascii |= o.ascii;
    if (o.other != kNone) other = (other == kNone || other == o.other) ? o.other : kMany;
    inexact = inexact || o.inexact;
  }
  void negate() {
    ascii = inexact ? ascii.set() : ~ascii;
    other = kMany;
  }
  void fold() {
    for (int c = 'a'; c <= 'z'; ++c)
      if (ascii[c] || ascii[c - 32]) ascii.set(c).set(c - 32);
    // U+212A KELVIN SIGN and U+017F LONG S fold to k and s.
    bool k = ascii['k'], s = ascii['s'];
    if (k) addCode(0x212A);
    if (s) addCode(0x17F);
    if (other == kMany || other == 0x212A) ascii.set('k').set('K');
    if (other == kMany || other == 0x17F) ascii.set('s').set('S');
  }
  /// The smallest ASCII character in both sets, 128 for a non-ASCII one, or -1.
  int commonWith(const CharSet& o) const {
    auto both = ascii & o.ascii;
    for (int c = 0; c < 128; ++c)
      if (both[c]) return c;
    if (other == kNone || o.other == kNone) return -1;
    return (other == kMany || o.other == kMany || other == o.other) ? 128 : -1;
  }
  bool empty() const { return ascii.none() && other == kNone; }
};

CharSet asciiWhere(int (*pred)(int)) {
  CharSet s;
  for (int c = 0; c < 128; ++c)
    if (pred(c)) s.ascii.set(c);
  return s;
}
int isWord(int c) { return std::isalnum(c) || c == '_'; }
int isReSpace(int c) { return c == ' ' || (c >= '\t' && c <= '\r' && c != '\v'); }
int isAny(int) { return 1; }
int isBlank(int c) { return c == ' ' || c == '\t'; }
CharSet anyChar() {
  CharSet s = asciiWhere(isAny);
  s.other = kMany;
  return s;
}

struct Node {
  enum Kind { Empty, Atom, Concat, Alt, Repeat } kind = Empty;
  CharSet set;           // Atom
  int min = 1, max = 1;  // Repeat; max -1 is unbounded
  std::vector<int> kids;
  bool nullable = true, anchor = false;
  CharSet first, last;
};

/// A recursive-descent reader of a pattern RE2 has accepted. `ok` turns
/// false on anything it does not know; the pattern is then not analysed.
class Parser {
 public:
  explicit Parser(const std::string& p) : p_(p) {}
  std::vector<Node> nodes;
  bool ok = true;

  int parse() {
    int root = alternation(0);
    if (pos_ != p_.size()) ok = false;
    return root;
  }

 private:
  bool more() const { return pos_ < p_.size(); }
  char peek() const { return more() ? p_[pos_] : '\0'; }
  bool eat(const char* s) {
    size_t n = std::char_traits<char>::length(s);
    if (p_.compare(pos_, n, s) != 0) return false;
    pos_ += n;
    return true;
  }

  int add(Node n) {
    if (n.kind == Node::Atom) {
      n.nullable = false;
      n.first = n.last = n.set;
    } else if (n.kind == Node::Repeat) {
      const Node& body = nodes[n.kids[0]];
      n.nullable = n.min == 0 || body.nullable;
      if (n.max != 0) n.first = body.first, n.last = body.last;
    } else if (n.kind == Node::Alt) {
      n.nullable = false;
      for (int k : n.kids) {
        n.nullable = n.nullable || nodes[k].nullable;
        n.first.add(nodes[k].first);
        n.last.add(nodes[k].last);
      }
    } else if (n.kind == Node::Concat) {
      n.nullable = true;
      for (int k : n.kids) n.nullable = n.nullable && nodes[k].nullable;
      for (size_t k = 0; k < n.kids.size(); ++k) {
        n.first.add(nodes[n.kids[k]].first);
        if (!nodes[n.kids[k]].nullable) break;
      }
      for (size_t k = n.kids.size(); k-- > 0;) {
        n.last.add(nodes[n.kids[k]].last);
        if (!nodes[n.kids[k]].nullable) break;
      }
    }
    nodes.push_back(std::move(n));
    return static_cast<int>(nodes.size()) - 1;
  }

  int alternation(int depth) {
    Node alt{Node::Alt};
    alt.kids.push_back(sequence(depth));
    while (ok && eat("|")) alt.kids.push_back(sequence(depth));
    return alt.kids.size() == 1 ? alt.kids[0] : add(std::move(alt));
  }

  int sequence(int depth) {
    Node cat{Node::Concat};
    while (ok && more() && peek() != '|' && peek() != ')') {
      if (eat("\\Q")) {
        quoted(cat);
        continue;
      }
      int a = atom(depth);
      if (a >= 0) cat.kids.push_back(quantified(a));
    }
    if (cat.kids.size() == 1) return cat.kids[0];
    return cat.kids.empty() ? add(Node{}) : add(std::move(cat));
  }

  /// A quantifier's bounds at pos_, or false (a `{` that is a literal).
  bool bounds(int& min, int& max) {
    char c = peek();
    if (c == '*' || c == '+' || c == '?') {
      ++pos_;
      min = c == '+', max = c == '?' ? 1 : -1;
      return true;
    }
    size_t save = pos_;
    auto number = [&](int& v) {
      size_t start = pos_;
      for (v = 0; more() && std::isdigit(static_cast<unsigned char>(peek())) && pos_ - start < 5; ++pos_)
        v = v * 10 + (peek() - '0');
      return pos_ > start;
    };
    if (eat("{") && number(min)) {
      max = min;
      if (eat(",")) max = number(max) ? max : -1;
      if (eat("}")) return true;
    }
    pos_ = save;
    return false;
  }

  int quantified(int a) {
    int min, max;
    while (ok && bounds(min, max)) {
      eat("?");  // lazy: same strings, same hazard
      Node rep{Node::Repeat};
      rep.min = min, rep.max = max, rep.kids = {a};
      a = add(std::move(rep));
    }
    return a;
  }

  int atomOf(CharSet s) {
    if (fold_) s.fold();
    Node n{Node::Atom};
    n.set = s;
    return add(std::move(n));
  }
  int anchor() {
    Node n;
    n.anchor = true;
    return add(std::move(n));
  }

  int atom(int depth) {
    char c = p_[pos_++];
    switch (c) {
      case '(':
        return group(depth);
      case '[':
        return atomOf(charClass());
      case '.':
        return atomOf(anyChar());
      case '^':
      case '$':
        return anchor();
      case '\\':
        if (peek() == 'A' || peek() == 'z' || peek() == 'b' || peek() == 'B') return ++pos_, anchor();
        return atomOf(escape().set);
      default:
        --pos_;
        return atomOf(single().set);
    }
  }

  /// A group after its `(`: capturing, named, non-capturing or flags. A
  /// flags group without a body (`(?i)`) changes the rest of the enclosing
  /// group and makes no node (-1).
  int group(int depth) {
    if (depth >= kMaxDepth) return ok = false, -1;
    bool outer = fold_;
    if (eat("?P<") || eat("?<")) {
      pos_ = p_.find('>', pos_);
      if (pos_ == std::string::npos) return ok = false, -1;
      ++pos_;
    } else if (eat("?")) {
      for (bool on = true; ok && more() && peek() != ':' && peek() != ')'; ++pos_) {
        char c = peek();
        if (c == '-')
          on = false;
        else if (c == 'i')
          fold_ = on;
        else if (c != 'm' && c != 's' && c != 'U')
          ok = false;
      }
      if (eat(")")) return -1;
      if (!eat(":")) return ok = false, -1;
    }
    int inner = alternation(depth + 1);
    if (!eat(")")) ok = false;
    fold_ = outer;
    return inner;
  }

  struct Char {
    CharSet set;
    int cp = -1;  // the code point of a single character
  };

  /// One UTF-8 encoded character at pos_.
  Char single() {
    unsigned char b = static_cast<unsigned char>(p_[pos_++]);
    int len = b < 0x80 ? 0 : b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
    int cp = len == 0 ? b : b & (0x3F >> len);
    for (int k = 0; k < len && more(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(p_[pos_++]) & 0x3F);
    Char r;
    r.set.addCode(cp);
    r.cp = cp;
    return r;
  }

  Char code(int cp) {
    Char r;
    r.set.addCode(cp);
    r.cp = cp;
    return r;
  }

  int digits(int base, size_t maxLen) {
    int v = 0;
    for (size_t n = 0; n < maxLen && more() && std::isxdigit(static_cast<unsigned char>(peek())); ++n) {
      int d = std::isdigit(static_cast<unsigned char>(peek())) ? peek() - '0' : (peek() | 0x20) - 'a' + 10;
      if (d >= base) break;
      v = std::min(v * base + d, 0x10FFFF);
      ++pos_;
    }
    return v;
  }

  /// `\pX`, `\p{Name}`, `\PX`: ASCII letters or digits for the letter and
  /// number categories, any character for the rest.
  CharSet unicodeClass(bool negated) {
    std::string name(1, peek());
    if (eat("{")) {
      size_t end = p_.find('}', pos_);
      if (end == std::string::npos) return ok = false, CharSet{};
      name = p_.substr(pos_, end - pos_);
      pos_ = end + 1;
    } else {
      ++pos_;
    }
    if (!name.empty() && name[0] == '^') negated = !negated, name.erase(0, 1);
    CharSet s = name == "L"                     ? asciiWhere([](int c) { return std::isalpha(c); })
                : name == "Lu"                  ? asciiWhere([](int c) { return std::isupper(c); })
                : name == "Ll"                  ? asciiWhere([](int c) { return std::islower(c); })
                : (name == "N" || name == "Nd") ? asciiWhere([](int c) { return std::isdigit(c); })
                                                : asciiWhere(isAny);
    s.inexact = s.ascii.all();
    s.other = kMany;
    if (negated) s.negate();
    return s;
  }

  /// The escapes of control characters: \a \f \t \n \r \v.
  static constexpr std::pair<char, int> kControlEscapes[] = {{'a', 7},  {'f', 12}, {'t', 9},
                                                             {'n', 10}, {'r', 13}, {'v', 11}};

  /// An escape after its backslash (not an anchor, not `\Q`).
  Char escape() {
    char c = peek();
    ++pos_;
    Char r;
    switch (c) {
      case 'd':
      case 'D':
        r.set = asciiWhere([](int x) { return std::isdigit(x); });
        break;
      case 'w':
      case 'W':
        r.set = asciiWhere(isWord);
        break;
      case 's':
      case 'S':
        r.set = asciiWhere(isReSpace);
        break;
      case 'p':
      case 'P':
        r.set = unicodeClass(c == 'P');
        return r;
      case 'C':
        r.set = anyChar();
        return r;
      case 'x':
        if (!eat("{")) return code(digits(16, 2));
        r = code(digits(16, 8));
        if (!eat("}")) ok = false;
        return r;
      default:
        for (auto [letter, control] : kControlEscapes)
          if (c == letter) return code(control);
        --pos_;
        if (c >= '0' && c <= '7') return code(digits(8, 3));
        return single();
    }
    if (std::isupper(static_cast<unsigned char>(c))) r.set.negate();
    return r;
  }

  /// `[:name:]` or `[:^name:]` inside a class, at pos_.
  CharSet posixClass() {
    size_t end = p_.find(":]", pos_);
    bool negated = p_[pos_ + 2] == '^';
    std::string name = p_.substr(pos_ + 2 + negated, end - pos_ - 2 - negated);
    pos_ = end + 2;
    static const std::pair<const char*, int (*)(int)> kClasses[] = {{"alnum", [](int c) { return std::isalnum(c); }},
                                                                    {"alpha", [](int c) { return std::isalpha(c); }},
                                                                    {"ascii", isAny},
                                                                    {"blank", isBlank},
                                                                    {"cntrl", [](int c) { return std::iscntrl(c); }},
                                                                    {"digit", [](int c) { return std::isdigit(c); }},
                                                                    {"graph", [](int c) { return std::isgraph(c); }},
                                                                    {"lower", [](int c) { return std::islower(c); }},
                                                                    {"print", [](int c) { return std::isprint(c); }},
                                                                    {"punct", [](int c) { return std::ispunct(c); }},
                                                                    {"space", [](int c) { return std::isspace(c); }},
                                                                    {"upper", [](int c) { return std::isupper(c); }},
                                                                    {"word", isWord},
                                                                    {"xdigit", [](int c) { return std::isxdigit(c); }}};
    for (auto [known, pred] : kClasses)
      if (name == known) {
        CharSet s = asciiWhere(pred);
        if (negated) s.negate();
        return s;
      }
    ok = false;
    return {};
  }

  /// A class after its `[`.
  CharSet charClass() {
    CharSet s;
    bool negated = eat("^");
    for (bool first = true; ok && more() && (first || peek() != ']'); first = false) {
      if (p_.compare(pos_, 2, "[:") == 0 && p_.find(":]", pos_ + 2) != std::string::npos) {
        s.add(posixClass());
        continue;
      }
      Char lo = eat("\\") ? escape() : single();
      if (peek() == '-' && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']') {
        ++pos_;
        Char hi = eat("\\") ? escape() : single();
        if (lo.cp < 0 || hi.cp < 0) ok = false;
        s.addRange(lo.cp, hi.cp);
      } else {
        s.add(lo.set);
      }
    }
    if (!eat("]")) ok = false;
    if (fold_) s.fold();
    if (negated) s.negate();
    return s;
  }

  /// The characters of `\Q...\E` after its `\Q`, as atoms of `cat`; a
  /// quantifier after `\E` applies to the last one.
  void quoted(Node& cat) {
    size_t end = std::min(p_.find("\\E", pos_), p_.size());
    while (ok && pos_ < end) {
      int a = atomOf(single().set);
      if (pos_ < end)
        cat.kids.push_back(a);
      else
        pos_ = std::min(end + 2, p_.size()), cat.kids.push_back(quantified(a));
    }
    if (pos_ == end) pos_ = std::min(end + 2, p_.size());
  }

  const std::string& p_;
  size_t pos_ = 0;
  bool fold_ = false;
};

using Seq = std::vector<CharSet>;

class Analysis {
 public:
  explicit Analysis(const std::vector<Node>& nodes) : n_(nodes) {}
  std::optional<std::string> run(int root) {
    visit(root);
    return found_;
  }

 private:
  bool isRepetition(int i) const { return n_[i].kind == Node::Repeat && n_[i].min != n_[i].max; }

  /// An outer repetition whose rounds a backtracking engine can redistribute:
  /// unbounded, or bounded by at least 4 rounds (a bound of n costs up to
  /// length^n tries).
  bool isManyRounds(int i) const { return n_[i].kind == Node::Repeat && (n_[i].max < 0 || n_[i].max >= 4); }

  /// The repetitions and options (`a?`, `(?:|a)`) that can end (atEnd) or
  /// start node i.
  void edgeRepetitions(int i, bool atEnd, std::vector<int>& out) {
    const Node& x = n_[i];
    if (--budget_ < 0) return;
    if (isRepetition(i) || (x.kind == Node::Alt && x.nullable)) out.push_back(i);
    size_t n = x.kids.size();
    for (size_t k = 0; k < n; ++k) {
      int part = x.kids[atEnd && x.kind == Node::Concat ? n - 1 - k : k];
      edgeRepetitions(part, atEnd, out);
      if (x.kind == Node::Concat && !n_[part].nullable) break;
    }
  }

  /// The character sets of a node that matches strings of one length only,
  /// position by position, appended to `out`; false for any other node.
  bool fixedString(int i, Seq& out) {
    const Node& x = n_[i];
    if (--budget_ < 0 || out.size() > kMaxFixed) return false;
    switch (x.kind) {
      case Node::Atom:
        out.push_back(x.set);
        return true;
      case Node::Empty:
        return !x.anchor;
      case Node::Alt:
        return false;
      case Node::Concat:
        for (int k : x.kids)
          if (!fixedString(k, out)) return false;
        return true;
      case Node::Repeat:
        if (x.min != x.max) return false;
        for (int k = 0; k < x.min; ++k)
          if (!fixedString(x.kids[0], out)) return false;
        return true;
    }
    return false;
  }

  /// Whether `piece` can match the text that `whole` matches at `at`.
  bool fits(const Seq& piece, const Seq& whole, size_t at) {
    if (at + piece.size() > whole.size()) return false;
    for (size_t p = 0; p < piece.size(); ++p)
      if (--budget_ < 0 || piece[p].commonWith(whole[at + p]) < 0) return false;
    return true;
  }

  /// Whether a string that branch j matches can also be divided into rounds
  /// some other way: another branch first, then any branches.
  bool dividedOtherwise(const std::vector<Seq>& branches, size_t j) {
    const Seq& w = branches[j];
    std::vector<bool> reach(w.size() + 1);
    reach[0] = true;
    for (size_t p = 0; p < w.size() && budget_ > 0; ++p)
      for (size_t i = 0; reach[p] && i < branches.size(); ++i)
        if ((p > 0 || i != j) && fits(branches[i], w, p)) reach[p + branches[i].size()] = true;
    return reach[w.size()];
  }

  /// A repeated alternation (the body of a repetition) of fixed-length
  /// branches in which one string can be divided into rounds in two ways.
  std::optional<std::string> ambiguousBranches(int body) {
    if (n_[body].kind != Node::Alt || n_[body].kids.size() > kMaxBranches) return std::nullopt;
    std::vector<Seq> branches;
    for (int k : n_[body].kids)
      if (Seq b; fixedString(k, b) && !b.empty() && b.size() <= kMaxFixed) branches.push_back(std::move(b));
    for (size_t j = 0; j < branches.size(); ++j)
      if (dividedOtherwise(branches, j)) {
        bool sameLength = false;
        for (size_t i = 0; i < branches.size(); ++i)
          sameLength =
              sameLength || (i != j && branches[i].size() == branches[j].size() && fits(branches[i], branches[j], 0));
        return sameLength ? "a repeated alternation whose branches match a common string"
                          : "a repeated alternation whose rounds can divide a string in two ways";
      }
    return std::nullopt;
  }

  static std::string charText(int c) {
    if (c > 0x20 && c < 0x7F) return std::string("`") + static_cast<char>(c) + "`";
    return "a character";
  }

  void check(int loop) {
    int body = n_[loop].kids[0];
    for (bool atEnd : {true, false}) {
      std::vector<int> inner;
      edgeRepetitions(body, atEnd, inner);
      const CharSet& otherEdge = atEnd ? n_[body].first : n_[body].last;
      for (int rep : inner) {
        int c = (atEnd ? n_[rep].last : n_[rep].first).commonWith(otherEdge);
        if (c < 0) continue;
        found_ = "a repetition inside a repetition: " + charText(c) + " can " +
                 (atEnd ? "end one round of the outer repetition or start the next"
                        : "start one round of the outer repetition or end the previous");
        return;
      }
    }
    found_ = ambiguousBranches(body);
  }

  void visit(int i) {
    if (found_ || budget_ < 0) return;
    if (isManyRounds(i)) check(i);
    for (int k : n_[i].kids) visit(k);
  }

  const std::vector<Node>& n_;
  long budget_ = kBudget;
  std::optional<std::string> found_;
};

}  // namespace

std::optional<std::string> backtrackingHazard(const std::string& pattern) {
  if (pattern.size() > kMaxPattern) return std::nullopt;
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  if (!re.ok()) return std::nullopt;
  Parser parser(pattern);
  int root = parser.parse();
  if (!parser.ok || root < 0) return std::nullopt;
  return Analysis(parser.nodes).run(root);
}

}  // namespace mesh::support
