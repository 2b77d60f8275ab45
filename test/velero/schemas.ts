/**
 * Validators for Velero, from the upstream files vendored in facts/schemas (see its README): the CRD-derived
 * object schemas made strict the way the API server is (test/kubernetes/schemas.ts `strictStructural`), and the
 * chart's values schema applied to the chart's values.yaml merged with ours, as Helm does.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as YAML from "yaml";
import { helmMerge, schemasDir, strictStructural } from "../kubernetes/schemas";

export type VeleroKind = "backupstoragelocation" | "volumesnapshotlocation" | "schedule" | "restore" | "backup";

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(schemasDir, file), "utf8")) as Record<string, unknown>;
}

function newAjv(): Ajv {
  // strict: false for the x-kubernetes-* keywords, `nullable`, and strictRequired in the chart's values schema.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  return ajv;
}

const ajv = newAjv();
const objectValidators = new Map<VeleroKind, ValidateFunction>();

/** Validator of a Velero object (velero.io/v1), strict about unknown fields. */
export function veleroObjectValidator(kind: VeleroKind): ValidateFunction {
  const cached = objectValidators.get(kind);
  if (cached) return cached;
  const validate = ajv.compile(strictStructural(readJson(`velero/${kind}.v1.schema.json`)) as object);
  objectValidators.set(kind, validate);
  return validate;
}

/** The Velero object kinds the schemas cover, by the `kind` field of an object. */
export const veleroKinds: Record<string, VeleroKind> = {
  BackupStorageLocation: "backupstoragelocation",
  VolumeSnapshotLocation: "volumesnapshotlocation",
  Schedule: "schedule",
  Restore: "restore",
  Backup: "backup",
};

let valuesValidator: ValidateFunction | undefined;
/** The Velero chart's values schema; validate `veleroMergedValues(values)` with it, as Helm does. */
export function veleroValuesSchema(): ValidateFunction {
  valuesValidator ??= newAjv().compile(readJson("velero-chart/values.schema.json"));
  return valuesValidator;
}

/** The chart's values.yaml. */
export function veleroDefaults(): Record<string, unknown> {
  return YAML.parse(fs.readFileSync(path.join(schemasDir, "velero-chart", "values.yaml"), "utf8")) as Record<string, unknown>;
}

/** Our values merged over the chart's values.yaml (maps merge, lists replace, null deletes). */
export function veleroMergedValues(values: Record<string, unknown>): Record<string, unknown> {
  return helmMerge(veleroDefaults(), values);
}

/**
 * Key paths of `values` that neither the chart's values.yaml nor its schema knows. The chart's schema does not
 * reject unknown keys and Helm ignores them, so a misspelt key would be lost silently. Maps whose keys are free
 * (annotations, labels, selectors, config) and list items are not descended into.
 */
export function unknownValueKeys(values: Record<string, unknown>): string[] {
  const schema = readJson("velero-chart/values.schema.json");
  const unknown: string[] = [];
  const walk = (value: Record<string, unknown>, defaults: unknown, schemaNode: unknown, prefix: string) => {
    const defaultKeys = isMap(defaults) ? Object.keys(defaults) : [];
    const properties = isMap(schemaNode) && isMap(schemaNode.properties) ? (schemaNode.properties as Record<string, unknown>) : {};
    for (const [key, child] of Object.entries(value)) {
      const keyPath = prefix ? `${prefix}.${key}` : key;
      if (!defaultKeys.includes(key) && !(key in properties)) {
        unknown.push(keyPath);
        continue;
      }
      const childDefaults = isMap(defaults) ? defaults[key] : undefined;
      const childSchema = properties[key];
      // Descend only into maps the chart defines with fixed keys (a non-empty default map or a schema with properties).
      const fixedKeys = (isMap(childDefaults) && Object.keys(childDefaults).length > 0) || (isMap(childSchema) && isMap(childSchema.properties) && Object.keys(childSchema.properties).length > 0);
      if (isMap(child) && fixedKeys && !freeFormKeys.has(key)) walk(child, childDefaults, childSchema, keyPath);
    }
  };
  walk(values, veleroDefaults(), schema, "");
  return unknown;
}

const freeFormKeys = new Set(["annotations", "labels", "podLabels", "podAnnotations", "nodeSelector", "config", "requests", "limits"]);

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
