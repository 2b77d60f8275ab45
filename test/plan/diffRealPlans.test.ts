import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diffPlans, isEmptyDiff, renderReportMarkdown } from "../../scripts/plan/diff";
import { planStack } from "../../scripts/plan/run";
import { projectRoot } from "../../scripts/plan/stackFile";

// Two real offline plans of the committed prod stack: as committed, and with a bigger services node pool.
describe("diff of two real plans of the prod stack", () => {
  it("is empty for the same config: the plan is deterministic", async () => {
    const first = await planStack("prod");
    const second = await planStack("prod");
    const diff = diffPlans(first, second);
    expect(diff.changed.map((c) => ({ name: c.name, paths: c.inputs.map((i) => i.path) }))).toEqual([]);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.unchanged).toBe(first.resources.length);
  });

  it("names the services node pool's changed autoscaling path when nodePools.services.maxNodes changes", async () => {
    const base = await planStack("prod");
    const head = await planStack("prod", { configOverrides: { "gitpod-platform:nodePools": JSON.stringify({ services: { maxNodes: 6 } }) } });
    const diff = diffPlans(base, head);

    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.warnings).toEqual([]);
    const pools = diff.changed.filter((c) => c.type === "gcp:container/nodePool:NodePool");
    expect(pools.map((p) => p.name)).toEqual(["prod-cluster-services"]);
    const maxChange = pools[0].inputs.find((i) => /^autoscaling\./.test(i.path) && i.head === 6);
    expect(maxChange).toEqual({ path: "autoscaling.totalMaxNodeCount", kind: "changed", base: 4, head: 6, secret: false });

    const markdown = renderReportMarkdown([diff]);
    expect(markdown).toContain("prod-cluster-services");
    expect(markdown).toContain("`autoscaling.totalMaxNodeCount`: 4 → 6");
  });
});

describe("npm run plan -- --diff", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("prints the diff against a base plan dir, writes the markdown, and exits 0", async () => {
    const base = await planStack("prod", { configOverrides: { "gitpod-platform:nodePools": JSON.stringify({ services: { maxNodes: 6 } }) } });
    fs.mkdirSync(path.join(tmp, "base", "prod"), { recursive: true });
    fs.writeFileSync(path.join(tmp, "base", "prod", "resources.json"), JSON.stringify(base));
    const markdownFile = path.join(tmp, "diff.md");
    // execFileSync throws on a non-zero exit code.
    const stdout = execFileSync(
      process.execPath,
      [require.resolve("ts-node/dist/bin"), "scripts/plan.ts", "--stack", "prod", "--out", path.join(tmp, "head"), "--diff", path.join(tmp, "base"), "--diff-out", markdownFile],
      { cwd: projectRoot, encoding: "utf8" },
    );
    expect(stdout).toMatch(/~ gcp:container\/nodePool:NodePool prod-cluster-services\n\s+autoscaling\.totalMaxNodeCount: 6 → 4/);
    expect(fs.existsSync(path.join(tmp, "head", "resources.json"))).toBe(true);
    expect(fs.readFileSync(markdownFile, "utf8")).toContain("`autoscaling.totalMaxNodeCount`: 6 → 4");
  }, 60_000);
});
