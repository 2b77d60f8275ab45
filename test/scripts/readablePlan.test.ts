import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlan } from "../../scripts/plan/runPlan";
import { planCounts } from "../../scripts/plan/counts";
import { renderMermaid } from "../../scripts/plan/diagram";
import { diffPlans, renderDiffText } from "../../scripts/plan/diff";
import { renderTree, writePlan } from "../../scripts/plan/output";
import { Plan } from "../../scripts/plan/run";
import { markStandIns } from "../../scripts/plan/standIns";
import { committedStacks, projectRoot } from "../../scripts/plan/stackFile";
import { committedPlan } from "../helpers";

const poolTypes = ["gcp:container/nodePool:NodePool", "aws:eks/nodeGroup:NodeGroup", "azure-native:containerservice:AgentPool"];

describe.each(committedStacks())("the plan of %s reads as it is", (stack) => {
  let plan: Plan;
  let tree: string;
  beforeAll(async () => {
    plan = markStandIns(await committedPlan(stack));
    tree = renderTree(plan);
  });

  it("shows the values the offline run invents as stand-ins, never as real-looking values", () => {
    const text = `${tree}\n${JSON.stringify(plan)}`;
    // The fakes' well-formed inventions: the documentation AWS account, a GCP project number, GUIDs, AMI ids, name servers.
    expect(text).not.toMatch(/123456789012|offline-project|\bami-0[0-9a-f]{16}\b|googledomains\.com|awsdns-|azure-dns\./);
    if (plan.resources.some((r) => r.type.startsWith("azure-native:"))) expect(text).toContain("<computed: GUID of tenant>");
    if (plan.resources.some((r) => r.type.startsWith("aws:"))) expect(text).toContain("<computed: AWS account id>");
    if (plan.resources.some((r) => r.type.startsWith("gcp:"))) expect(text).toContain("<computed: GCP project id>");
  });

  it("shows every node pool with machine type, zones and node counts, and the cluster's zones; lines fit 160 columns", () => {
    const pools = plan.resources.filter((r) => poolTypes.includes(r.type));
    expect(tree.match(/\* pool: \S+, zones \S.*, nodes \d+\.\.\d+/g) ?? []).toHaveLength(pools.length);
    const clusters = plan.resources.filter((r) => /container\/cluster:Cluster|eks\/cluster:Cluster|ManagedCluster$/.test(r.type));
    expect(tree.match(/\* zones: /g) ?? []).toHaveLength(clusters.length);
    if (plan.resources.some((r) => r.type === "azure-native:containerservice:ManagedCluster")) {
      expect(tree).toMatch(/\* system pool services: Standard_\w+, zones 1,2,3 of \w+, nodes \d+\.\.\d+/);
    }
    expect(tree.split("\n").filter((line) => line.length > 160)).toEqual([]);
    expect(renderTree(plan, { width: 100 }).split("\n").filter((line) => line.length > 100)).toEqual([]);
  });

  it("gives one resource count, the same in the tree, resources.json and the diff, components counted apart", () => {
    const counts = planCounts(plan);
    expect(counts.resources + counts.components + 1).toBe(plan.resources.length);
    expect(tree.split("\n")[0]).toBe(`gitpod-platform / ${stack}: ${counts.resources} resources, ${counts.components} components, ${counts.protected} protected`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `readable-${stack}-`));
    writePlan(plan, dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8")).counts).toEqual(counts);
    expect(fs.readFileSync(path.join(dir, "diagram.md"), "utf8")).toContain(renderMermaid(plan));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(renderDiffText(diffPlans(plan, plan))).toContain(`no changes (${counts.resources} resources, ${counts.components} components)`);
  });

  it("draws the components and their dependencies as a mermaid diagram", () => {
    const diagram = renderMermaid(plan);
    expect(diagram).toMatch(/^```mermaid\nflowchart TD\n/);
    const layers = new Set(plan.resources.filter((r) => /Platform$|KubernetesLayer$/.test(r.type)).map((r) => r.urn));
    const components = plan.resources.filter((r) => !r.custom && layers.has(r.parent));
    expect(components.length).toBeGreaterThan(3);
    for (const c of components) expect(diagram).toContain(`<br/>${c.name}"]`);
    // The Kubernetes layer is built on the cluster (through its provider): an arrow leads there.
    expect(diagram).toMatch(/ --> /);
  });
});

test("the GCP diagram orders network, cluster and pools, database, then the Kubernetes layer", async () => {
  const diagram = renderMermaid(await committedPlan("prod"));
  const id = (name: string) => new RegExp(`(n\\d+)\\["\\w+<br/>${name}"\\]`).exec(diagram)?.[1];
  expect(diagram).toContain(`${id("prod-network")} --> ${id("prod-cluster")}`);
  expect(diagram).toContain(`${id("prod-cluster")} --> ${id("prod-cluster-services")}`);
  expect(diagram).toContain(`${id("prod-database")} --> ${id("prod-gitpod")}`);
});

describe("npm run plan -- --stack all", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-all-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("plans every stack, reports each failure under its name, and exits 1 at the end", async () => {
    const root = path.join(tmp, "root");
    fs.mkdirSync(root);
    for (const file of ["Pulumi.yaml", "Pulumi.k3s.yaml"]) fs.copyFileSync(path.join(projectRoot, file), path.join(root, file));
    fs.writeFileSync(path.join(root, "Pulumi.a-broken.yaml"), "config:\n  gitpod-platform:cloud: [gcp\n");
    fs.writeFileSync(path.join(root, "Pulumi.b-invalid.yaml"), "config:\n  gitpod-platform:cloud: moon\n");
    const errors: string[] = [];
    const code = await runPlan({ stack: "all", out: path.join(tmp, "out") }, root, { log: () => undefined, error: (text) => errors.push(text) });
    expect(code).toBe(1);
    expect(errors.join("\n")).toMatch(/a-broken: FAILED\nPulumi\.a-broken\.yaml:\d: not valid YAML at key gitpod-platform:cloud/);
    expect(errors.join("\n")).toMatch(/b-invalid: FAILED\nInvalid stack config[^]*gitpod-platform:cloud = "moon"/);
    expect(errors.pop()).toBe("\n2 of 3 stacks failed to plan: a-broken, b-invalid");
    expect(fs.existsSync(path.join(tmp, "out", "k3s", "resources.json"))).toBe(true);
  });
});

describe("--diff", () => {
  it("marks a change of a force-new input as a replacement, also on an unprotected resource", async () => {
    const base = await committedPlan("dev");
    const head: Plan = JSON.parse(JSON.stringify(base));
    const pool = head.resources.find((r) => r.type === "gcp:container/nodePool:NodePool" && !r.options.protect)!;
    pool.inputs.location = "europe-west4";
    (pool.inputs.autoscaling as Record<string, unknown>).totalMaxNodeCount = 9;
    const diff = diffPlans(base, head);
    expect(diff.changed.map((c) => [c.name, c.replace])).toEqual([[pool.name, ["location"]]]);
    expect(renderDiffText(diff)).toContain(`  +- gcp:container/nodePool:NodePool ${pool.name}  (replaced: location force a new resource)`);
    expect(renderDiffText(diff).split("\n")[0]).toMatch(/: 0 to add, 0 to change, 0 to delete, 1 to replace/);
  });

  it("compares two different stacks by role, not by the names that carry the stack", async () => {
    const diff = diffPlans(await committedPlan("prod"), await committedPlan("dev"));
    // The same program on the same cloud: every pool, the cluster and the database are matched to their role.
    expect(diff.added.filter((r) => r.custom)).toEqual([]);
    expect(diff.moved).toEqual([]);
    // What only production has: the database replica and the alerts.
    expect(diff.removed.map((r) => r.name).sort()).toEqual(["dev-alerts", "dev-alerts-replica-lag", "dev-alerts-scale-up", "dev-backup-mysql-replica"]);
    expect(diff.baseStack).toBe("prod");
    expect(renderDiffText(diff).split("\n")[0]).toMatch(/^gitpod-platform \/ prod -> dev: 0 to add/);
  });
});
