// Parse: the ANTLR wiring of one file: lex, report lexical errors, cap the
// nesting, parse (fast first, with recovery when that fails) and build the
// AST. The ANTLR parse tree never leaves compiler/syntax.
#include "syntax/Parse.h"

#include <algorithm>

#include "MeshLexer.h"
#include "MeshParser.h"
#include "antlr4-runtime.h"
#include "syntax/Builder.h"
#include "syntax/Recognizers.h"
#include "syntax/Session.h"
#include "syntax/SyntaxErrors.h"

namespace mesh::syntax {

using mesh::grammar::MeshParser;

ast::File parseFile(const SourceManager& sm, uint32_t fileId, const std::vector<uint32_t>& invalidUtf8,
                    DiagnosticEngine& diags) {
  llvm::StringRef text = sm.text(fileId);
  Session session{sm, fileId, diags, OffsetMap(text), nullptr, 0, {}, {}};
  InputStream input(text);
  Lexer lexer(&input);
  SilentLexerListener lexerListener(session);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&lexerListener);
  TokenStream tokens(&lexer);
  tokens.fill();
  session.tokens = &tokens;

  reportLexicalErrors(session, tokens, invalidUtf8);
  ast::File empty;
  empty.fileId = fileId;
  if (!checkNesting(session, tokens, lexer.getVocabulary())) return empty;

  Parser parser(&tokens);
  parser.removeErrorListeners();
  MeshParser::FileContext* tree = nullptr;
  // Stage 1: fast SLL prediction, bailing out at the first error. Stage 2
  // (only for files with errors or rare ambiguities): full LL with recovery.
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  } catch (const antlr4::RecognitionException&) {
    tree = nullptr;
  }
  if (!tree) {
    tokens.seek(0);
    parser.reset();
    parser.setErrorHandler(makeErrorStrategy(session));
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    try {
      tree = parser.file();
    } catch (const TooManyErrors&) {
      return empty;
    }
  }
  std::sort(session.errorOffsets.begin(), session.errorOffsets.end());
  Builder builder(session);
  return builder.build(tree);
}

}  // namespace mesh::syntax
