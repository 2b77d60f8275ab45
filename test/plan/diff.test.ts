import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  basePlanFor,
  diffPlans,
  diffValues,
  emptyPlan,
  isEmptyDiff,
  lineDiff,
  PlanDiff,
  renderDiffMarkdown,
  renderDiffText,
  renderReportMarkdown,
} from "../../scripts/plan/diff";
import { Plan, PlannedResource } from "../../scripts/plan/run";

// Hand-made plans: a stack, a component and a few resources under it, in the resources.json format.
const stackUrn = "urn:pulumi:prod::gitpod-platform::pulumi:pulumi:Stack::gitpod-platform-prod";

function urnOf(type: string, name: string, parentType = "gitpod:gcp:Platform"): string {
  return `urn:pulumi:prod::gitpod-platform::${parentType}$${type}::${name}`;
}

function resource(type: string, name: string, inputs: Record<string, unknown>, options: Partial<PlannedResource["options"]> = {}, parentType?: string): PlannedResource {
  return {
    urn: urnOf(type, name, parentType),
    type,
    name,
    parent: stackUrn,
    custom: true,
    provider: "",
    inputs,
    dependencies: [],
    options: {
      protect: false,
      retainOnDelete: false,
      deleteBeforeReplace: false,
      ignoreChanges: [],
      replaceOnChanges: [],
      additionalSecretOutputs: [],
      deletedWith: "",
      ...options,
    },
  };
}

const pool = (maxNodes: number) =>
  resource("gcp:container/nodePool:NodePool", "prod-cluster-services", {
    autoscaling: { totalMinNodeCount: 1, totalMaxNodeCount: maxNodes },
    nodeConfig: { labels: { "gitpod.io/workload_services": "true" }, machineType: "n2d-standard-4" },
  });
const database = (protect = true, inputs: Record<string, unknown> = { databaseVersion: "MYSQL_5_7" }) =>
  resource("gcp:sql/databaseInstance:DatabaseInstance", "prod-database-mysql", inputs, { protect });
const user = (password: unknown) => resource("gcp:sql/user:User", "prod-database-user", { name: "gitpod", password });

function plan(...resources: PlannedResource[]): Plan {
  return { project: "gitpod-platform", stack: "prod", resources, outputs: {} };
}

describe("diffPlans on hand-made plans", () => {
  it("finds nothing between identical plans", () => {
    const diff = diffPlans(plan(pool(4), database()), plan(pool(4), database()));
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.unchanged).toBe(2);
    expect(renderDiffText(diff)).toContain("no changes");
  });

  it("lists added and removed resources by URN", () => {
    const diff = diffPlans(plan(pool(4), user("a")), plan(pool(4), database(false)));
    expect(diff.added.map((r) => r.urn)).toEqual([database().urn]);
    expect(diff.removed.map((r) => r.urn)).toEqual([user("a").urn]);
    expect(diff.changed).toEqual([]);
    expect(diff.warnings).toEqual([]);
    const text = renderDiffText(diff);
    expect(text).toContain("+ gcp:sql/databaseInstance:DatabaseInstance prod-database-mysql");
    expect(text).toContain("- gcp:sql/user:User prod-database-user");
  });

  it("names the changed nested input path with both values", () => {
    const diff = diffPlans(plan(pool(4)), plan(pool(6)));
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0].name).toBe("prod-cluster-services");
    expect(diff.changed[0].inputs).toEqual([{ path: "autoscaling.totalMaxNodeCount", kind: "changed", base: 4, head: 6, secret: false }]);
    expect(renderDiffMarkdown(diff)).toContain("`autoscaling.totalMaxNodeCount`: 4 → 6");
  });

  it("quotes keys that are not identifiers and matches named list items by name", () => {
    const base = { metadata: { labels: { "app.kubernetes.io/name": "a" } }, containers: [{ name: "app", image: "x:1" }, { name: "proxy", image: "p:1" }] };
    const head = { metadata: { labels: { "app.kubernetes.io/name": "b" } }, containers: [{ name: "proxy", image: "p:1" }, { name: "app", image: "x:2" }] };
    expect(diffValues(base, head).map((c) => c.path)).toEqual(['metadata.labels["app.kubernetes.io/name"]', "containers[name=app].image"]);
    expect(diffValues({ args: ["a", "b"] }, { args: ["a", "c", "d"] })).toEqual([
      { path: "args[1]", kind: "changed", base: "b", head: "c", secret: false },
      { path: "args[2]", kind: "added", head: "d", secret: false },
    ]);
    expect(diffValues({ a: 1, gone: true }, { a: 1 })).toEqual([{ path: "gone", kind: "removed", base: true, secret: false }]);
  });

  it("reports a protect flip as an option change, and warns when protection is turned off", () => {
    const off = diffPlans(plan(database(true)), plan(database(false)));
    expect(off.changed[0].options).toEqual([{ path: "protect", kind: "changed", base: true, head: false, secret: false }]);
    expect(off.warnings).toEqual([expect.objectContaining({ reason: "unprotected", name: "prod-database-mysql" })]);
    expect(renderDiffMarkdown(off)).toMatch(/\[!CAUTION\][\s\S]*unprotected[\s\S]*prod-database-mysql/);

    const on = diffPlans(plan(database(false)), plan(database(true)));
    expect(on.changed[0].options.map((o) => o.path)).toEqual(["protect"]);
    expect(on.warnings).toEqual([]);
  });

  it("warns prominently when a protected resource is removed", () => {
    const diff = diffPlans(plan(pool(4), database(true)), plan(pool(4)));
    expect(diff.removed.map((r) => r.name)).toEqual(["prod-database-mysql"]);
    expect(diff.warnings).toEqual([expect.objectContaining({ reason: "removed", urn: database().urn })]);
    const markdown = renderReportMarkdown([diff]);
    const caution = markdown.indexOf("[!CAUTION]");
    expect(caution).toBeGreaterThan(-1);
    expect(caution).toBeLessThan(markdown.indexOf("To delete"));
    expect(renderDiffText(diff)).toMatch(/!! removed: gcp:sql\/databaseInstance:DatabaseInstance prod-database-mysql/);
  });

  it("pairs a resource whose URN changed (new parent) as moved, and warns when it is protected", () => {
    const moved = { ...database(true), urn: urnOf("gcp:sql/databaseInstance:DatabaseInstance", "prod-database-mysql", "gitpod:gcp:Database") };
    const diff = diffPlans(plan(database(true)), plan(moved));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.moved).toEqual([expect.objectContaining({ baseUrn: database().urn, headUrn: moved.urn, protect: true, inputs: [] })]);
    const movedAndChanged = { ...moved, inputs: { databaseVersion: "MYSQL_8_0" } };
    const both = diffPlans(plan(database(true)), plan(movedAndChanged));
    expect(both.moved[0].inputs).toEqual([{ path: "databaseVersion", kind: "changed", base: "MYSQL_5_7", head: "MYSQL_8_0", secret: false }]);
    expect(renderDiffMarkdown(both)).toContain('`databaseVersion`: "MYSQL_5_7" → "MYSQL_8_0"');
    expect(diff.warnings.map((w) => w.reason)).toEqual(["moved"]);
  });

  it("warns when a protected resource changes an input listed in replaceOnChanges, or its provider", () => {
    const base = { ...database(true), options: { ...database(true).options, replaceOnChanges: ["settings"] } };
    const head = { ...database(true, { databaseVersion: "MYSQL_5_7", settings: { tier: "big" } }), options: base.options, provider: "urn:pulumi:prod::gitpod-platform::pulumi:providers:gcp::other" };
    const diff = diffPlans(plan(base), plan(head));
    expect(diff.warnings.map((w) => w.reason).sort()).toEqual(["provider-changed", "replace-on-changes"]);
    expect(diff.changed[0].options.map((o) => o.path)).toEqual(["provider"]);
  });

  it("warns when a protected resource changes an input that names or places it (likely a replacement)", () => {
    const renamed = diffPlans(plan(database(true, { name: "a", region: "europe-west1", settings: { tier: "x" } })), plan(database(true, { name: "b", region: "europe-west1", settings: { tier: "y" } })));
    expect(renamed.warnings).toEqual([expect.objectContaining({ reason: "replace-likely", detail: expect.stringContaining("`name`") })]);
    expect(renamed.warnings[0].detail).not.toContain("settings");
    // Not protected, or only a setting changed: no warning.
    expect(diffPlans(plan(database(false, { name: "a" })), plan(database(false, { name: "b" }))).warnings).toEqual([]);
    expect(diffPlans(plan(database(true, { settings: { tier: "x" } })), plan(database(true, { settings: { tier: "y" } }))).warnings).toEqual([]);
  });

  it("reports a change to or from a secret without either value", () => {
    const madeSecret = diffPlans(plan(user("hunter2-plain")), plan(user("[secret]")));
    expect(madeSecret.changed[0].inputs).toEqual([{ path: "password", kind: "changed", secret: true }]);
    const unSecret = diffPlans(plan(user("[secret]")), plan(user("now-visible-value")));
    expect(unSecret.changed[0].inputs).toEqual([{ path: "password", kind: "changed", secret: true }]);
    for (const diff of [madeSecret, unSecret]) {
      for (const text of [renderDiffText(diff), renderReportMarkdown([diff])]) {
        expect(text).toContain("changed (secret, values hidden)");
        expect(text).not.toContain("hunter2-plain");
        expect(text).not.toContain("now-visible-value");
      }
    }
    // A secret inside a structure that changed shape is hidden too.
    const nested = diffValues({ auth: { token: "[secret]" } }, { auth: "plain-token" });
    expect(nested).toEqual([{ path: "auth", kind: "changed", secret: true }]);
    // Two secrets compare equal: offline, their values are unknown.
    expect(isEmptyDiff(diffPlans(plan(user("[secret]")), plan(user("[secret]"))))).toBe(true);
  });

  it("shows a changed multi-line string as a line diff", () => {
    const config = (domain: string) => resource("kubernetes:core/v1:ConfigMap", "gitpod-config", { data: { "config.yaml": `kind: Full\ndomain: ${domain}\nmetadata:\n  region: eu\n` } });
    expect(lineDiff("a\nb\nc", "a\nB\nc")).toEqual(["- b", "+ B"]);
    const markdown = renderDiffMarkdown(diffPlans(plan(config("a.example.com")), plan(config("b.example.com"))));
    expect(markdown).toContain('`data["config.yaml"]`: text changed (+1 -1 lines)');
    expect(markdown).toMatch(/```diff\n\s*- domain: a\.example\.com\n\s*\+ domain: b\.example\.com\n\s*```/);
  });

  it("diffs a new stack against an empty base, and keeps the comment under the size limit", () => {
    const many = Array.from({ length: 400 }, (_, i) => resource("gcp:projects/service:Service", `prod-apis-${i}`, { service: `s${i}.googleapis.com` }));
    const diff: PlanDiff = diffPlans(emptyPlan("gitpod-platform", "prod"), plan(...many));
    expect(diff.added).toHaveLength(400);
    const changedMany = diffPlans(plan(...many), plan(...many.map((r) => ({ ...r, inputs: { service: `${String(r.inputs.service)}-v2`, extra: "x".repeat(200) } }))));
    const markdown = renderReportMarkdown([diff, changedMany], { maxLength: 20_000 });
    expect(markdown.length).toBeLessThanOrEqual(20_000);
    expect(markdown).toContain("| `prod` | 400 | 0 | 0 | 0 | 0 |");
    expect(markdown).toContain("| `prod` | 0 | 400 | 0 | 0 | 0 |");
    expect(markdown).toContain("<details><summary><b>To add (400)</b></summary>");
  });
});

describe("basePlanFor", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (file: string, p: Plan) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(p));
  };

  it("reads a plan dir, a dir of plan dirs by stack, or gives an empty base for a stack the base lacks", () => {
    write(path.join(tmp, "single", "resources.json"), plan(pool(4)));
    write(path.join(tmp, "all", "prod", "resources.json"), plan(pool(5)));
    expect(basePlanFor(path.join(tmp, "single"), "prod", "gitpod-platform").resources).toHaveLength(1);
    expect(basePlanFor(path.join(tmp, "all"), "prod", "gitpod-platform").resources[0].inputs).toMatchObject({ autoscaling: { totalMaxNodeCount: 5 } });
    expect(basePlanFor(path.join(tmp, "all"), "dev", "gitpod-platform")).toEqual(emptyPlan("gitpod-platform", "dev"));
    expect(() => basePlanFor(path.join(tmp, "missing"), "prod", "gitpod-platform")).toThrow(/no such plan directory/);
  });
});
