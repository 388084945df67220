// Mesh.g4: the grammar of the Mesh contract language (../docs/language.md).
//
// The parse tree never leaves compiler/syntax/: the visitor there turns it
// into the project's AST. Keywords are soft: `ident` accepts every keyword, so
// a field may be called `type`, `key` or `value`. Lexical errors (unterminated
// strings and comments, stray characters, bad number suffixes) are lexed into
// dedicated tokens and reported by compiler/syntax/, never by ANTLR.
grammar Mesh;

@lexer::members {
  static bool isIdentPart(size_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
  }
}

// Every rule the parser generates from this grammar calls `finally`,
// `exitRule` and, at each decision, `getInterpreter`; these members take the
// place of the ANTLR 4.9 runtime's (name lookup finds them first) with the
// same effect, minus a std::function per rule and a dynamic_cast per rule
// exit and per decision: most of the parser's fixed cost (bench/check). The
// runtime's own virtual hooks are overridden in compiler/syntax/Recognizers.
// For the same reason the sub-rules the AST builder reads most (`type=`,
// `annotations+=`, `left=`, `parts+=`, ...) are labeled: the parser fills
// the labels as it goes, where the accessors search the children with a
// dynamic_cast each.
@parser::members {
  template <typename F>
  struct OnExit {
    F f;
    ~OnExit() { f(); }
  };
  template <typename F>
  static OnExit<F> finally(F f) { return OnExit<F>{f}; }

  void exitRule() {
    _ctx->stop = _matchedEOF ? _input->LT(1) : _input->LT(-1);
    if (!_parseListeners.empty()) triggerExitRuleEvent();
    setState(_ctx->invokingState);
    _ctx = static_cast<antlr4::ParserRuleContext*>(_ctx->parent);
  }

  template <typename T>
  T* getInterpreter() const { return static_cast<T*>(_interpreter); }

  // The rules make every context through `_tracker.createInstance`; this
  // member hides the runtime's ParseTreeTracker of that name, and puts the
  // nodes in blocks of 32 KiB rather than a heap block each (the runtime's
  // tracker keeps the error nodes it makes itself). reset() and the
  // parser's end destroy the nodes (in the order they were made, as the
  // runtime's tracker does) and free the blocks.
  class NodeArena {
   public:
    NodeArena() = default;
    NodeArena(const NodeArena&) = delete;
    NodeArena& operator=(const NodeArena&) = delete;
    ~NodeArena() { reset(); }

    template <typename T, typename... Args>
    T* createInstance(Args&&... args) {
      static_assert(alignof(T) <= kAlign);
      size_t size = (sizeof(T) + kAlign - 1) & ~(kAlign - 1);
      if (static_cast<size_t>(end_ - next_) < size) grow(size);
      T* node = new (next_) T(args...);
      next_ += size;
      nodes_.push_back(node);
      return node;
    }

    void reset() {
      for (antlr4::tree::ParseTree* node : nodes_) node->~ParseTree();
      nodes_.clear();
      blocks_.clear();
      next_ = end_ = nullptr;
    }

   private:
    static constexpr size_t kAlign = 16;  // what operator new[] gives the blocks
    static constexpr size_t kBlock = size_t{32} << 10;

    void grow(size_t size) {
      size_t bytes = size > kBlock ? size : kBlock;
      blocks_.emplace_back(new std::byte[bytes]);
      next_ = blocks_.back().get();
      end_ = next_ + bytes;
    }

    std::vector<antlr4::tree::ParseTree*> nodes_;
    std::vector<std::unique_ptr<std::byte[]>> blocks_;
    std::byte* next_ = nullptr;
    std::byte* end_ = nullptr;
  };
  NodeArena _tracker;
}

// ---------------------------------------------------------------- files

file
  : packageDecl? importDecl* decl* EOF
  ;

packageDecl
  : 'package' qualifiedName ';'
  ;

importDecl
  : 'import' qualifiedName ('as' alias=ident)? ';'
  ;

decl
  : annotations+=annotation* declBody
  ;

declBody
  : enumDecl
  | typeDecl
  | recordDecl
  | tagDecl
  | roleDecl
  | domainDecl
  | productDecl
  | policyDecl
  | waiverDecl
  | unionDecl
  ;

// ---------------------------------------------------------------- schemas

enumDecl
  : 'enum' name=ident '{' (enumMember (',' enumMember)* ','?)? '}'
  ;

enumMember
  : name=ident annotation*
  ;

typeDecl
  : 'type' name=ident '=' typeExpr annotation* ('where' expr)? ';'
  ;

recordDecl
  : 'record' name=ident '{' items+=recordItem* '}'
  ;

recordItem
  : field=fieldDecl
  | check=checkDecl
  ;

fieldDecl
  : name=ident ':' type=typeExpr annotations+=annotation* ('=' defaultValue=expr)? ('where' constraint=expr)? ';'
  ;

checkDecl
  : 'check' name=ident ':' condition=expr ';'
  ;

// `A | B | null`: a union of alternatives; a `?` after it makes the whole
// union optional.
typeExpr
  : bases+=baseType ('|' bases+=baseType)* optional='?'?
  ;

baseType
  : 'list' '<' typeExpr '>'                          # listType
  | 'map' '<' typeExpr ',' typeExpr '>'              # mapType
  | 'decimal' '(' precision=INT ',' scale=INT ')'    # decimalType
  | qualifiedName                                    # namedType
  ;

// A tagged union of records, picked by the value of the field `by` names.
unionDecl
  : 'union' name=ident 'by' discriminator=ident '{' unionCase* '}'
  ;

unionCase
  : value=STRING '=>' qualifiedName ';'
  ;

annotation
  : '@' qualifiedName ('(' (args+=annotationArg (',' args+=annotationArg)*)? ')')?
  ;

annotationArg
  : (name=ident ':')? value=expr
  ;

// ---------------------------------------------------------------- governance vocabulary

tagDecl
  : 'tag' name=ident ('(' (tagParam (',' tagParam)*)? ')')? ';'
  ;

tagParam
  : name=ident ':' typeExpr
  ;

roleDecl
  : 'role' name=ident description=STRING? ';'
  ;

domainDecl
  : 'domain' name=ident '{' domainItem* '}'
  ;

domainItem
  : key=ident value=STRING ';'
  ;

// ---------------------------------------------------------------- products

productDecl
  : 'product' name=ident '{' productItem* '}'
  ;

productItem
  : 'domain' qualifiedName ';'                                        # productDomain
  | 'version' STRING ';'                                              # productVersion
  | 'schema' qualifiedName ';'                                        # productSchema
  | 'topic' STRING '{' topicItem* '}'                                 # productTopic
  | 'sla' '{' slaItem* '}'                                            # productSla
  | 'quality' '{' qualityItem* '}'                                    # productQuality
  | 'access' '{' accessItem* '}'                                      # productAccess
  | 'retention' DURATION ';'                                          # productRetention
  | 'compatibility' ident ';'                                         # productCompatibility
  | 'upstream' '[' (qualifiedName (',' qualifiedName)* ','?)? ']' ';' # productUpstream
  ;

topicItem
  : 'key' fieldPath ';'                     # topicKey
  | 'partitions' INT ';'                    # topicPartitions
  | 'replication' INT ';'                   # topicReplication
  | 'format' ident ';'                      # topicFormat
  | 'subject' ident ';'                     # topicSubject
  ;

slaItem
  : 'freshness' DURATION ';'                # slaFreshness
  | 'availability' PERCENT ';'              # slaAvailability
  | 'throughput' RATE ';'                   # slaThroughput
  | 'latency' percentile=ident? DURATION ';' # slaLatency
  ;

qualityItem
  : 'unique' '(' fieldPath ')' 'within' DURATION ';'          # qualityUnique
  | 'null_rate' '(' fieldPath ')' compareOp PERCENT ';'       # qualityNullRate
  | 'volume' compareOp INT 'per' DURATION ';'                 # qualityVolume
  | 'valid_rate' compareOp PERCENT ';'                        # qualityValidRate
  ;

compareOp
  : '<' | '<=' | '>' | '>=' | '==' | '!='
  ;

accessItem
  : 'readers' roleList ';'                                        # accessReaders
  | 'writers' roleList ';'                                        # accessWriters
  | 'mask' fieldPath 'for' roleList 'using' maskMethod ';'         # accessMask
  ;

roleList
  : '[' (qualifiedName (',' qualifiedName)* ','?)? ']'
  ;

maskMethod
  : name=ident ('(' INT ')')?
  ;

fieldPath
  : ident (('.' ident) | ('[' ']'))*
  ;

// ---------------------------------------------------------------- policies

policyDecl
  : 'policy' name=ident '{' policyItem* '}'
  ;

policyItem
  : 'severity' level=ident ';'                                        # policySeverity
  | 'for' binder (',' binder)* ('where' filter=expr)? '{' requireStmt* '}' # policyFor
  ;

binder
  : kind=ident name=ident ('in' source=expr)?
  ;

requireStmt
  : 'require' expr ('message' STRING)? ';'
  ;

waiverDecl
  : 'waive' policy=qualifiedName 'for' product=qualifiedName 'until' DATE 'because' reason=STRING ';'
  ;

// ---------------------------------------------------------------- expressions

expr
  : value=primary                                               # primaryExpr
  | expr '.' member=ident ('(' exprList? ')')?                  # memberExpr
  | op=('!' | '-') expr                                         # unaryExpr
  | left=expr op=('*' | '/' | '%') right=expr                    # binaryExpr
  | left=expr op=('+' | '-') right=expr                          # binaryExpr
  | left=expr op=('<' | '<=' | '>' | '>=' | '==' | '!=') right=expr # binaryExpr
  | expr negated='not'? 'in' expr                               # inExpr
  | left=expr op='&&' right=expr                                 # binaryExpr
  | left=expr op='||' right=expr                                 # binaryExpr
  ;

primary
  : literal                                                     # literalPrimary
  | quantifier=ident '(' var=ident 'in' expr ':' expr ')'       # quantifierPrimary
  | callee=ident '(' args=exprList? ')'                         # callPrimary
  | ident                                                       # namePrimary
  | '(' expr ')'                                                # parenPrimary
  | '[' exprList? ']'                                           # listPrimary
  | '{' (mapEntry (',' mapEntry)* ','?)? '}'                    # mapPrimary
  ;

// An entry of a map literal (a default: `m: map<string, int32> = {"a": 1};`).
mapEntry
  : key=STRING ':' expr
  ;

exprList
  : items+=expr (',' items+=expr)* ','?
  ;

literal
  : INT | FLOAT | STRING | RAW_STRING | DURATION | PERCENT | RATE | DATE
  | 'true' | 'false' | 'null'
  ;

qualifiedName
  : parts+=ident ('.' parts+=ident)*
  ;

ident
  : IDENT
  | 'package' | 'import' | 'as' | 'enum' | 'type' | 'record' | 'check' | 'where'
  | 'list' | 'map' | 'decimal' | 'tag' | 'role' | 'domain' | 'product' | 'version'
  | 'schema' | 'topic' | 'sla' | 'quality' | 'access' | 'retention' | 'compatibility'
  | 'upstream' | 'key' | 'partitions' | 'replication' | 'format' | 'subject' | 'freshness'
  | 'availability' | 'throughput' | 'latency' | 'unique' | 'within' | 'null_rate'
  | 'volume' | 'per' | 'valid_rate' | 'readers' | 'writers' | 'mask' | 'for' | 'using'
  | 'policy' | 'severity' | 'require' | 'message' | 'waive' | 'until' | 'because'
  | 'not' | 'in' | 'true' | 'false' | 'null' | 'union' | 'by'
  ;

// ---------------------------------------------------------------- lexer

DOC_COMMENT   : '///' ~[\r\n]* -> channel(2);
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN);
// An unterminated block comment runs to the end of the file; the front end
// reports it when the token does not end in `*/`.
BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(HIDDEN);
WS            : [ \t\r\n\f]+ -> channel(HIDDEN);

DATE      : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT;
RATE      : DIGITS '/' ('s' | 'min' | 'h') {!isIdentPart(_input->LA(1))}?;
PERCENT   : DIGITS ('.' DIGITS)? '%' {!isIdentPart(_input->LA(1))}?;
DURATION  : DIGITS ('ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y');   // the units of syntax/Literals.cpp
FLOAT     : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT;
INT       : DIGITS | '0' [xX] [0-9a-fA-F_]+;
// Digits glued to letters that form no literal above (`5min`, `12abc`):
// longer than any valid literal, so it wins and is reported as one mistake.
BAD_NUMBER: DIGIT [0-9A-Za-z_]* ('.' [0-9A-Za-z_]*)?;

RAW_STRING          : 'r"' ~["\r\n]* '"';
STRING              : '"' (ESCAPE | ~["\\\r\n])* '"';
UNTERMINATED_RAW    : 'r"' ~["\r\n]*;
UNTERMINATED_STRING : '"' (ESCAPE | ~["\\\r\n])* '\\'?;

IDENT : [A-Za-z_] [A-Za-z0-9_]*;

LPAREN: '('; RPAREN: ')'; LBRACK: '['; RBRACK: ']'; LBRACE: '{'; RBRACE: '}';

// Anything else is one stray character, reported by the front end.
ERROR_CHAR : .;

fragment DIGIT    : [0-9];
fragment DIGITS   : DIGIT (DIGIT | '_')*;
fragment EXPONENT : [eE] [+-]? DIGIT+;
fragment ESCAPE   : '\\' ~[\r\n];
