/**
 * Generates docs/configuration.md from the stack config schema: every key with its type, default and the doc
 * comment written above it in config/*.ts. `npm run docs:config` rewrites the file; a test fails when the file
 * and the schema disagree.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { z } from "zod";
import { configNamespace } from "../config";
import { CommandSpec, runCli } from "./cli";
import { clouds, databaseDefaults, nodePoolDefaults, poolRoles } from "../config/cloudDefaults";
import { rawStackSchema } from "../config/schema";

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

interface KeyRow {
  key: string;
  type: string;
  default: string;
  clouds: Set<string>;
  description: string;
}

const configDir = path.join(__dirname, "..", "config");
export const referencePath = path.join(__dirname, "..", "docs", "configuration.md");

/** Doc comments of the properties of every object literal in config/*.ts, with the literal's key set. */
function docComments(): { keys: Set<string>; docs: Map<string, string> }[] {
  const literals: { keys: Set<string>; docs: Map<string, string> }[] = [];
  for (const file of fs.readdirSync(configDir).filter((f) => f.endsWith(".ts"))) {
    const text = fs.readFileSync(path.join(configDir, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isObjectLiteralExpression(node)) {
        const keys = new Set<string>();
        const docs = new Map<string, string>();
        for (const property of node.properties) {
          const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
          if (!name) continue;
          keys.add(name);
          const comment = ts
            .getJSDocCommentsAndTags(property)
            .map((doc) => (typeof doc.comment === "string" ? doc.comment : ""))
            .join(" ")
            .replace(/\s+/g, " ")
            .trim();
          if (comment) docs.set(name, comment);
        }
        if (keys.size > 0) literals.push({ keys, docs });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return literals;
}

/** The doc of `key` in the object literal whose keys are all among `siblings` (the zod object's keys). */
function describe(literals: ReturnType<typeof docComments>, key: string, siblings: string[]): string {
  const candidates = literals.filter((l) => l.docs.has(key) && [...l.keys].every((k) => siblings.includes(k)));
  candidates.sort((a, b) => b.keys.size - a.keys.size);
  return candidates[0]?.docs.get(key) ?? "";
}

function typeOf(schema: JsonSchema): string {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return [...new Set(options.map(typeOf))].join(" or ");
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
  if (schema.const !== undefined) return `\`${String(schema.const)}\``;
  if (schema.type === "array") return `list of ${schema.items ? typeOf(schema.items) : "values"}`;
  if (schema.type === "integer" || schema.type === "number") {
    const range = schema.minimum !== undefined && schema.maximum !== undefined ? ` ${schema.minimum}–${schema.maximum}` : "";
    return `${schema.type}${range}`;
  }
  return String(schema.type ?? "any");
}

function defaultOf(schema: JsonSchema, required: boolean): string {
  if (schema.default !== undefined && !(typeof schema.default === "object" && schema.default !== null && Object.keys(schema.default).length === 0 && !Array.isArray(schema.default))) {
    return `\`${JSON.stringify(schema.default)}\``;
  }
  return required ? "**required**" : "";
}

export function renderReference(): string {
  const literals = docComments();
  const json = z.toJSONSchema(rawStackSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const rows = new Map<string, KeyRow>();
  // variant: the discriminator of a section with variants and its value here (existing.database: kind external).
  const walk = (schema: JsonSchema, prefix: string, cloud: string, variant?: { key: string; value: string }) => {
    const properties = schema.properties ?? {};
    const siblings = Object.keys(properties);
    for (const [key, child] of Object.entries(properties)) {
      // An empty schema is a key this branch rejects (cloud: existing has no nodePools, database or dns).
      if (Object.keys(child).length === 0) continue;
      const fullKey = prefix ? `${prefix}.${key}` : key;
      // The discriminator is one row listing every value; each variant's other keys get rows of their own.
      const isDiscriminator = variant?.key === key;
      const rowKey = variant && !isDiscriminator ? `${fullKey} (${variant.key}: ${variant.value})` : fullKey;
      const doc = describe(literals, key, siblings);
      const existing = rows.get(rowKey);
      if (existing && isDiscriminator && doc && !existing.description.includes(doc)) existing.description += ` \`${variant.value}\`: ${doc}`;
      const row = existing ?? {
        key: rowKey,
        type: typeOf(child),
        default: defaultOf(child, schema.required?.includes(key) ?? false),
        clouds: new Set<string>(),
        description: isDiscriminator && doc ? `\`${variant.value}\`: ${doc}` : doc,
      };
      const type = typeOf(child);
      if (!row.type.split(" or ").includes(type)) row.type = `${row.type} or ${type}`;
      row.clouds.add(cloud);
      rows.set(fullKey, row);
      if (child.type === "object") walk(child, fullKey, cloud);
      // A section with variants (existing.database: external or inCluster): each variant's keys, required or not.
      for (const option of child.anyOf ?? child.oneOf ?? []) {
        if (option.type !== "object") continue;
        const discriminator = Object.entries(option.properties ?? {}).find(([, p]) => p.const !== undefined);
        walk(option, fullKey, cloud, discriminator && { key: discriminator[0], value: String(discriminator[1].const) });
      }
      if (child.type === "array" && child.items?.type === "object") walk(child.items, `${fullKey}[]`, cloud);
    }
  };
  const branches = json.oneOf ?? [];
  for (const branch of branches) {
    walk(branch, "", String(branch.properties?.cloud?.const));
  }

  const lines = [
    "# Configuration reference",
    "",
    "Generated by `npm run docs:config` from the schema in `config/` (the descriptions are the doc comments written",
    "there); `npm test` fails when this file and the schema disagree. Every key lives in the project's namespace,",
    `\`${configNamespace}:<key>\`. Set structured values in \`Pulumi.<stack>.yaml\` or with`,
    `\`pulumi config set --path '${configNamespace}:nodePools.services.maxNodes' 6\`; secrets with \`--secret\`.`,
    "A value of the wrong type, an unknown key or a rule broken across keys (a pool's `minNodes` above its",
    "`maxNodes`) stops `pulumi up` and `npm run plan` before anything is created, naming the key and what is allowed.",
    "",
    "Values are also checked against what each cloud accepts and against the calendar (`config/validate/`, from the",
    "data files in `facts/`): regions and zones, machine types of at least 4 vCPU / 16 GB, disk types, database tiers,",
    "network ranges, the Velero cron fields, the policy pack's retention minimums in production, the cloud names built",
    "from the stack name, and Kubernetes and MySQL versions: a version past its cloud's end of standard support at the",
    "date of the run is refused unless `cluster.supportPlan` / `database.supportPlan` is `extended` (paid), and a run",
    "warns 90 days before a support window ends. Every MySQL major Gitpod 2022.11 runs on (5.7, 8.0) is past standard",
    "support on all three clouds, so managed-cloud stacks set `database.supportPlan: extended`. A secret must be",
    "`secure:` on its own in the stack file.",
    "",
    "## Defaults that depend on the cloud",
    "",
    "| cloud | pool | machineType | diskSizeGb | diskType | minNodes | maxNodes |",
    "|---|---|---|---|---|---|---|",
    ...clouds.flatMap((cloud) =>
      poolRoles.map((role) => {
        const p = nodePoolDefaults[cloud][role];
        return `| ${cloud} | ${role} | ${p.machineType} | ${p.diskSizeGb} | ${p.diskType} | ${p.minNodes} | ${p.maxNodes} |`;
      }),
    ),
    "",
    "| cloud | database.machineType | database.version |",
    "|---|---|---|",
    ...clouds.map((cloud) => `| ${cloud} | ${databaseDefaults[cloud].machineType} | ${databaseDefaults[cloud].version} |`),
    "",
    "`protect` and `database.highAvailability` default to true when `environment` is `production`.",
    "",
    "## Keys",
  ];
  const topLevel = [...new Set([...rows.keys()].map((key) => key.split(/[.[]/)[0]))];
  for (const section of topLevel) {
    const sectionRows = [...rows.values()].filter((row) => row.key === section || row.key.startsWith(`${section}.`) || row.key.startsWith(`${section}[`));
    lines.push("", `### \`${section}\``, "", "| key | type | default | clouds | description |", "|---|---|---|---|---|");
    for (const row of sectionRows) {
      const cloudsText = row.clouds.size === branches.length ? "all" : [...row.clouds].join(", ");
      lines.push(`| \`${row.key}\` | ${row.type} | ${row.default} | ${cloudsText} | ${row.description.replace(/\|/g, "\\|")} |`);
    }
  }
  return lines.join("\n") + "\n";
}

export const docsCommand: CommandSpec = {
  command: "npm run docs:config --",
  summary: "Rewrites docs/configuration.md from the stack config schema and the doc comments in config/*.ts.",
  options: [{ name: "check", help: "write nothing; exit 1 when docs/configuration.md is out of date" }],
};

if (require.main === module) {
  runCli(docsCommand, (args) => {
    const text = renderReference();
    const relative = path.relative(process.cwd(), referencePath);
    if (args.check) {
      const current = fs.existsSync(referencePath) ? fs.readFileSync(referencePath, "utf8") : "";
      if (current === text) return 0;
      console.error(`${relative} is out of date: run npm run docs:config`);
      return 1;
    }
    fs.writeFileSync(referencePath, text);
    console.log(`Wrote ${relative}`);
    return 0;
  });
}
