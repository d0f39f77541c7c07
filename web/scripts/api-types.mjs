// TypeScript types of the API's answers, generated from the response schemas in
// docs/openapi.json (`components.schemas`) and the docs/record.schema.json definitions they refer
// to (`record.schema.json#/$defs/NAME`, named in PascalCase), so that the pages read what the
// server writes.
// `node scripts/api-types.mjs` writes src/api.ts; `--check` says whether the committed file is
// what this generates (test/vectors.test.ts runs it). Handles the subset of JSON Schema those schemas use.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

function literal(value) {
  return JSON.stringify(value);
}

const API_REF = "#/components/schemas/";
const RECORD_REF = /^(?:record\.schema\.json)?#\/\$defs\//;

/** The type name of a record definition: `hex32` → `Hex32`, `conventionEntry` → `ConventionEntry`. */
function recordName(def) {
  return def[0].toUpperCase() + def.slice(1);
}

function refName(ref) {
  if (ref.startsWith(API_REF)) return ref.slice(API_REF.length);
  if (RECORD_REF.test(ref)) return recordName(ref.replace(RECORD_REF, ""));
  throw new Error(`cannot resolve ${ref}`);
}

function typeOf(schema, indent) {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.enum) return schema.enum.map(literal).join(" | ");
  if ("const" in schema) return literal(schema.const);
  if (schema.oneOf) return schema.oneOf.map((s) => typeOf(s, indent)).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.map((t) => single(t, schema, indent)).join(" | ");
}

function single(type, schema, indent) {
  switch (type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      if (schema.prefixItems) return `[${schema.prefixItems.map((s) => typeOf(s, indent)).join(", ")}]`;
      return schema.items ? `${wrap(typeOf(schema.items, indent))}[]` : "unknown[]";
    case "object":
      return object(schema, indent);
    default:
      return "unknown";
  }
}

function wrap(type) {
  return type.includes(" ") && !type.startsWith("{") ? `(${type})` : type;
}

function object(schema, indent) {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) {
    const values = typeof schema.additionalProperties === "object" ? typeOf(schema.additionalProperties, indent) : "unknown";
    return `Record<string, ${values}>`;
  }
  const required = new Set(schema.required ?? []);
  const inner = indent + "  ";
  const lines = properties.map(([name, s]) => {
    const doc = s.description ? `${inner}/** ${s.description} */\n` : "";
    return `${doc}${inner}${name}${required.has(name) ? "" : "?"}: ${typeOf(s, inner)};`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** The record definitions `schema` refers to, and those they refer to, into `found`. */
function recordRefs(schema, record, found) {
  const text = JSON.stringify(schema);
  for (const [, def] of text.matchAll(/"(?:record\.schema\.json)?#\/\$defs\/([A-Za-z0-9]+)"/g)) {
    if (found.has(def)) continue;
    if (!record.$defs[def]) throw new Error(`record.schema.json has no $defs/${def}`);
    found.add(def);
    recordRefs(record.$defs[def], record, found);
  }
  return found;
}

/** The record's documents that the pages read straight from the record (`/record/FILE`). */
const RECORD_DOCUMENTS = ["results", "credentialLine", "registrar"];

function declare(out, name, schema) {
  if (schema.description) out.push(`/** ${schema.description} */`);
  out.push(`export type ${name} = ${typeOf(schema, "")};`, "");
}

/** The TypeScript module for `openapi` and `record` (the parsed docs/openapi.json and docs/record.schema.json). */
export function generate(openapi, record) {
  const out = [
    "// Generated from docs/openapi.json and docs/record.schema.json by scripts/api-types.mjs: do",
    "// not edit; run `node scripts/api-types.mjs` after changing a schema.",
    "",
  ];
  const api = openapi.components.schemas;
  for (const [name, schema] of Object.entries(api)) declare(out, name, schema);
  const defs = recordRefs(api, record, new Set());
  for (const document of RECORD_DOCUMENTS) recordRefs({ $ref: `#/$defs/${document}` }, record, defs);
  for (const def of [...defs].sort()) {
    const name = recordName(def);
    if (api[name]) throw new Error(`record.schema.json's ${def} and the API's ${name} would share a name`);
    declare(out, name, record.$defs[def]);
  }
  return out.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const web = new URL("..", import.meta.url);
  const openapi = JSON.parse(readFileSync(new URL("../docs/openapi.json", web), "utf8"));
  const record = JSON.parse(readFileSync(new URL("../docs/record.schema.json", web), "utf8"));
  const target = new URL("src/api.ts", web);
  if (process.argv.includes("--check")) {
    // For the test: the committed types are the ones the schemas give.
    if (readFileSync(target, "utf8") !== generate(openapi, record)) {
      console.error("src/api.ts is not what docs/openapi.json gives: run node scripts/api-types.mjs");
      process.exit(1);
    }
  } else {
    writeFileSync(target, generate(openapi, record));
  }
}
