// TypeScript types of the API's answers, generated from the response schemas in
// docs/openapi.json (`components.schemas`), so that the pages read what the server writes.
// `node scripts/api-types.mjs` writes src/api.ts; `--check` says whether the committed file is
// what this generates (test/vectors.test.ts runs it). Handles the subset of JSON Schema those schemas use.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

function literal(value) {
  return JSON.stringify(value);
}

function typeOf(schema, indent) {
  if (schema.$ref) return schema.$ref.replace("#/components/schemas/", "");
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
  if (properties.length === 0) return "Record<string, unknown>";
  const required = new Set(schema.required ?? []);
  const inner = indent + "  ";
  const lines = properties.map(([name, s]) => {
    const doc = s.description ? `${inner}/** ${s.description} */\n` : "";
    return `${doc}${inner}${name}${required.has(name) ? "" : "?"}: ${typeOf(s, inner)};`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** The TypeScript module for `openapi` (the parsed docs/openapi.json). */
export function generate(openapi) {
  const out = [
    "// Generated from docs/openapi.json by scripts/api-types.mjs: do not edit; run",
    "// `node scripts/api-types.mjs` after changing a response schema.",
    "",
  ];
  for (const [name, schema] of Object.entries(openapi.components.schemas)) {
    if (schema.description) out.push(`/** ${schema.description} */`);
    out.push(`export type ${name} = ${typeOf(schema, "")};`, "");
  }
  return out.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const web = new URL("..", import.meta.url);
  const openapi = JSON.parse(readFileSync(new URL("../docs/openapi.json", web), "utf8"));
  const target = new URL("src/api.ts", web);
  if (process.argv.includes("--check")) {
    // For the test: the committed types are the ones the schemas give.
    if (readFileSync(target, "utf8") !== generate(openapi)) {
      console.error("src/api.ts is not what docs/openapi.json gives: run node scripts/api-types.mjs");
      process.exit(1);
    }
  } else {
    writeFileSync(target, generate(openapi));
  }
}
