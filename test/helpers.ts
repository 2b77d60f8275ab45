import * as pulumi from "@pulumi/pulumi";
import { ConfigError, configNamespace, parseStackConfig } from "../config";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Plan, PlannedResource } from "../scripts/plan/run";
import { rememberStandIns, standInEntries } from "../scripts/plan/standIns";
import { singleThreaded } from "../scripts/test";

/**
 * V8 flags for the Node processes tests start (the policy runner, the plan CLI): without background compiler threads
 * a short process takes about a fifth less CPU and a little longer, and the tests run beside the type-check and lint
 * on two cores (docs/decisions.md, "Speed, fourth pass"). They change nothing the process does.
 */
export const childNodeFlags = [singleThreaded];

/**
 * Turns a config object into the `namespace:key` map the Pulumi runtime hands to the program. A managed-cloud config
 * that leaves database.supportPlan unset gets `extended`, as every real stack must today: each MySQL major Gitpod
 * 2022.11 runs on is past its cloud's standard support (facts/calendar/mysql.json). test/config/calendar.test.ts sets
 * the plan explicitly to test that rule.
 */
export function configValues(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(withMysqlSupportPlan(config)).map(([key, value]) => [
      `${configNamespace}:${key}`,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

function withMysqlSupportPlan(config: Record<string, unknown>): Record<string, unknown> {
  if (!["gcp", "aws", "azure"].includes(config.cloud as string)) return config;
  const database = (config.database ?? {}) as Record<string, unknown>;
  if (typeof database !== "object" || database === null || "supportPlan" in database) return config;
  return { ...config, database: { supportPlan: "extended", ...database } };
}

/** A minimal valid GCP production stack config (before validation), for tests that change one key at a time. */
export const minimalGcpConfig: Readonly<Record<string, unknown>> = {
  cloud: "gcp",
  environment: "production",
  domain: "gitpod.example.com",
  gcp: { project: "my-gitpod-project", region: "europe-west1" },
  certificates: { acmeEmail: "ops@example.com" },
  backup: { replicaRegion: "europe-west4" },
};

/** The same for AWS. */
export const minimalAwsConfig: Readonly<Record<string, unknown>> = {
  cloud: "aws",
  environment: "production",
  domain: "gitpod.example.com",
  aws: { region: "eu-west-1" },
  backup: { replicaRegion: "eu-central-1" },
  certificates: { acmeEmail: "ops@example.com" },
};

/** The same for Azure. */
export const minimalAzureConfig: Readonly<Record<string, unknown>> = {
  cloud: "azure",
  environment: "production",
  domain: "gitpod.example.com",
  azure: { location: "westeurope", subscriptionId: "12345678-1234-4234-8234-123456789abc" },
  backup: { replicaRegion: "northeurope" },
  certificates: { acmeEmail: "ops@example.com" },
};

/** The problems a config is rejected with; fails the test when the config is accepted. */
export function configProblems(config: Record<string, unknown>): string[] {
  try {
    parseStackConfig(configValues(config));
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

export function resourcesOfType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The single resource of a type; fails the test if there are none or several. */
export function onlyResource(plan: Plan, type: string): PlannedResource {
  const found = resourcesOfType(plan, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
  return found[0];
}

export function resourceNamed(plan: Plan, type: string, name: string): PlannedResource {
  const found = plan.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}; have: ${resourcesOfType(plan, type).map((r) => r.name).join(", ")}`);
  return found;
}

/** The value of an Output, for assertions (the mock runtime resolves every Output). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** The plan of a committed stack, as `npm run plan` makes it; planned once per jest run (sharedPlan). */
export function committedPlan(stack: string): Promise<Plan> {
  return sharedPlan(stack, {});
}

/** The plan of a committed stack with config overrides; planned once per jest run (sharedPlan). */
export function overriddenPlan(stack: string, configOverrides: Record<string, string | undefined>): Promise<Plan> {
  return sharedPlan(stack, configOverrides);
}

/**
 * Many suites check the same plans (every committed stack, restore mode in test/velero and test/recover, a bigger
 * pool in test/plan): the first to ask plans the stack and keeps the plan, with the stand-ins its planning invented,
 * as JSON in the run's directory (test/globalSetup.ts); the others read it. A plan that fails is not kept: each
 * caller gets the error. Run some other way than `npx jest`, a suite plans the stack itself.
 */
async function sharedPlan(stack: string, configOverrides: Record<string, string | undefined>): Promise<Plan> {
  const { planStack } = await planMachinery();
  const dir = process.env.GITPOD_PLATFORM_TEST_PLANS;
  if (!dir) return planStack(stack, { configOverrides });
  const key = createHash("sha256").update(JSON.stringify([stack, Object.entries(configOverrides).sort()])).digest("hex").slice(0, 16);
  const file = path.join(dir, `${stack}-${key}.json`);
  if (!fs.existsSync(file)) {
    const plan = await planStack(stack, { configOverrides });
    // Written whole, then renamed: a suite in another worker never reads half a file.
    fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify({ plan, standIns: standInEntries() }));
    fs.renameSync(`${file}.${process.pid}`, file);
  }
  const { plan, standIns } = JSON.parse(fs.readFileSync(file, "utf8")) as { plan: Plan; standIns: [string, string][] };
  rememberStandIns(standIns);
  return plan;
}

/** Runs a component (or any piece of the program) on the mock runtime and returns what it registered. */
export async function planComponent(build: () => Record<string, unknown> | void): Promise<Plan> {
  return (await planMachinery()).planProgram(() => build() ?? {}, { project: "gitpod-platform", stack: "test" });
}

/**
 * The mock runtime and the plan, loaded on first use: suites that only validate configs (configValues,
 * configProblems) then do not load the Pulumi SDK, which jest loads again for every suite.
 */
function planMachinery(): Promise<typeof import("../scripts/plan/run")> {
  return import("../scripts/plan/run");
}

/**
 * The plan without Gitpod's image mirror and preflight (namespace gitpod-mirror, component GitpodImages), for suites
 * about the installer that expect one Job, one ConfigMap and only Gitpod's Secrets; test/mirror covers the rest.
 */
export function withoutImageMirror(plan: Plan): Plan {
  const mirror = new Set(plan.resources.filter((r) => r.type === "gitpod:kubernetes:GitpodImages").map((r) => r.urn));
  for (const resource of plan.resources) if (mirror.has(resource.parent)) mirror.add(resource.urn);
  return { ...plan, resources: plan.resources.filter((r) => !mirror.has(r.urn)) };
}

