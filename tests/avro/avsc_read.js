// avsc_read.js: avsc (npm) as a peer reader of the avro target's schemas.
//
//   node avsc_read.js parse FILE...     each schema parsed: "ok FILE" or "error FILE: why"
//   node avsc_read.js defaults FILE     the record of FILE read, by Avro's schema
//                                       resolution, from a writer that has none of
//                                       its fields: every default filled in, as JSON
//                                       (bytes as {"hex": ...})
'use strict';
const fs = require('fs');
const avro = require('avsc');

function load(file) {
  return avro.Type.forSchema(JSON.parse(fs.readFileSync(file, 'utf8')));
}

function plain(value) {
  if (Buffer.isBuffer(value)) return {hex: value.toString('hex')};
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

const [mode, ...files] = process.argv.slice(2);
if (mode === 'parse') {
  let failed = false;
  for (const f of files) {
    try {
      load(f);
      console.log(`ok ${f}`);
    } catch (e) {
      failed = true;
      console.log(`error ${f}: ${e.message}`);
    }
  }
  process.exit(failed ? 1 : 0);
} else if (mode === 'defaults') {
  const reader = load(files[0]);
  const writer = avro.Type.forSchema({type: 'record', name: reader.name, fields: []});
  const value = reader.fromBuffer(Buffer.alloc(0), reader.createResolver(writer));
  console.log(JSON.stringify(plain(value)));
} else {
  console.error('usage: avsc_read.js parse FILE... | defaults FILE');
  process.exit(2);
}
