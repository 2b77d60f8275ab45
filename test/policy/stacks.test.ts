import { declaresVelero, scheduleCovers, veleroScheduleType } from "../../policy/backup";
import { stackContext } from "../../policy/context";
import { evaluate, Finding, fromPlanned } from "../../policy/evaluate";
import { ResourceView } from "../../policy/lib";
import { rules } from "../../policy/rules";
import { committedStacks, readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan } from "../helpers";

/**
 * Advisory findings the committed stacks have on purpose, each with its reason (also in docs/policy.md, "Known
 * exceptions"). The list must match exactly: a new advisory finding fails, and so does one that went away (then the
 * exception is obsolete and comes out of this list and the docs).
 */
const knownAdvisory: { stack: string; rule: string; resource: string; reason: string }[] = [
  {
    stack: "dev",
    rule: "cluster-api-access-restricted",
    resource: "dev-cluster-gke",
    reason: "the development cluster's API is reachable for developers from anywhere; production lists authorized ranges",
  },
];

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

  it("has exactly the documented advisory exceptions", () => {
    const advisory = findings.filter((f) => f.level === "advisory").map((f) => `${f.rule} ${resourceName(f, resources)}`);
    const expected = knownAdvisory.filter((k) => k.stack === stack).map((k) => `${k.rule} ${k.resource}`);
    expect(advisory.sort()).toEqual(expected.sort());
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
