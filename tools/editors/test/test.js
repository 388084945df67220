// Tests the editor support in tools/editors with VS Code's own tokenizer
// (vscode-textmate on the Oniguruma WebAssembly build):
// - every keyword and symbol of grammar/Mesh.g4's parser gets a keyword,
//   type, constant, operator or punctuation scope, and every token kind of
//   its lexer has a sample here that gets its scope (a new token kind in the
//   grammar fails this test until it is covered);
// - soft keywords used as names (fields, members, declared names, binders)
//   are scoped as names, in a table of contexts;
// - every .mesh file of examples/ and stdlib/ is tokenized and compared,
//   token by token, with a reference lexer that follows Mesh.g4's lexer
//   rules: comments, doc comments, strings, raw strings, each kind of number,
//   keywords in keyword position and built-in types get the expected scope;
// - the VS Code extension folder is complete: its grammar is the one grammar
//   file (textmate/ holds a link to it), its language configuration toggles `//` and `/* */` comments
//   and pairs brackets and quotes.
// Usage: node test.js REPOSITORY_ROOT
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const ROOT = path.resolve(process.argv[2] || path.join(__dirname, '..', '..', '..'));
const EDITORS = path.join(ROOT, 'tools', 'editors');
// The one grammar: the VS Code extension's; textmate/ links to it.
const GRAMMAR = path.join(EDITORS, 'vscode', 'syntaxes', 'mesh.tmLanguage.json');
const TEXTMATE = path.join(EDITORS, 'textmate', 'mesh.tmLanguage.json');

let failures = 0;
function fail(message) {
  failures++;
  if (failures <= 50) console.error('FAIL: ' + message);
}
function check(condition, message) {
  if (!condition) fail(message);
}

// ---------------------------------------------------------------- grammar/Mesh.g4

const g4 = fs.readFileSync(path.join(ROOT, 'grammar', 'Mesh.g4'), 'utf8');
const lexerStart = g4.indexOf('\nDOC_COMMENT');
if (lexerStart < 0) throw new Error('Mesh.g4: no DOC_COMMENT rule (where the lexer section starts)');
const parserPart = g4.slice(0, lexerStart).split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
// The literals of the parser rules, without the @lexer::members and @parser::members blocks.
const literals = new Set();
for (const m of parserPart.replace(/@(?:lexer|parser)::members\s*\{[\s\S]*?\n\}/g, '').matchAll(/'((?:[^'\\]|\\.)+)'/g)) literals.add(m[1]);
const keywords = [...literals].filter((l) => /^[A-Za-z_]+$/.test(l)).sort();
const symbols = [...literals].filter((l) => !/^[A-Za-z_]+$/.test(l)).sort();
// The lexer's token kinds (rule names in capitals, fragments left out).
const lexerRules = [...g4.slice(lexerStart).matchAll(/(?:^|;[ \t]*)([A-Z][A-Z_0-9]*)\s*:/gm)].map((m) => m[1]);

// ---------------------------------------------------------------- a reference lexer after Mesh.g4

const isIdentPart = (c) => c !== undefined && /[A-Za-z0-9_]/.test(c);
// In Mesh.g4 order; ANTLR takes the longest match, the first rule on a tie,
// and the parser's literals come before every lexer rule.
const lexRules = [
  ['DOC_COMMENT', /\/\/\/[^\r\n]*/y],
  ['LINE_COMMENT', /\/\/[^\r\n]*/y],
  ['BLOCK_COMMENT', /\/\*[\s\S]*?(?:\*\/|$)/y],
  ['WS', /[ \t\r\n\f]+/y],
  ['DATE', /[0-9]{4}-[0-9]{2}-[0-9]{2}/y],
  ['RATE', /[0-9][0-9_]*\/(?:s|min|h)/y, true],
  ['PERCENT', /[0-9][0-9_]*(?:\.[0-9][0-9_]*)?%/y, true],
  ['DURATION', /[0-9][0-9_]*(?:ms|s|m|h|d|w|y)/y],
  ['FLOAT', /[0-9][0-9_]*\.[0-9][0-9_]*(?:[eE][+-]?[0-9]+)?|[0-9][0-9_]*[eE][+-]?[0-9]+/y],
  ['INT', /0[xX][0-9a-fA-F_]+|[0-9][0-9_]*/y],
  ['BAD_NUMBER', /[0-9][0-9A-Za-z_]*(?:\.[0-9A-Za-z_]*)?/y],
  ['RAW_STRING', /r"[^"\r\n]*"/y],
  ['STRING', /"(?:\\[^\r\n]|[^"\\\r\n])*"/y],
  ['UNTERMINATED_RAW', /r"[^"\r\n]*/y],
  ['UNTERMINATED_STRING', /"(?:\\[^\r\n]|[^"\\\r\n])*\\?/y],
  ['IDENT', /[A-Za-z_][A-Za-z0-9_]*/y],
];
function lexMesh(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    let best = null;
    for (const lit of literals) {
      if (text.startsWith(lit, i) && (!best || lit.length > best.text.length)) best = { kind: 'LITERAL', text: lit };
    }
    for (const [kind, re, predicate] of lexRules) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m || m[0].length === 0) continue;
      if (predicate && isIdentPart(text[i + m[0].length])) continue;
      if (!best || m[0].length > best.text.length) best = { kind, text: m[0] };
    }
    if (!best) best = { kind: 'ERROR_CHAR', text: text[i] };
    if (best.kind === 'LITERAL' && /^[A-Za-z_]+$/.test(best.text)) best.kind = 'KEYWORD';
    best.offset = i;
    tokens.push(best);
    i += best.text.length;
  }
  return tokens;
}

// ---------------------------------------------------------------- the TextMate tokenizer

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.mesh' ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
  });
  return registry.loadGrammar('source.mesh');
}

// The scopes at each character offset of the text.
function scopesByOffset(grammar, text) {
  const lines = text.split('\n');
  const out = new Array(text.length + 1);
  let state = vsctm.INITIAL;
  let base = 0;
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) for (let k = t.startIndex; k < Math.max(t.endIndex, t.startIndex + 1); k++) out[base + k] = t.scopes;
    state = r.ruleStack;
    base += line.length + 1;
  }
  return out;
}
const innermost = (scopes) => (scopes && scopes.length ? scopes[scopes.length - 1] : '(none)');
const has = (scopes, prefix) => !!scopes && scopes.some((s) => s.startsWith(prefix));
const KEYWORDISH = ['keyword.', 'storage.type', 'constant.language.', 'support.type.builtin.'];
const keywordish = (scopes) => KEYWORDISH.some((p) => has(scopes, p));
const SYMBOLISH = ['keyword.operator.', 'punctuation.'];
const symbolish = (scopes) => SYMBOLISH.some((p) => has(scopes, p));

const BUILTIN_TYPES = ['bool', 'int32', 'int64', 'float32', 'float64', 'string', 'bytes', 'timestamp', 'date', 'duration', 'uuid', 'json'];
const NAME_AFTER = new Set(['enum', 'type', 'record', 'tag', 'role', 'domain', 'product', 'policy', 'check', 'package', 'import', 'as']);
const EXPECTED = {
  DOC_COMMENT: 'comment.line.documentation.mesh',
  LINE_COMMENT: 'comment.line.double-slash.mesh',
  BLOCK_COMMENT: 'comment.block.mesh',
  STRING: 'string.quoted.double.mesh',
  RAW_STRING: 'string.quoted.raw.mesh',
  DATE: 'constant.numeric.date.mesh',
  RATE: 'constant.numeric.rate.mesh',
  PERCENT: 'constant.numeric.percent.mesh',
  DURATION: 'constant.numeric.duration.mesh',
  FLOAT: 'constant.numeric.float.mesh',
  INT: 'constant.numeric.integer',
};

// ---------------------------------------------------------------- the checks

function checkKeywordsAndSymbols(grammar) {
  check(keywords.length >= 50, `only ${keywords.length} keywords found in Mesh.g4`);
  check(symbols.length >= 20, `only ${symbols.length} symbols found in Mesh.g4`);
  for (const kw of keywords) {
    const scopes = scopesByOffset(grammar, kw)[0];
    check(keywordish(scopes), `keyword '${kw}' of Mesh.g4 is scoped ${innermost(scopes)}, not as a keyword, type or constant`);
  }
  for (const sym of symbols) {
    const scopes = scopesByOffset(grammar, `a ${sym} b`)[2];
    check(symbolish(scopes), `symbol '${sym}' of Mesh.g4 is scoped ${innermost(scopes)}, not as an operator or punctuation`);
  }
}

// One sample of every lexer token kind, with the scope it must get.
const SAMPLES = {
  DOC_COMMENT: ['/// doc', EXPECTED.DOC_COMMENT],
  LINE_COMMENT: ['// note', EXPECTED.LINE_COMMENT],
  BLOCK_COMMENT: ['/* a\n b */', EXPECTED.BLOCK_COMMENT],
  WS: null,
  DATE: ['2027-03-31', EXPECTED.DATE],
  RATE: ['1000/s', EXPECTED.RATE],
  PERCENT: ['99.9%', EXPECTED.PERCENT],
  DURATION: ['250ms', EXPECTED.DURATION],
  FLOAT: ['2e-3', EXPECTED.FLOAT],
  INT: ['0x1F', 'constant.numeric.integer.hexadecimal.mesh'],
  BAD_NUMBER: ['12abc', 'invalid.illegal.number.mesh'],
  RAW_STRING: ['r"^[A-Z]+\\d$"', EXPECTED.RAW_STRING],
  STRING: ['"a \\"b\\" \\u{1F600}"', EXPECTED.STRING],
  UNTERMINATED_RAW: ['r"open', 'string.quoted'],
  UNTERMINATED_STRING: ['"open', EXPECTED.STRING],
  IDENT: ['customer_id', 'variable.other.mesh'],
  LPAREN: ['(', 'punctuation.section.parens.begin.mesh'],
  RPAREN: [')', 'punctuation.section.parens.end.mesh'],
  LBRACK: ['[', 'punctuation.section.brackets.begin.mesh'],
  RBRACK: [']', 'punctuation.section.brackets.end.mesh'],
  LBRACE: ['{', 'punctuation.section.block.begin.mesh'],
  RBRACE: ['}', 'punctuation.section.block.end.mesh'],
  ERROR_CHAR: null,
};
function checkLexerTokenKinds(grammar) {
  check(lexerRules.length >= 20, `only ${lexerRules.length} lexer rules found in Mesh.g4`);
  for (const rule of lexerRules) {
    if (!(rule in SAMPLES)) {
      fail(`lexer token ${rule} of Mesh.g4 has no sample in tools/editors/test/test.js`);
      continue;
    }
    if (!SAMPLES[rule]) continue;
    const [text, scope] = SAMPLES[rule];
    const lexed = lexMesh(text);
    // Brackets are also literals of the parser, which the lexer prefers.
    check(lexed.length === 1 && (lexed[0].kind === rule || lexed[0].kind === 'LITERAL'),
          `the sample of ${rule} lexes as ${lexed.map((t) => t.kind)}`);
    const scopes = scopesByOffset(grammar, text);
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n') continue;
      if (!has(scopes[i], scope)) {
        fail(`${rule} sample ${JSON.stringify(text)}: offset ${i} is scoped ${innermost(scopes[i])}, expected ${scope}`);
        break;
      }
    }
  }
  // Every unit of a duration (`w` and `y` since issue 17), as the lexer reads it.
  for (const text of ['5s', '5m', '2h', '7d', '2w', '1y']) {
    const lexed = lexMesh(text);
    check(lexed.length === 1 && lexed[0].kind === 'DURATION', `${text} lexes as ${lexed.map((t) => t.kind)}`);
    const scopes = scopesByOffset(grammar, text);
    check(has(scopes[text.length - 1], EXPECTED.DURATION), `duration ${text} is scoped ${innermost(scopes[0])}`);
  }
  // Escapes and placeholders inside strings.
  const s = '"a \\n {p.name}"';
  const scopes = scopesByOffset(grammar, s);
  check(has(scopes[3], 'constant.character.escape.mesh'), 'an escape in a string is not scoped as an escape');
  check(has(scopes[6], 'constant.other.placeholder.mesh'), 'a {placeholder} in a message is not scoped as a placeholder');
}

// Soft keywords and names in context: [line, the token, its innermost scope].
const CONTEXTS = [
  ['  type: string;', 'type', 'variable.other.field.mesh'],
  ['  key: string @pii;', 'key', 'variable.other.field.mesh'],
  ['require p.version != "";', 'version', 'variable.other.member.mesh'],
  ['require f.has(pii);', 'has', 'entity.name.function.member.mesh'],
  ['domain orders {', 'orders', 'entity.name.type.mesh'],
  ['  domain orders;', 'domain', 'keyword.other.setting.mesh'],
  ['record OrderEvent {', 'OrderEvent', 'entity.name.type.mesh'],
  ['  check refund_has_reason: a;', 'refund_has_reason', 'entity.name.function.check.mesh'],
  ['  for product p, role r in p.access.readers {', 'r', 'variable.parameter.binder.mesh'],
  ['  for product p, role r in p.access.readers {', 'role', 'storage.type.binder.mesh'],
  ['import sales.customers as cust;', 'cust', 'entity.name.namespace.mesh'],
  ['email: string @classification(level: confidential);', 'classification', 'storage.type.annotation.mesh'],
  ['waive p for q until 2027-03-31 because "why";', '2027-03-31', 'constant.numeric.date.mesh'],
  ['  mask phone for [a] using last(4);', 'last', 'entity.name.function.mesh'],
];
function checkContexts(grammar) {
  for (const [line, token, scope] of CONTEXTS) {
    const word = new RegExp('(^|[^A-Za-z0-9_])' + token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '(?![A-Za-z0-9_])').exec(line);
    const at = word ? word.index + word[1].length : -1;
    const scopes = scopesByOffset(grammar, line)[at];
    check(innermost(scopes) === scope, `in ${JSON.stringify(line)}, '${token}' is scoped ${innermost(scopes)}, expected ${scope}`);
  }
}

function meshFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...meshFiles(p));
    else if (entry.name.endsWith('.mesh')) out.push(p);
  }
  return out.sort();
}

function checkFiles(grammar) {
  const files = [...meshFiles(path.join(ROOT, 'examples')), ...meshFiles(path.join(ROOT, 'stdlib'))];
  check(files.length >= 10, `only ${files.length} .mesh files under examples/ and stdlib/`);
  const counts = {};
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const name = path.relative(ROOT, file);
    const scopes = scopesByOffset(grammar, text);
    const tokens = lexMesh(text).filter((t) => t.kind !== 'WS');
    const where = (t) => {
      const before = text.slice(0, t.offset);
      const line = before.split('\n').length;
      return `${name}:${line}:${t.offset - before.lastIndexOf('\n')}`;
    };
    tokens.forEach((t, k) => {
      const s = scopes[t.offset];
      const prev = tokens[k - 1], next = tokens[k + 1];
      let expected = null;
      if (t.kind in EXPECTED) {
        expected = EXPECTED[t.kind];
        check(has(s, expected), `${where(t)}: ${t.kind} ${JSON.stringify(t.text.slice(0, 30))} is scoped ${innermost(s)}, expected ${expected}`);
      } else if (t.kind === 'KEYWORD') {
        const isName = (prev && (prev.text === '.' || NAME_AFTER.has(prev.text))) || (next && next.text === ':');
        if (isName) {
          expected = 'name';
          check(!keywordish(s) || has(s, 'storage.type.binder'), `${where(t)}: '${t.text}' used as a name is scoped ${innermost(s)}`);
        } else {
          expected = 'keyword';
          check(keywordish(s), `${where(t)}: keyword '${t.text}' is scoped ${innermost(s)}, not as a keyword`);
        }
      } else if (t.kind === 'IDENT' && BUILTIN_TYPES.includes(t.text) && !(prev && prev.text === '.') && !(next && next.text === ':')) {
        expected = 'type';
        check(has(s, 'support.type.builtin.mesh'), `${where(t)}: built-in type '${t.text}' is scoped ${innermost(s)}`);
      } else if (t.kind === 'LITERAL') {
        expected = 'symbol';
        check(symbolish(s), `${where(t)}: '${t.text}' is scoped ${innermost(s)}, not as an operator or punctuation`);
      } else if (t.kind === 'IDENT') {
        check(!has(s, 'comment.') && !has(s, 'string.'), `${where(t)}: identifier '${t.text}' is scoped ${innermost(s)}`);
      } else {
        fail(`${where(t)}: the reference lexer found ${t.kind} ${JSON.stringify(t.text)} in a file that should be valid`);
      }
      if (expected) counts[expected] = (counts[expected] || 0) + 1;
      // Every character of a comment or string token is in that scope.
      if (t.kind.endsWith('COMMENT') || t.kind.endsWith('STRING')) {
        for (let i = t.offset; i < t.offset + t.text.length; i++) {
          if (text[i] === '\n') continue;
          if (!has(scopes[i], EXPECTED[t.kind])) {
            fail(`${where(t)}: character ${i - t.offset} of ${t.kind} is scoped ${innermost(scopes[i])}`);
            break;
          }
        }
      }
    });
  }
  // The files exercise every category (else the checks above prove little).
  for (const kind of ['keyword', 'name', 'type', 'symbol', ...Object.values(EXPECTED)]) {
    if (kind === EXPECTED.BLOCK_COMMENT) continue;  // none in examples/ and stdlib/ (covered by the samples)
    check((counts[kind] || 0) > 0, `no token of kind ${kind} in examples/ and stdlib/`);
  }
  console.log(`tokenized ${files.length} files: ` + Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', '));
}

function checkExtension() {
  const vscode = path.join(EDITORS, 'vscode');
  const pkg = JSON.parse(fs.readFileSync(path.join(vscode, 'package.json'), 'utf8'));
  const lang = (pkg.contributes.languages || []).find((l) => l.id === 'mesh');
  check(lang && lang.extensions.includes('.mesh'), 'package.json: no language mesh for .mesh files');
  const grammarEntry = (pkg.contributes.grammars || []).find((g) => g.language === 'mesh');
  check(grammarEntry && grammarEntry.scopeName === 'source.mesh', 'package.json: no grammar source.mesh for mesh');
  if (grammarEntry) {
    const named = path.join(vscode, grammarEntry.path);
    check(path.resolve(named) === GRAMMAR, `package.json names ${grammarEntry.path}, not syntaxes/mesh.tmLanguage.json`);
  }
  // A file of its own, not a link: `cp -r` and `vsce package` take the extension as it is.
  check(!fs.lstatSync(GRAMMAR).isSymbolicLink(), 'vscode/syntaxes/mesh.tmLanguage.json is a link (it must be the grammar)');
  // textmate/ has no copy to keep in step: a link to the extension's grammar.
  check(fs.lstatSync(TEXTMATE).isSymbolicLink() && fs.realpathSync(TEXTMATE) === fs.realpathSync(GRAMMAR),
        'textmate/mesh.tmLanguage.json is not a link to vscode/syntaxes/mesh.tmLanguage.json');
  const config = JSON.parse(fs.readFileSync(path.join(vscode, lang ? lang.configuration : 'language-configuration.json'), 'utf8'));
  check(config.comments && config.comments.lineComment === '//', 'language configuration: line comments are not //');
  check(config.comments && JSON.stringify(config.comments.blockComment) === '["/*","*/"]', 'language configuration: block comments are not /* */');
  for (const pair of [['{', '}'], ['[', ']'], ['(', ')']]) {
    check(config.brackets.some((b) => b[0] === pair[0] && b[1] === pair[1]), `language configuration: no bracket pair ${pair.join('')}`);
    check(config.autoClosingPairs.some((p) => p.open === pair[0] && p.close === pair[1]), `language configuration: ${pair[0]} is not auto-closed`);
  }
  check(config.autoClosingPairs.some((p) => p.open === '"' && p.close === '"'), 'language configuration: " is not auto-closed');
  // The grammar's own name and file type.
  const raw = JSON.parse(fs.readFileSync(GRAMMAR, 'utf8'));
  check(raw.scopeName === 'source.mesh' && raw.fileTypes.includes('mesh'), 'the grammar is not source.mesh for .mesh files');
}

(async () => {
  const grammar = await loadGrammar();
  checkKeywordsAndSymbols(grammar);
  checkLexerTokenKinds(grammar);
  checkContexts(grammar);
  checkFiles(grammar);
  checkExtension();
  console.log(`${keywords.length} keywords, ${symbols.length} symbols and ${lexerRules.length} lexer token kinds of Mesh.g4 checked`);
  if (failures) {
    console.error(`${failures} failure${failures === 1 ? '' : 's'}`);
    process.exit(1);
  }
  console.log('editor support: all checks passed');
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(2);
});
