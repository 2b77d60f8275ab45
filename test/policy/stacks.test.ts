import { declaresVelero, scheduleCovers, veleroScheduleType } from "../../policy/backup";
import { stackContext } from "../../policy/context";
import { evaluate, Finding, fromPlanned } from "../../policy/evaluate";
import { ResourceView } from "../../policy/lib";
import { rules } from "../../policy/rules";
import { committedStacks, readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan } from "../helpers";

/**
 * Advisory rules a development stack may break on purpose, each with its reason (also in docs/policy.md, "Known
 * exceptions"). By rule and environment, not by stack: adding a valid stack file needs no edit here. A production
 * stack breaks no rule at all.
 */
const advisoryAcceptedInDevelopment: Record<string, string> = {
  "cluster-api-access-restricted": "a development cluster's API may be reachable for developers from anywhere; production lists authorized ranges",
};

/** Resource types of all committed stacks, gathered as each is planned. */
const typesSeen = new Set<string>();

function resourceName(finding: Finding, resources: ResourceView[]): string {
  return resources.find((r) => r.urn === finding.urn)?.name ?? "(stack)";
}

describe.each(committedStacks())("policy pack on committed stack %s", (stack) => {
  let resources: ResourceView[];
  let findings: Finding[];
  beforeAll(async () => {
    const plan = await committedPlan(stack);
    resources = plan.resources.map(fromPlanned);
    for (const r of resources) typesSeen.add(r.type);
    findings = evaluate(rules, resources, stackContext(stack, readStackFile(stack).values));
  });

  it("violates no mandatory rule", () => {
    expect(findings.filter((f) => f.level === "mandatory").map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
  });

  it("has no advisory finding beyond the documented development exceptions", () => {
    const production = stackContext(stack, readStackFile(stack).values).environment !== "development";
    const unexpected = findings
      .filter((f) => f.level === "advisory" && (production || !(f.rule in advisoryAcceptedInDevelopment)))
      .map((f) => `${f.rule} ${resourceName(f, resources)}: ${f.message}`);
    expect(unexpected).toEqual([]);
  });


  it("deploys Velero with a schedule that backs up the gitpod namespace", () => {
    expect(declaresVelero(resources)).toBe(true);
    const schedules = resources.filter((r) => r.type === veleroScheduleType);
    expect(schedules.some((s) => scheduleCovers(s, "gitpod"))).toBe(true);
  });
});

describe("policy pack over all committed stacks", () => {
  it("applies every resource rule to some resource of the committed stacks", () => {
    // Guards against rules silently matching nothing: a misspelt or renamed type token would make every stack pass.
    expect(typesSeen.size).toBeGreaterThan(50);
    expect(rules.filter((rule) => rule.kind === "resource" && !rule.types.some((t) => typesSeen.has(t))).map((rule) => rule.name)).toEqual([]);
  });
});
