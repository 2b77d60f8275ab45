/**
 * The installer Job's script, run for real with bash against stand-ins for the installer, kubectl and helm that
 * record their arguments and fail on request: the steps run in order, a failure stops the install with a message
 * that says what to check, and Helm gets the rendered manifests with Gitpod's own template text escaped.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installScript } from "../../components/kubernetes/gitpod/installer";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
  work: string;
}

/** What the stand-in `installer validate cluster` writes to stderr before failing (the installer's JSON report). */
function clusterReport(messages: string[]): string {
  return JSON.stringify({
    status: "ERROR",
    items: [
      { name: "affinity labels", description: "", status: messages.length ? "ERROR" : "OK", errors: messages.map((message) => ({ message, type: "ERROR" })) },
      { name: "cert-manager installed", description: "", status: "WARNING", errors: [{ message: "no cluster issuers configured", type: "WARNING" }] },
    ],
  });
}

function run(failing: string[] = [], env: Record<string, string> = {}): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitpod-install-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  const log = path.join(dir, "calls.log");
  // Each stand-in logs "<name> <args>" and exits 1 when its "<name> <first arg>" is listed in FAIL.
  const stub = (name: string, extra = "") =>
    fs.writeFileSync(
      path.join(bin, name),
      `#!/bin/bash\necho "${name} $*" >> "${log}"\ncase " $FAIL " in *" ${name}:$1 "*) echo "${name} $1 failed" >&2; exit 1;; esac\n${extra}\n`,
      { mode: 0o755 },
    );
  stub("kubectl");
  stub("helm");
  stub(
    "installer",
    `if [ "$1 $2" = "validate cluster" ] && [ -n "$CLUSTER_REPORT" ]; then echo "$CLUSTER_REPORT" >&2; exit 1; fi\nif [ "$1" = render ]; then printf 'apiVersion: v1\\nkind: ConfigMap\\ndata:\\n  tpl: "{{ .Values.x }}"\\n---\\napiVersion: v1\\nkind: Service\\n'; fi\nif [ "$1" = version ]; then echo "version: release-2022.11.3"; fi`,
  );
  const config = path.join(dir, "gitpod.config.yaml");
  fs.writeFileSync(config, "apiVersion: v1\n");
  const script = path.join(dir, "install.sh");
  fs.writeFileSync(script, installScript());
  const work = path.join(dir, "work");
  const result = spawnSync("bash", [script], {
    encoding: "utf8",
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      INSTALLER: path.join(bin, "installer"),
      CONFIG: config,
      WORK: work,
      NAMESPACE: "gitpod",
      DOMAIN: "gitpod.example.com",
      GITPOD_VERSION: "2022.11.3",
      CERTIFICATE_TIMEOUT: "15m",
      HELM_TIMEOUT: "25m",
      KUBECONFIG: path.join(dir, "kubeconfig"),
      FAIL: failing.join(" "),
      ...env,
    },
  });
  const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, work };
}

describe("the installer Job's script", () => {
  it("validates, waits for the certificate, validates the cluster, renders and applies with helm --atomic --wait", () => {
    const r = run();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const steps = r.calls.map((c) => c.split(" ").slice(0, 2).join(" "));
    expect(steps).toEqual(["installer version", "installer validate", "kubectl wait", "installer validate", "installer render", "helm upgrade"]);
    expect(r.calls[2]).toContain("--for=condition=Ready certificate/https-certificates --timeout=15m");
    expect(r.calls[3]).toMatch(/validate cluster --kubeconfig \S+ --namespace gitpod --config \S+gitpod.config.yaml/);
    expect(r.calls[4]).toContain("render --config");
    expect(r.calls[5]).toContain(`helm upgrade gitpod ${r.work} --install --namespace gitpod --atomic --cleanup-on-fail --wait --wait-for-jobs --timeout 25m`);
    const template = fs.readFileSync(path.join(r.work, "templates", "gitpod.yaml"), "utf8");
    expect(template).toContain('{{`  tpl: "{{ .Values.x }}"`}}');
    expect(template).toContain("kind: Service");
    expect(fs.readFileSync(path.join(r.work, "Chart.yaml"), "utf8")).toContain("version: 2022.11.3");
    expect(r.stdout).toContain("gitpod-install: Gitpod 2022.11.3 is ready at https://gitpod.example.com");
  });

  describe("cluster validation", () => {
    const regular = "Affinity label not found in cluster: gitpod.io/workload_workspace_regular";
    const headless = "Affinity label not found in cluster: gitpod.io/workload_workspace_headless";

    it("fails on any error, listing the messages", () => {
      const r = run([], { CLUSTER_REPORT: clusterReport(["secret cloudsql has no credentials.json entry", regular]), SCALE_FROM_ZERO_LABELS: "" });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`FAILED: cluster validation failed: secret cloudsql has no credentials.json entry; ${regular}`);
      expect(r.calls.some((c) => c.startsWith("helm"))).toBe(false);
    });

    it("tolerates exactly the missing labels of pools that scale from zero", () => {
      const tolerated = "gitpod.io/workload_workspace_regular gitpod.io/workload_workspace_headless";
      const ok = run([], { CLUSTER_REPORT: clusterReport([regular, headless]), SCALE_FROM_ZERO_LABELS: tolerated });
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain("only labels of pools that scale from zero are missing");
      expect(ok.calls.some((c) => c.startsWith("helm upgrade"))).toBe(true);
      const notTolerated = run([], { CLUSTER_REPORT: clusterReport([regular, headless]), SCALE_FROM_ZERO_LABELS: "gitpod.io/workload_workspace_regular" });
      expect(notTolerated.status).toBe(1);
      expect(notTolerated.stderr).toContain(`FAILED: cluster validation failed: ${headless}`);
    });

    it("fails when the output is not the installer's report", () => {
      const r = run(["installer:validate-cluster-crash"], { CLUSTER_REPORT: "Error: stat /installer/kubeconfig: no such file", SCALE_FROM_ZERO_LABELS: "x" });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("FAILED: cluster validation failed: the validation output above is not the installer's JSON report");
    });
  });

  const failures: [string, string, RegExp, string][] = [
    ["an invalid config", "installer:validate", /FAILED: the installer rejected gitpod.config.yaml/, "installer validate"],
    ["a certificate that never becomes Ready", "kubectl:wait", /FAILED: certificate https-certificates is not Ready: is gitpod.example.com delegated/, "kubectl describe"],
    ["a render error", "installer:render", /FAILED: render failed/, "installer render"],
    ["workloads that never become ready", "helm:upgrade", /FAILED: Gitpod did not become ready within 25m; Helm rolled the release back/, "helm upgrade"],
  ];
  it.each(failures)("stops on %s with a message saying what to check", (_what, fail, message, lastCall) => {
    const r = run([fail]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.calls[r.calls.length - 1].startsWith(lastCall)).toBe(true);
    if (fail !== "helm:upgrade") expect(r.calls.some((c) => c.startsWith("helm"))).toBe(false);
  });
});
