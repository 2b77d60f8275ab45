import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { configNamespace } from "../../config";
import { secretStandIns } from "./secretStandIns";

/** The config of a committed stack file as the Pulumi runtime would hand it to the program. */
export interface StackFileConfig {
  /** `namespace:key` to string, objects as JSON, exactly like `pulumi.runtime.allConfig()`. */
  values: Record<string, string>;
  /** Keys whose values are encrypted in the stack file; offline they hold a stand-in. */
  secretKeys: string[];
}

export const projectRoot = path.resolve(__dirname, "..", "..");

/** Names of the committed stacks (`Pulumi.<stack>.yaml` beside Pulumi.yaml). */
export function committedStacks(root = projectRoot): string[] {
  return fs
    .readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

export function projectName(root = projectRoot): string {
  const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string };
  return project.name;
}

/** A stack file that is not valid YAML or not the shape Pulumi reads: the message names the file, line and key. */
export class StackFileError extends Error {
  constructor(file: string, line: number | undefined, message: string) {
    super(`${file}${line ? `:${line}` : ""}: ${message}`);
    this.name = "StackFileError";
  }
}

/** The top-level keys of a Pulumi stack file (Pulumi's stack settings reference). */
const stackFileKeys = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

/**
 * Reads Pulumi.<stack>.yaml; encrypted values (`secure:`) become stand-ins in the format their key accepts
 * (scripts/plan/secretStandIns.ts). Throws a StackFileError for invalid YAML or a wrong shape.
 */
export function readStackFile(stack: string, root = projectRoot): StackFileConfig {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  const name = path.basename(file);
  if (!fs.existsSync(file)) {
    throw new Error(`No stack file ${name}; committed stacks: ${committedStacks(root).join(", ")}`);
  }
  const lines = new YAML.LineCounter();
  const text = fs.readFileSync(file, "utf8");
  const doc = YAML.parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : undefined);
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0].line;
    const key = line ? keyNear(text, line) : undefined;
    throw new StackFileError(name, line, `not valid YAML${key ? ` at key ${key}` : ""}: ${firstError.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
  }
  if (doc.contents === null) return { values: {}, secretKeys: [] };
  if (!YAML.isMap(doc.contents)) throw new StackFileError(name, lineOf(doc.contents), "must be a mapping with a config: section");
  let config: YAML.YAMLMap | undefined;
  for (const pair of doc.contents.items) {
    const key = String(YAML.isScalar(pair.key) ? pair.key.value : pair.key);
    const line = lineOf(pair.key as YAML.Node);
    if (key === "config") {
      if (pair.value !== null && !YAML.isMap(pair.value)) throw new StackFileError(name, lineOf(pair.value as YAML.Node) ?? line, "config: must be a mapping of namespace:key to value");
      config = (pair.value as YAML.YAMLMap | null) ?? undefined;
    } else if (!stackFileKeys.includes(key)) {
      throw new StackFileError(name, line, `${key}: ${key.includes(":") ? "a config key outside config:; indent it under config:" : `not a stack file setting (${stackFileKeys.join(", ")})`}`);
    }
  }
  for (const pair of config?.items ?? []) {
    const key = String(YAML.isScalar(pair.key) ? pair.key.value : pair.key);
    const problem = configKeyProblem(key);
    if (problem) throw new StackFileError(name, lineOf(pair.key as YAML.Node), `${key}: ${problem}`);
  }
  const entries = Object.entries((config?.toJSON() ?? {}) as Record<string, unknown>);
  return secretStandIns(entries);
}

/** What is wrong with a config key's name, if anything: `namespace:key`, and a namespace close to ours is a typo. */
export function configKeyProblem(key: string): string | undefined {
  const match = /^([^:]+):(.+)$/.exec(key);
  if (!match) return `config keys are namespace:key, such as ${configNamespace}:${key}`;
  const namespace = match[1];
  if (namespace !== configNamespace && editDistance(namespace.toLowerCase(), configNamespace) <= 3) {
    return `unknown namespace ${namespace}: likely a typo of ${configNamespace}`;
  }
  return undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The key on the given line, or the nearest one above it: where a YAML error sits in the user's terms. */
function keyNear(text: string, line: number): string | undefined {
  const lines = text.split("\n").slice(0, line).reverse();
  for (const candidate of lines) {
    const match = /^\s*-?\s*("[^"]+"|'[^']+'|[^\s#"'][^#]*?):(\s|$)/.exec(candidate);
    if (match) return match[1].replace(/^["']|["']$/g, "");
  }
  return undefined;
}
