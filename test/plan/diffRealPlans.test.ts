import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diffPlans, renderReportMarkdown } from "../../scripts/plan/diff";
import { planStack } from "../../scripts/plan/run";
import { markStandIns } from "../../scripts/plan/standIns";
import { committedStacks, projectRoot, readStackFile } from "../../scripts/plan/stackFile";
import { childNodeFlags, committedPlan, overriddenPlan } from "../helpers";

// Two real offline plans of the committed prod stack: as committed, and with a bigger services node pool.
describe("diff of two real plans of the prod stack", () => {
  it("names the services node pool's changed autoscaling path when nodePools.services.maxNodes changes", async () => {
    const base = await committedPlan("prod");
    const head = await overriddenPlan("prod", { "gitpod-platform:nodePools": JSON.stringify({ services: { maxNodes: 6 } }) });
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

// Every committed stack: the PR diff is only readable if planning is deterministic, and a one-key config change
// must surface as the one input path it drives, whatever the cloud.
describe.each(committedStacks())("diff of real plans of %s", (stack) => {
  it("names only the pool's max-size path when services.maxNodes changes, so planning is deterministic too", async () => {
    // The global setup planned the committed config in another process; this plan changes one key. Anything else
    // that differs between the two would be non-determinism, and would make every PR diff unreadable.
    const base = await committedPlan(stack);

    // An existing cluster's nodes are not the program's (it rejects nodePools): its one-key change is the backup schedule.
    const existing = readStackFile(stack).values["gitpod-platform:cloud"] === "existing";
    const key = existing ? "gitpod-platform:backup" : "gitpod-platform:nodePools";
    const current = JSON.parse(readStackFile(stack).values[key] ?? "{}");
    const changed = existing ? { ...current, schedule: "0 3 * * *" } : { ...current, services: { ...current.services, maxNodes: 37 } };
    const diff = diffPlans(base, await planStack(stack, { configOverrides: { [key]: JSON.stringify(changed) } }));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.warnings).toEqual([]);
    const changes = diff.changed.flatMap((c) => c.inputs.map((i) => ({ type: c.type, name: c.name, ...i })));
    const expected = existing ? { path: expect.stringMatching(/schedule$/), head: "0 3 * * *" } : { path: expect.stringMatching(/max/i), head: 37 };
    expect(changes).toEqual([expect.objectContaining({ ...expected, kind: "changed", secret: false })]);
    expect(diff.changed.every((c) => c.options.length === 0)).toBe(true);
  }, 60_000);
});

describe("npm run plan -- --diff", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("prints the diff against a base plan dir, writes the markdown, and exits 0", async () => {
    const base = await overriddenPlan("prod", { "gitpod-platform:nodePools": JSON.stringify({ services: { maxNodes: 6 } }) });
    fs.mkdirSync(path.join(tmp, "base", "prod"), { recursive: true });
    // As `npm run plan` writes it: stand-ins marked, like the head the command plans.
    fs.writeFileSync(path.join(tmp, "base", "prod", "resources.json"), JSON.stringify(markStandIns(base)));
    const markdownFile = path.join(tmp, "diff.md");
    // execFileSync throws on a non-zero exit code, with stderr in the error; the plan's warnings stay out of jest's output.
    const stdout = execFileSync(
      process.execPath,
      [...childNodeFlags, "-r", "sucrase/register/ts", "scripts/plan.ts", "--stack", "prod", "--out", path.join(tmp, "head"), "--diff", path.join(tmp, "base"), "--diff-out", markdownFile],
      { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    expect(stdout).toMatch(/~ gcp:container\/nodePool:NodePool prod-cluster-services\n\s+autoscaling\.totalMaxNodeCount: 6 → 4/);
    expect(stdout).toContain("prod: 0 to add, 1 to change, 0 to delete");
    expect(fs.existsSync(path.join(tmp, "head", "resources.json"))).toBe(true);
    const markdown = fs.readFileSync(markdownFile, "utf8");
    expect(markdown).toContain("`autoscaling.totalMaxNodeCount`: 6 → 4");
    expect(markdown).toMatch(/<summary>Diagram of <code>prod<\/code><\/summary>\n\n```mermaid\nflowchart TD\n/);
  }, 60_000);
});
