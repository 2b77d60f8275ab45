/**
 * The installer Job's script, run for real with bash against stand-ins for the installer, gpctl, kubectl and helm on
 * PATH. The helm stand-in keeps a release record (status and history, as `helm status/history -o json` print them)
 * that upgrade, rollback and uninstall change as Helm 3.8 does, so the tests cover a first install, an upgrade, a
 * release an interrupted run left pending, and failed validation, against what KOTS' script did and what Helm does.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installScript } from "../../components/kubernetes/gitpod/installScript";
import { renderFacts, shapes } from "./renderFacts";

type Revision = { revision: number; status: string };

interface Scenario {
  /** Stand-in calls that fail, as "<command>:<first argument>". */
  fail?: string[];
  /** The release's history before the run (the last entry is the current status); none for a first install. */
  history?: Revision[];
  /** Instance ids `gpctl workspaces list` reports. */
  workspaces?: string[];
  /** Ready endpoints of the proxy Service. */
  proxyEndpoints?: number;
  env?: Record<string, string>;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
  work: string;
  history: Revision[];
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

/**
 * Every stand-in logs "<name> <args>" and fails when "<name>:<first arg>" is in FAIL; then does what `body` says. They
 * are POSIX sh, which starts faster than bash: a run calls them about thirty times.
 */
function standIn(bin: string, name: string, body: string): void {
  const script = `#!/bin/sh\necho "${name} $*" >> "$CALLS"\ncase " $FAIL " in *" ${name}:$1 "*) echo "${name} $1 failed" >&2; exit 1;; esac\n${body}\n`;
  fs.writeFileSync(path.join(bin, name), script, { mode: 0o755 });
}

/**
 * Helm 3.8's release record: status/history read it; upgrade, rollback and uninstall write it. It is kept as lines of
 * "<revision> <status>" and printed as the JSON Helm prints, with shell built-ins only: jq takes about 30 ms to start
 * and a run calls helm about twice per step.
 */
const helmBody = `
H="$HELM_STATE/history"
last=0; current=
while read -r revision status; do last=$revision; current=$status; done < "$H"
found() { [ "$last" != 0 ] || { echo "Error: release: not found" >&2; exit 1; }; }
record() {
  lines=
  while read -r revision status; do
    [ "$status" = deployed ] && [ "$2" = deployed ] && status=superseded
    lines="$lines$revision $status
"
  done < "$H"
  printf '%s%s %s\\n' "$lines" "$1" "$2" > "$H"
}
case "$1" in
  status) found; printf '{"info":{"status":"%s"},"version":%s}\\n' "$current" "$last";;
  history) found; separator=; printf '['
    while read -r revision status; do printf '%s{"revision":%s,"status":"%s"}' "$separator" "$revision" "$status"; separator=,; done < "$H"
    printf ']\\n';;
  upgrade) if [ -n "$HELM_UPGRADE_FAILS" ]; then record $((last + 1)) failed; echo "Error: timed out waiting for the condition" >&2; exit 1; fi
    record $((last + 1)) deployed;;
  rollback) record $((last + 1)) deployed;;
  uninstall) : > "$H";;
esac`;

function run(scenario: Scenario = {}): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitpod-install-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(dir, "history"), (scenario.history ?? []).map((r) => `${r.revision} ${r.status}\n`).join(""));
  const endpoints = Array.from({ length: scenario.proxyEndpoints ?? 2 }, () => ({ conditions: { ready: true } }));
  standIn(bin, "helm", helmBody);
  standIn(
    bin,
    "kubectl",
    `case "$*" in
  "get service proxy"*) printf 203.0.113.10;;
  "get endpointslices"*) echo '${JSON.stringify({ items: [{ endpoints }] })}';;
esac`,
  );
  standIn(bin, "gpctl", `case "$*" in *"workspaces list"*) echo '${JSON.stringify((scenario.workspaces ?? []).map((id) => ({ Instance: id })))}';; esac`);
  standIn(bin, "curl", "");
  standIn(
    bin,
    "installer",
    `if [ "$1 $2" = "validate cluster" ] && [ -n "$CLUSTER_REPORT" ]; then echo "$CLUSTER_REPORT" >&2; exit 1; fi
if [ "$1" = render ]; then printf 'apiVersion: v1\\nkind: ConfigMap\\ndata:\\n  tpl: "{{ .Values.x }}"\\n---\\napiVersion: v1\\nkind: Service\\n'; fi
if [ "$1" = version ]; then echo "version: release-2022.11.3"; fi`,
  );
  const config = path.join(dir, "gitpod.config.yaml");
  fs.writeFileSync(config, "apiVersion: v1\n");
  const script = path.join(dir, "install.sh");
  fs.writeFileSync(script, installScript());
  const work = path.join(dir, "work");
  const calls = path.join(dir, "calls.log");
  const result = spawnSync("bash", [script], {
    encoding: "utf8",
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      INSTALLER: path.join(bin, "installer"),
      GPCTL: path.join(bin, "gpctl"),
      CONFIG: config,
      WORK: work,
      CALLS: calls,
      HELM_STATE: dir,
      NAMESPACE: "gitpod",
      DOMAIN: "gitpod.example.com",
      GITPOD_VERSION: "2022.11.3",
      CERTIFICATE_TIMEOUT: "11m",
      WORKSPACE_STOP_TIMEOUT: "5m",
      HELM_TIMEOUT: "24m",
      WORKSPACE_NODE_DAEMONSET: "gitpod-workspace-node",
      KUBECONFIG: path.join(dir, "kubeconfig"),
      FAIL: (scenario.fail ?? []).join(" "),
      ...scenario.env,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    calls: fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : [],
    work,
    history: fs
      .readFileSync(path.join(dir, "history"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split(" "))
      .map(([revision, status]) => ({ revision: Number(revision), status })),
  };
}

const helmCalls = (r: Run) => r.calls.filter((c) => c.startsWith("helm ")).map((c) => c.split(" ").slice(0, 2).join(" "));

describe("the installer Job's script", () => {
  it("first install: validates, waits for the certificate and the workspace nodes, validates the cluster, renders, applies", () => {
    const r = run();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const steps = r.calls.map((c) => c.split(" ").slice(0, 2).join(" "));
    expect(steps).toEqual([
      "installer version",
      "installer validate",
      "kubectl wait",
      "kubectl rollout",
      "installer validate",
      "installer render",
      "helm status",
      "helm upgrade",
      "kubectl get",
      "kubectl get",
      "curl -ksS",
    ]);
    expect(r.calls[2]).toContain("--for=condition=Ready certificate/https-certificates --timeout=11m");
    expect(r.calls[3]).toContain("rollout status --namespace gitpod daemonset/gitpod-workspace-node");
    expect(r.calls[4]).toMatch(/validate cluster --kubeconfig \S+ --namespace gitpod --config \S+gitpod.config.yaml/);
    expect(r.calls[7]).toBe(`helm upgrade gitpod ${r.work} --install --namespace gitpod --cleanup-on-fail --wait --timeout 24m --history-max 10`);
    const template = fs.readFileSync(path.join(r.work, "templates", "gitpod.yaml"), "utf8");
    expect(template).toContain('{{`  tpl: "{{ .Values.x }}"`}}');
    expect(fs.readFileSync(path.join(r.work, "Chart.yaml"), "utf8")).toContain("version: 2022.11.3");
    expect(r.history).toEqual([{ revision: 1, status: "deployed" }]);
    expect(r.stdout).toContain("gitpod-install: Gitpod 2022.11.3 is ready at https://gitpod.example.com (proxy 203.0.113.10, 2 ready endpoints)");
  });

  it("never waits for Gitpod's Jobs: they delete themselves after ttlSecondsAfterFinished and Helm 3.8's wait fails on a missing Job (B3)", () => {
    const ttls = shapes.flatMap((shape) => renderFacts.shapes[shape].jobs.map((job) => job.ttlSecondsAfterFinished));
    expect(ttls.length).toBeGreaterThan(0);
    expect(ttls.every((ttl) => ttl !== null && ttl <= 300)).toBe(true);
    expect(installScript()).not.toContain("--wait-for-jobs");
    expect(installScript()).not.toContain("--atomic");
  });

  it("upgrade: stops the running workspaces with gpctl and waits for their pods to go before helm upgrade", () => {
    const r = run({ history: [{ revision: 1, status: "superseded" }, { revision: 2, status: "deployed" }], workspaces: ["ws-1", "ws-2"] });
    expect(r.status).toBe(0);
    const upgrade = r.calls.findIndex((c) => c.startsWith("helm upgrade"));
    const before = r.calls.slice(0, upgrade);
    expect(before).toEqual(expect.arrayContaining([expect.stringMatching(/^gpctl --kubeconfig \S+ workspaces stop ws-1$/), expect.stringMatching(/^gpctl --kubeconfig \S+ workspaces stop ws-2$/)]));
    expect(before[before.length - 1]).toBe("kubectl wait --namespace gitpod --for=delete pod -l component=workspace --timeout=5m");
    expect(r.history.map((h) => h.status)).toEqual(["superseded", "superseded", "deployed"]);
  });

  it("upgrade: ws-manager unreachable does not block the upgrade", () => {
    const r = run({ history: [{ revision: 1, status: "deployed" }], fail: ["gpctl:--kubeconfig"] });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("could not list running workspaces (ws-manager unreachable); upgrading anyway");
    expect(helmCalls(r)).toEqual(["helm status", "helm upgrade"]);
  });

  describe("a release an interrupted run left pending (node drain, deadline)", () => {
    it("pending-upgrade: rolls back to the last deployed revision, then upgrades", () => {
      const r = run({ history: [{ revision: 1, status: "superseded" }, { revision: 2, status: "deployed" }, { revision: 3, status: "pending-upgrade" }] });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("release gitpod was left pending-upgrade at revision 3 by an interrupted run; clearing it");
      expect(r.calls).toContain("helm rollback gitpod 2 --namespace gitpod");
      expect(helmCalls(r)).toEqual(["helm status", "helm history", "helm rollback", "helm status", "helm upgrade"]);
      expect(r.history[r.history.length - 1]).toEqual({ revision: 5, status: "deployed" });
    });

    it("pending-rollback: goes back past the failed revision to the last one that was deployed", () => {
      const r = run({
        history: [{ revision: 1, status: "superseded" }, { revision: 2, status: "deployed" }, { revision: 3, status: "failed" }, { revision: 4, status: "pending-rollback" }],
      });
      expect(r.status).toBe(0);
      expect(r.calls).toContain("helm rollback gitpod 2 --namespace gitpod");
    });

    it("pending-install (revision 1 only): uninstalls, then installs afresh", () => {
      const r = run({ history: [{ revision: 1, status: "pending-install" }] });
      expect(r.status).toBe(0);
      expect(helmCalls(r)).toEqual(["helm status", "helm history", "helm uninstall", "helm status", "helm upgrade"]);
      expect(r.history).toEqual([{ revision: 1, status: "deployed" }]);
    });

    it("a failed look-up of the history fails the Job instead of uninstalling Gitpod", () => {
      const r = run({ history: [{ revision: 1, status: "deployed" }, { revision: 2, status: "pending-upgrade" }], fail: ["helm:history"] });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("FAILED: could not clear release gitpod (pending-upgrade)");
      expect(helmCalls(r)).not.toContain("helm uninstall");
    });
  });

  describe("Helm fails (workloads never ready)", () => {
    it("an upgrade is rolled back to the revision that was deployed", () => {
      const r = run({ history: [{ revision: 1, status: "deployed" }], env: { HELM_UPGRADE_FAILS: "1" } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("FAILED: Gitpod did not become ready within 24m; the release was rolled back");
      expect(r.calls).toContain("helm rollback gitpod 1 --namespace gitpod");
      expect(r.history.map((h) => h.status)).toEqual(["superseded", "failed", "deployed"]);
    });

    it("a first install is removed, as --atomic would", () => {
      const r = run({ env: { HELM_UPGRADE_FAILS: "1" } });
      expect(r.status).toBe(1);
      expect(helmCalls(r)).toEqual(["helm status", "helm upgrade", "helm status", "helm history", "helm uninstall"]);
      expect(r.history).toEqual([]);
    });
  });

  describe("cluster validation", () => {
    const regular = "Affinity label not found in cluster: gitpod.io/workload_workspace_regular";
    const headless = "Affinity label not found in cluster: gitpod.io/workload_workspace_headless";

    it("fails on any error, listing the messages, before touching the release", () => {
      const r = run({ env: { CLUSTER_REPORT: clusterReport(["secret cloudsql has no credentials.json entry", regular]), SCALE_FROM_ZERO_LABELS: "" } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`FAILED: cluster validation failed: secret cloudsql has no credentials.json entry; ${regular}`);
      expect(helmCalls(r)).toEqual([]);
    });

    it("tolerates exactly the missing labels of pools that scale from zero", () => {
      const tolerated = "gitpod.io/workload_workspace_regular gitpod.io/workload_workspace_headless";
      const ok = run({ env: { CLUSTER_REPORT: clusterReport([regular, headless]), SCALE_FROM_ZERO_LABELS: tolerated } });
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain("only labels of pools that scale from zero are missing");
      const notTolerated = run({ env: { CLUSTER_REPORT: clusterReport([regular, headless]), SCALE_FROM_ZERO_LABELS: "gitpod.io/workload_workspace_regular" } });
      expect(notTolerated.status).toBe(1);
      expect(notTolerated.stderr).toContain(`FAILED: cluster validation failed: ${headless}`);
    });

    it("fails when the output is not the installer's JSON report (e.g. RBAC Forbidden)", () => {
      const r = run({ env: { CLUSTER_REPORT: 'Error: namespaces is forbidden: User "system:serviceaccount:gitpod-installer:gitpod-installer" cannot list resource "namespaces"', SCALE_FROM_ZERO_LABELS: "x" } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("FAILED: cluster validation failed: the validation output above is not the installer's JSON report");
    });
  });

  it("reports a proxy that has an address but no ready endpoint", () => {
    const r = run({ proxyEndpoints: 0 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("FAILED: the proxy Service has address 203.0.113.10 but no ready endpoint");
  });

  it("warns when the domain does not answer from inside the cluster", () => {
    const r = run({ fail: ["curl:-ksS"] });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("WARNING: https://gitpod.example.com/ did not answer from inside the cluster");
  });

  const failures: [string, string, RegExp, string][] = [
    ["an invalid config", "installer:validate", /FAILED: the installer rejected gitpod.config.yaml/, "installer validate"],
    ["a certificate that never becomes Ready", "kubectl:wait", /FAILED: certificate https-certificates is not Ready: is gitpod.example.com delegated/, "kubectl describe"],
    ["a workspace node that is not ready", "kubectl:rollout", /FAILED: daemonset gitpod-workspace-node is not ready on every workspace node: .*kernel older than 5.4/, "kubectl get"],
    ["a render error", "installer:render", /FAILED: render failed/, "installer render"],
  ];
  it.each(failures)("stops on %s with a message saying what to check, before touching the release", (_what, fail, message, lastCall) => {
    const r = run({ fail: [fail] });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.calls[r.calls.length - 1].startsWith(lastCall)).toBe(true);
    expect(helmCalls(r)).toEqual([]);
  });
});
