import * as fs from "fs";
import * as path from "path";
import { stackContext } from "../../policy/context";
import { evaluate, fromPlanned } from "../../policy/evaluate";
import { ResourceView, StackContext } from "../../policy/lib";
import { rules } from "../../policy/rules";
import { projectRoot, readStackFile } from "../../scripts/plan/stackFile";
import { BadFixture, badFixtures, named } from "./fixtures";
import { committedPlan } from "../helpers";

const baseStacks = ["prod", "aws-prod", "azure-prod"] as const;
const builtContext: StackContext = { stack: "fixture", environment: "production", cloud: "gcp" };

const plans: Record<string, { resources: ResourceView[]; context: StackContext }> = {};
beforeAll(async () => {
  for (const stack of baseStacks) {
    const plan = await committedPlan(stack);
    plans[stack] = { resources: plan.resources.map(fromPlanned), context: stackContext(stack, readStackFile(stack).values) };
  }
}, 120_000);

function ruleNamed(name: string) {
  const rule = rules.find((r) => r.name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
}

function baseOf(fixture: BadFixture): { resources: ResourceView[]; context: StackContext } {
  const base = fixture.stack ? plans[fixture.stack] : { resources: fixture.base?.() ?? [], context: builtContext };
  return { resources: JSON.parse(JSON.stringify(base.resources)), context: { ...base.context, ...fixture.context } };
}

function naming(messages: string[], fixture: BadFixture): string[] {
  return messages.filter((m) => m.includes(fixture.resource) && m.includes(fixture.setting));
}

describe("bad fixtures", () => {
  it.each(badFixtures)("$rule rejects: $title", (fixture) => {
    const rule = ruleNamed(fixture.rule);
    const { resources, context } = baseOf(fixture);
    const before = evaluate([rule], resources, context).map((f) => f.message);
    expect(naming(before, fixture)).toEqual([]);

    const changed = fixture.mutate(resources) ?? resources;
    const findings = evaluate([rule], changed, context);
    expect(findings.every((f) => f.level === rule.level)).toBe(true);
    expect(naming(findings.map((f) => f.message), fixture)).not.toEqual([]);
  });
});

describe("the rule set", () => {
  it("has at least 20 rules with unique kebab-case names, both levels, and every family", () => {
    expect(rules.length).toBeGreaterThanOrEqual(20);
    const names = rules.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(rules.map((r) => r.level))).toEqual(new Set(["mandatory", "advisory"]));
    expect(new Set(rules.map((r) => r.family))).toEqual(new Set(["database", "storage", "cluster", "identity", "backup", "kubernetes", "protection"]));
  });

  it("has a bad fixture for every rule, and no fixture for a rule that does not exist", () => {
    const covered = new Set(badFixtures.map((f) => f.rule));
    expect(rules.map((r) => r.name).filter((name) => !covered.has(name))).toEqual([]);
    expect([...covered].filter((name) => !rules.some((r) => r.name === name))).toEqual([]);
  });

  it("documents every rule with its level in docs/policy.md", () => {
    const docs = fs.readFileSync(path.join(projectRoot, "docs", "policy.md"), "utf8");
    const rows = new Map([...docs.matchAll(/^\| `([a-z0-9-]+)` \| (mandatory|advisory) \|/gm)].map((m) => [m[1], m[2]]));
    expect(rules.filter((r) => rows.get(r.name) !== r.level).map((r) => `${r.name} (${r.level})`)).toEqual([]);
    expect([...rows.keys()].filter((name) => !rules.some((r) => r.name === name))).toEqual([]);
    expect(/(\d+) rules on security and recoverability/.exec(docs)?.[1]).toBe(String(rules.length));
  });
});

describe("node pools", () => {
  it("counts a pool once when the deployed cluster's outputs also list the pools managed as resources of their own", () => {
    const resources: ResourceView[] = JSON.parse(JSON.stringify(plans["azure-prod"].resources));
    const aks = named(resources, "azure-prod-cluster-aks");
    const separate = resources.filter((r) => r.type === "azure-native:containerservice:AgentPool");
    expect(separate).toHaveLength(2);
    // What AKS returns after the first update: every pool in agentPoolProfiles.
    (aks.props.agentPoolProfiles as unknown[]).push(...separate.map((pool) => ({ name: pool.props.agentPoolName, nodeLabels: pool.props.nodeLabels })));
    expect(evaluate([ruleNamed("node-pools-gitpod-labels")], resources, plans["azure-prod"].context)).toEqual([]);
  });
});

describe("stack context and config", () => {
  it("production-only rules stay quiet in a development stack, and an unknown environment counts as production", () => {
    const resources: ResourceView[] = JSON.parse(JSON.stringify(plans.prod.resources));
    named(resources, "prod-database-mysql").protect = false;
    const rule = ruleNamed("data-resources-protected");
    expect(evaluate([rule], resources, { ...plans.prod.context, environment: "development" })).toEqual([]);
    expect(evaluate([rule], resources, { ...plans.prod.context, environment: undefined })).toHaveLength(1);
  });

  it("exempts clusters outside the three clouds from the workload-identity rules: they have no workload identity", () => {
    const secret: ResourceView = {
      urn: "urn:pulumi:x::gitpod-platform::kubernetes:core/v1:Secret::velero-credentials",
      type: "kubernetes:core/v1:Secret",
      name: "velero-credentials",
      props: { metadata: { name: "velero-cloud-credentials", namespace: "velero" }, stringData: { cloud: "[default]\naws_access_key_id=AKIAABCDEFGHIJKLMNOP\naws_secret_access_key=x\n" } },
      protect: false,
      dependencies: [],
    };
    const rule = ruleNamed("no-credentials-in-cluster-tools");
    expect(evaluate([rule], [secret], { stack: "x", environment: "production", cloud: "aws" })).toHaveLength(1);
    expect(evaluate([rule], [secret], { stack: "x", environment: "production", cloud: "existing" })).toEqual([]);
  });

  it("reads environment and cloud from the stack config", () => {
    expect(stackContext("aws-prod", readStackFile("aws-prod").values)).toEqual({ stack: "aws-prod", environment: "production", cloud: "aws", failover: false });
    expect(stackContext("x", { "gitpod-platform:environment": "staging" })).toEqual({ stack: "x", environment: undefined, cloud: undefined, failover: false });
    // `pulumi config set --path backup.failover true` stores the section as JSON with the flag as a string or a boolean.
    expect(stackContext("x", { "gitpod-platform:backup": '{"failover":"true"}' }).failover).toBe(true);
    expect(stackContext("x", { "gitpod-platform:backup": '{"failover":true}' }).failover).toBe(true);
  });

  it("applies policy config over the defaults: a 30-day minimum rejects prod's 14 retained backups", () => {
    const rule = ruleNamed("database-backups");
    const findings = evaluate([rule], plans.prod.resources, plans.prod.context, { "database-backups": { minimumRetentionDays: 30 } });
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining("prod-database-mysql (gcp:sql/databaseInstance:DatabaseInstance): settings.backupConfiguration.backupRetentionSettings.retainedBackups is 14")]);
  });

  it("holds a development stack to the development minimum only", () => {
    const resources: ResourceView[] = JSON.parse(JSON.stringify(plans.prod.resources));
    const mysql = named(resources, "prod-database-mysql");
    ((mysql.props.settings as any).backupConfiguration.backupRetentionSettings as any).retainedBackups = 3;
    const rule = ruleNamed("database-backups");
    expect(evaluate([rule], resources, { ...plans.prod.context, environment: "development" })).toEqual([]);
    expect(evaluate([rule], resources, { ...plans.prod.context, environment: "development" }, { "database-backups": { minimumRetentionDaysDevelopment: 5 } })).toHaveLength(1);
  });
});
