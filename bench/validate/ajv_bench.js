// ajv_bench.js SCHEMA CORPUS [ROUNDS]: ajv's compiled validator (draft
// 2020-12, ajv-formats) with JSON.parse per line, on one core, the fastest of
// ROUNDS passes (default 1); prints "ajv MESSAGES_PER_S MB_PER_S VALID".
const fs = require("fs");
const path = require("path");
const modules = path.join(__dirname, "..", "..", "tests", "differential", "node_modules");
const Ajv2020 = require(path.join(modules, "ajv", "dist", "2020")).default;
const addFormats = require(path.join(modules, "ajv-formats"));
const ajv = new Ajv2020({ strict: true, allErrors: true, multipleOfPrecision: 9 });
addFormats(ajv);
ajv.addKeyword("x-mesh-unexpressed");
// A record's schema refers to the records it holds by their "$id"
// (urn:mesh:<record>): every other *.schema.json beside it is added first,
// as tests/differential/ajv_validate.js does.
const directory = path.dirname(process.argv[2]);
for (const name of fs.readdirSync(directory).sort()) {
  const other = path.join(directory, name);
  if (name.endsWith(".schema.json") && path.resolve(other) !== path.resolve(process.argv[2]))
    ajv.addSchema(JSON.parse(fs.readFileSync(other, "utf8")));
}
const validate = ajv.compile(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
const text = fs.readFileSync(process.argv[3], "utf8");
const lines = text.split("\n");
if (lines[lines.length - 1] === "") lines.pop();
const bytes = Buffer.byteLength(text, "utf8");
const rounds = Number(process.argv[4] || 1);
let valid = 0;
let seconds = Infinity;
for (let r = 0; r < rounds; r++) {
  valid = 0;
  const start = process.hrtime.bigint();
  for (const line of lines) {
    let message;
    try {
      message = JSON.parse(line);
    } catch (e) {
      continue;
    }
    if (validate(message)) valid++;
  }
  seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(`ajv ${Math.round(lines.length / seconds)} ${(bytes / seconds / 1e6).toFixed(1)} ${valid}`);
