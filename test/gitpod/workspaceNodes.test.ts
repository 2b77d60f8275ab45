/**
 * Workspace nodes get `kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 24.04 turns it on, and Gitpod's
 * workspacekit needs an unprivileged user namespace it can mount in) and are checked for Gitpod's minimum kernel 5.4.
 * The DaemonSet's script runs for real with sh against a stand-in `uname` and a stand-in sysctl file.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Gitpod } from "../../components/kubernetes/gitpod";
import { workspaceNodeScript } from "../../components/kubernetes/workspaceNodes";
import { Plan, planProgram } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType } from "../helpers";
import * as fx from "./fixtures";

/** Runs the script on a "node" with kernel `release` and the sysctl at `knob` (undefined: the file does not exist). */
function runOnNode(release: string, knob: string | undefined) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workspace-node-"));
  fs.writeFileSync(path.join(dir, "uname"), `#!/bin/sh\necho "${release}"\n`, { mode: 0o755 });
  // The loop's sleep ends the run after one round.
  fs.writeFileSync(path.join(dir, "sleep"), "#!/bin/sh\nexit 7\n", { mode: 0o755 });
  const file = path.join(dir, "apparmor_restrict_unprivileged_userns");
  if (knob !== undefined) fs.writeFileSync(file, `${knob}\n`);
  const result = spawnSync("sh", ["-c", workspaceNodeScript()], {
    encoding: "utf8",
    env: { PATH: `${dir}:${process.env.PATH}`, USERNS_KNOB: file, NODE_NAME: "node-1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, knob: fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined };
}

describe("the workspace node script", () => {
  it("turns the Ubuntu 24.04 restriction off", () => {
    const r = runOnNode("6.8.0-1015-gcp", "1");
    expect(r.knob).toBe("0");
    expect(r.stdout).toContain("node node-1: kernel.apparmor_restrict_unprivileged_userns set to 0 (kernel 6.8.0-1015-gcp)");
    expect(r.status).toBe(7);
  });

  it("leaves nodes without the restriction alone (Ubuntu 22.04, COS, Amazon Linux)", () => {
    expect(runOnNode("5.15.0-1057-azure", undefined)).toMatchObject({ knob: undefined, stdout: "", status: 7 });
    expect(runOnNode("6.8.0-1015-gcp", "0")).toMatchObject({ knob: "0", stdout: "", status: 7 });
  });

  it.each(["5.4.0-1100-azure", "5.10.228-219.884.amzn2.x86_64", "6.1.0"])("accepts kernel %s", (release) => {
    expect(runOnNode(release, "1").status).toBe(7);
  });

  it.each(["4.19.0-26-cloud-amd64", "5.3.18-lp152.106-default"])("refuses kernel %s, older than Gitpod's minimum 5.4", (release) => {
    const r = runOnNode(release, "1");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`node node-1: kernel ${release} is older than 5.4, the minimum of Gitpod 2022.11`);
    expect(r.knob).toBe("1");
  });
});

async function planGitpod(cloud: Parameters<typeof fx.gitpodPlatform>[0]): Promise<Plan> {
  const config = fx.stackConfigWith(undefined);
  return planProgram(
    () => {
      const gitpod = new Gitpod("test", { platform: fx.gitpodPlatform(cloud), gitpod: config.gitpod, protect: true });
      return { version: gitpod.installedVersion };
    },
    { project: "gitpod-platform", stack: "test", config: fx.gitpodConfigValues(undefined), secretKeys: [] },
  );
}

describe.each(["gcp", "aws", "azure", "inCluster"] as const)("the workspace node DaemonSet on a %s platform", (cloud) => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planGitpod(cloud);
  });

  it("runs on exactly the workspace pools, privileged, from a pinned image outside Docker Hub", () => {
    const ds = onlyResource(plan, "kubernetes:apps/v1:DaemonSet").inputs as any;
    const pod = ds.spec.template.spec;
    const terms = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    const workspaceLabels = fx
      .gitpodPlatform(cloud)
      .nodePools.filter((pool) => pool.role !== "services")
      .flatMap((pool) => Object.keys(pool.labels));
    expect(terms.map((t: any) => t.matchExpressions[0].key).sort()).toEqual([...new Set(workspaceLabels)].sort());
    for (const term of terms) expect(term.matchExpressions[0]).toMatchObject({ operator: "In", values: ["true"] });
    const container = pod.containers[0];
    expect(container.securityContext.privileged).toBe(true);
    expect(container.image).toMatch(/^(?!docker\.io\/)[a-z0-9.-]+\.[a-z]+\/\S+:(\d+\.\d+\.\d+|.*@sha256:[a-f0-9]{64})$/);
    expect(container.readinessProbe.exec.command.join(" ")).toContain("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
    expect(ds.metadata.namespace).toBe("gitpod");
  });

  it("is what the installer Job waits for, by name", () => {
    const job = resourcesOfType(plan, "kubernetes:batch/v1:Job").find((r) => r.name.endsWith("-installer-install"))!;
    const ds = onlyResource(plan, "kubernetes:apps/v1:DaemonSet");
    expect(job.dependencies).toContain(ds.urn);
    const env = ((job.inputs.spec as any).template.spec.containers[0].env as { name: string; value: string }[]).find((e) => e.name === "WORKSPACE_NODE_DAEMONSET");
    expect(env?.value).toBe((ds.inputs.metadata as any).name);
  });

  it("the installed version is known once the Job has run", () => {
    expect(plan.outputs.version).toBe("2022.11.3");
  });
});
