import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fakeSecretMarker } from "../../scripts/plan/fakes/random";
import { kubernetesObjects, renderTree, writePlan } from "../../scripts/plan/output";
import { Plan } from "../../scripts/plan/run";
import { committedStacks } from "../../scripts/plan/stackFile";
import { committedPlan } from "../helpers";

/** Every committed stack is planned the way `npm run plan` does it, and checked for what must hold everywhere. */
describe.each(committedStacks())("committed stack %s", (stack) => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await committedPlan(stack);
  });

  it("plans one cluster, three labelled node pools' worth of Gitpod labels and a DNS zone's name servers", () => {
    expect(plan.resources.length).toBeGreaterThan(20);
    expect(plan.outputs.nodePools).toHaveLength(3);
    expect(Array.isArray(plan.outputs.nameServers)).toBe(true);
  });

  it("never shows a secret: generated passwords, keys and encrypted config stay [secret]", () => {
    const text = JSON.stringify(plan);
    expect(text).not.toContain(fakeSecretMarker);
    expect(text).not.toContain("offline-placeholder-for-");
    expect(plan.outputs.kubeconfig).toBe("[secret]");
  });

  it("writes resources.json, one manifest per Kubernetes object, and a readable tree", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plan-${stack}-`));
    const files = writePlan(plan, dir);
    const written = JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8"));
    expect(written).toMatchObject({ project: "gitpod-platform", stack });
    expect(written.resources[0]).toEqual(
      expect.objectContaining({ urn: expect.any(String), type: expect.any(String), parent: expect.any(String), options: expect.objectContaining({ protect: expect.any(Boolean) }) }),
    );
    expect(files.filter((f) => f.startsWith("manifests/"))).toHaveLength(kubernetesObjects(plan).length);
    expect(renderTree(plan)).toContain(`gitpod-platform / ${stack}:`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("registers no URN twice", () => {
    const urns = plan.resources.map((r) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
  });
});
