/**
 * Validators built from the upstream schemas vendored in facts/schemas (see its README for where each file
 * comes from and how it must be used).
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as YAML from "yaml";

export const schemasDir = path.resolve(__dirname, "..", "..", "facts", "schemas");

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(schemasDir, file), "utf8")) as Record<string, unknown>;
}

/**
 * A CRD's structural schema made strict the way the API server is with strict field validation (what
 * server-side apply uses): every object that lists its properties and does not preserve unknown fields rejects
 * any other field. Without this, JSON Schema would accept a misspelt field that Kubernetes silently prunes.
 */
export function strictStructural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictStructural);
  if (schema === null || typeof schema !== "object") return schema;
  const node = Object.fromEntries(
    Object.entries(schema as Record<string, unknown>).map(([key, value]) => [
      key,
      // `properties` maps names to schemas: recurse into the schemas, never treat the names as keywords.
      key === "properties" && value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, strictStructural(sub)]))
        : strictStructural(value),
    ]),
  );
  if (
    node.type === "object" &&
    node.properties !== undefined &&
    node.additionalProperties === undefined &&
    node["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    node.additionalProperties = false;
  }
  return node;
}

function newAjv(options: { strict: boolean; allowUnionTypes?: boolean }): Ajv {
  const ajv = new Ajv({ allErrors: true, ...options });
  addFormats(ajv);
  // Kubernetes' integer formats, which ajv-formats does not know.
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  return ajv;
}

const crdAjv = newAjv({ strict: false });
const crdValidators = new Map<string, ValidateFunction>();

/** Validator of a cert-manager object, from the CRD-derived schema (e.g. "certificate", "clusterissuer"). */
export function certManagerObjectValidator(kind: "certificate" | "clusterissuer" | "issuer"): ValidateFunction {
  const cached = crdValidators.get(kind);
  if (cached) return cached;
  const validate = crdAjv.compile(strictStructural(readJson(`cert-manager/${kind}.v1.schema.json`)) as object);
  crdValidators.set(kind, validate);
  return validate;
}

let certManagerValuesValidator: ValidateFunction | undefined;
/** The cert-manager chart's values schema (compiles in strict mode; its root rejects unknown keys). */
export function certManagerValuesSchema(): ValidateFunction {
  certManagerValuesValidator ??= newAjv({ strict: true }).compile(readJson("cert-manager/values.schema.json"));
  return certManagerValuesValidator;
}

let externalDnsValuesValidator: ValidateFunction | undefined;
/** The external-dns chart's values schema (needs strict: false for its union types). */
export function externalDnsValuesSchema(): ValidateFunction {
  externalDnsValuesValidator ??= newAjv({ strict: false }).compile(readJson("external-dns-chart/values.schema.json"));
  return externalDnsValuesValidator;
}

/** The external-dns chart's own values.yaml, the base Helm merges overrides onto. */
export function externalDnsDefaults(): Record<string, unknown> {
  return YAML.parse(fs.readFileSync(path.join(schemasDir, "external-dns-chart", "values.yaml"), "utf8")) as Record<string, unknown>;
}

/** The Chart.yaml of a vendored chart. */
export function vendoredChart(dir: "external-dns-chart" | "velero-chart"): { version: string; appVersion: string } {
  return YAML.parse(fs.readFileSync(path.join(schemasDir, dir, "Chart.yaml"), "utf8")) as { version: string; appVersion: string };
}

/**
 * Helm's merge of user values over a chart's defaults: maps merge key by key, anything else (lists included)
 * replaces, and `null` deletes the key.
 */
export function helmMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) {
      delete result[key];
    } else if (isMap(value) && isMap(result[key])) {
      result[key] = helmMerge(result[key] as Record<string, unknown>, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Top-level keys of `values` the chart does not define (neither in its values.yaml nor in its schema). The
 * external-dns schema allows unknown top-level keys, and Helm ignores them silently: a misspelt key would be lost.
 */
export function unknownTopLevelKeys(values: Record<string, unknown>, defaults: Record<string, unknown>, schema: Record<string, unknown>): string[] {
  const known = new Set([...Object.keys(defaults), ...Object.keys((schema.properties ?? {}) as Record<string, unknown>)]);
  return Object.keys(values).filter((key) => !known.has(key));
}

export function externalDnsSchemaJson(): Record<string, unknown> {
  return readJson("external-dns-chart/values.schema.json");
}

/** ajv's errors as one readable line each, for assertion messages. */
export function describeErrors(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
