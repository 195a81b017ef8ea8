// A JSON Schema (draft-07) validator for the keywords Microsoft's workbook schema uses
// (infra/workbook/schema/workbook.json), so the workbook is checked without a validator package in
// the dependencies. `unsupportedKeywords` names any keyword a schema uses that this file does not check,
// and the workbook test fails on one: a new keyword in a refreshed schema cannot be skipped silently.
import { isDeepStrictEqual } from "node:util";

export type JsonSchema = { readonly [keyword: string]: unknown };

/** Keywords checked below, and those draft-07 defines as annotations only (nothing to check). */
const checked = ["type", "properties", "required", "items", "anyOf", "$ref", "enum", "const", "pattern"];
const annotations = ["$schema", "$id", "title", "description", "default", "examples", "definitions", "tags"];

/** Every keyword `schema` uses, in any of its subschemas, that this validator neither checks nor may ignore. */
export function unsupportedKeywords(schema: JsonSchema): string[] {
  const found = new Set<string>();
  const visit = (node: JsonSchema) => {
    for (const [keyword, value] of Object.entries(node)) {
      if (!checked.includes(keyword) && !annotations.includes(keyword)) found.add(keyword);
      if (keyword === "properties" || keyword === "definitions") Object.values(value as Record<string, JsonSchema>).forEach(visit);
      else if (keyword === "items") (Array.isArray(value) ? value : [value]).forEach((s) => visit(s as JsonSchema));
      else if (keyword === "anyOf") (value as JsonSchema[]).forEach(visit);
    }
  };
  visit(schema);
  return [...found].sort();
}

/** What `instance` breaks of `root`, each as "<JSON pointer>: <what>"; empty when it conforms. */
export function validate(root: JsonSchema, instance: unknown): string[] {
  return check(root, root, instance, "");
}

function check(root: JsonSchema, schema: JsonSchema, value: unknown, at: string): string[] {
  if (typeof schema.$ref === "string") return check(root, resolve(root, schema.$ref), value, at);
  const errors: string[] = [];
  const types = schema.type === undefined ? [] : ([] as unknown[]).concat(schema.type);
  if (types.length > 0 && !types.some((t) => isOfType(value, t as string))) {
    return [`${at || "/"}: is ${describe(value)}, not ${types.join(" or ")}`];
  }
  if (schema.const !== undefined && !isDeepStrictEqual(value, schema.const)) errors.push(`${at}: must be ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => isDeepStrictEqual(value, e))) {
    errors.push(`${at}: must be one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof schema.pattern === "string" && typeof value === "string" && !new RegExp(schema.pattern, "u").test(value)) {
    errors.push(`${at}: does not match ${schema.pattern}`);
  }
  if (isObject(value)) {
    for (const name of (schema.required as string[] | undefined) ?? []) if (!(name in value)) errors.push(`${at}: lacks "${name}"`);
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, sub] of Object.entries(properties)) {
      if (name in value) errors.push(...check(root, sub, value[name], `${at}/${name}`));
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    // draft-07: one schema applies to every element; an array of schemas applies position by position.
    value.forEach((element, i) => {
      const sub = Array.isArray(schema.items) ? (schema.items[i] as JsonSchema | undefined) : (schema.items as JsonSchema);
      if (sub !== undefined) errors.push(...check(root, sub, element, `${at}/${i}`));
    });
  }
  if (Array.isArray(schema.anyOf)) {
    const attempts = (schema.anyOf as JsonSchema[]).map((sub) => check(root, sub, value, at));
    if (!attempts.some((a) => a.length === 0)) {
      // The closest alternative's errors say more than "matches none": the one that went deepest
      // before failing (an item of the wrong kind fails at its `type`, the intended kind further in).
      const depth = (errors: string[]) => Math.min(...errors.map((e) => e.split(": ")[0]!.split("/").length));
      const closest = attempts.reduce((best, a) => (depth(a) > depth(best) || (depth(a) === depth(best) && a.length < best.length) ? a : best));
      errors.push(`${at}: matches none of ${attempts.length} alternatives; the closest: ${closest.join("; ")}`);
    }
  }
  return errors;
}

/** A local reference, "#/definitions/x" (the only kind the workbook schema has). */
function resolve(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith("#/")) throw new Error(`only local $ref are supported, not ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    node = isObject(node) ? node[part.replaceAll("~1", "/").replaceAll("~0", "~")] : undefined;
    if (node === undefined) throw new Error(`$ref ${ref} points at nothing`);
  }
  return node as JsonSchema;
}

function isOfType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number";
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    default:
      throw new Error(`unknown JSON Schema type ${type}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
