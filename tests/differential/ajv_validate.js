#!/usr/bin/env node
// ajv_validate.js SCHEMA FILE
//
// The ajv side of the differential test (see README.md): validates each line
// of a JSON Lines file against one exported JSON Schema (draft 2020-12) and
// prints one line per message, {"line":N,"valid":true|false}, numbered from 1
// like `meshc validate`. A record's schema refers to the records of its fields
// by their "$id" (urn:mesh:<record>): every other *.schema.json of SCHEMA's
// directory is added to ajv first, so those references resolve.
//
// Lines are split the way meshc splits them (std::getline: on "\n" only; a
// final "\n" does not start another line; a "\r" stays in the line, where
// both JSON readers take it for white space). Each line is decoded on its own
// as UTF-8 in fatal mode, so a decoding failure or a JSON.parse failure is an
// invalid message, as meshc's `parse` rule makes it. The decoder drops one
// byte order mark at the start of a line, as meshc's JSON reader does (RFC
// 8259 section 8.1 lets a parser ignore it); anywhere else it is not JSON.
//
// Exit status: 0 when every message is valid, 1 when one is not, 2 on a usage
// or I/O error, 3 when ajv cannot compile the schema (the message says why).
"use strict";

const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

function usage(message) {
  process.stderr.write(`ajv_validate.js: ${message}\nusage: node ajv_validate.js SCHEMA FILE\n`);
  process.exit(2);
}

function makeAjv() {
  const ajv = new Ajv2020({
    strict: true,          // unknown keywords, formats and ignored keywords are schema errors
    allErrors: true,
    // Decimals are compared by dividing doubles: 0.07 / 0.01 is
    // 7.000000000000001, which an exact check would reject.
    multipleOfPrecision: 9,
    validateFormats: true,
    // Only the message's own keys count: without it a record with a field
    // called `constructor` or `toString` sees Object.prototype's members.
    ownProperties: true,
  });
  ajv.addKeyword("x-mesh-unexpressed");
  addFormats(ajv); // the "full" formats of ajv-formats
  return ajv;
}

function splitLines(buffer) {
  const lines = [];
  let start = 0;
  for (;;) {
    const nl = buffer.indexOf(0x0a, start);
    if (nl < 0) {
      if (start < buffer.length) lines.push(buffer.subarray(start));
      break;
    }
    lines.push(buffer.subarray(start, nl));
    start = nl + 1;
  }
  return lines;
}

function main(argv) {
  if (argv.length !== 2) usage("expected two arguments");
  const [schemaPath, dataPath] = argv;
  let schema, data;
  try {
    schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  } catch (e) {
    usage(`cannot read the schema ${schemaPath}: ${e.message}`);
  }
  try {
    data = fs.readFileSync(dataPath);
  } catch (e) {
    usage(`cannot read ${dataPath}: ${e.message}`);
  }
  let validate;
  try {
    const ajv = makeAjv();
    const directory = path.dirname(schemaPath);
    for (const name of fs.readdirSync(directory).sort()) {
      const other = path.join(directory, name);
      if (name.endsWith(".schema.json") && path.resolve(other) !== path.resolve(schemaPath))
        ajv.addSchema(JSON.parse(fs.readFileSync(other, "utf8")));
    }
    validate = ajv.compile(schema);
  } catch (e) {
    process.stderr.write(`ajv_validate.js: ajv cannot compile ${path.basename(schemaPath)}: ${e.message}\n`);
    process.exit(3);
  }
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const out = [];
  let allValid = true;
  splitLines(data).forEach((bytes, index) => {
    let valid;
    try {
      valid = validate(JSON.parse(decoder.decode(bytes))) === true;
    } catch (e) {
      valid = false; // not UTF-8, or not JSON
    }
    allValid = allValid && valid;
    out.push(`{"line":${index + 1},"valid":${valid}}`);
  });
  process.stdout.write(out.length ? out.join("\n") + "\n" : "");
  return allValid ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
