import { diffPlans } from "../../scripts/plan/diff";
import { Plan, planStack } from "../../scripts/plan/run";
import { readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan } from "../helpers";

const STACK = "azure-prod";

function withBackup(extra: Record<string, unknown>): Record<string, string> {
  const current = JSON.parse(readStackFile(STACK).values["gitpod-platform:backup"] ?? "{}");
  return { "gitpod-platform:backup": JSON.stringify({ ...current, ...extra }) };
}

describe("azure-prod with backup.failover", () => {
  let before: Plan;
  let after: Plan;
  beforeAll(async () => {
    before = await committedPlan(STACK);
    after = await planStack(STACK, { configOverrides: withBackup({ failover: true }) });
  }, 120_000);

  it("debug", () => {
    const diff = diffPlans(before, after);
    console.log(JSON.stringify({ removed: diff.removed, changed: diff.changed.filter((c) => !c.type.startsWith("kubernetes")).map((c) => [c.type, c.name, c.inputs.map((i) => i.path), c.options]) , added: diff.added.filter((a: any) => !String(a.type ?? a).startsWith("kubernetes")).length }, null, 1).slice(0, 6000));
  });
});
