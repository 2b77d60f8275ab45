/**
 * The GitHub Actions workflows, read as data: valid YAML, every action pinned, least privilege per job, no
 * pull-request code with secrets or write tokens, dev deployed before prod, prod behind an environment.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { listStacks } from "../scripts/stacks";
import { committedStacks, projectRoot, readStackFile } from "../scripts/plan/stackFile";

type Json = any;

const workflowDir = path.join(projectRoot, ".github", "workflows");
const actionDir = path.join(projectRoot, ".github", "actions");

interface Loaded {
  file: string;
  text: string;
  doc: Json;
}

function load(file: string): Loaded {
  const text = fs.readFileSync(file, "utf8");
  const parsed = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const problems = [...parsed.errors, ...parsed.warnings].map((e) => e.message);
  if (problems.length > 0) throw new Error(`${path.relative(projectRoot, file)}: ${problems.join("; ")}`);
  return { file: path.relative(projectRoot, file), text, doc: parsed.toJS() };
}

const workflows: Loaded[] = fs
  .readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => load(path.join(workflowDir, f)));
const actions: Loaded[] = fs.existsSync(actionDir)
  ? fs
      .readdirSync(actionDir)
      .map((d) => path.join(actionDir, d, "action.yml"))
      .filter((f) => fs.existsSync(f))
      .map(load)
  : [];
const workflow = (name: string): Loaded => {
  const found = workflows.find((w) => w.file === `.github/workflows/${name}`);
  if (!found) throw new Error(`no workflow ${name}; have ${workflows.map((w) => w.file).join(", ")}`);
  return found;
};
const jobsOf = (w: Loaded): [string, Json][] => Object.entries(w.doc.jobs ?? {});
const stepsOf = (w: Loaded): Json[] => (w.doc.runs?.steps ?? []).concat(...jobsOf(w).map(([, job]) => job.steps ?? []));
const environmentName = (job: Json): string | undefined => (typeof job.environment === "string" ? job.environment : job.environment?.name);

/** Every job this job waits for, directly or through others. */
function allNeeds(w: Loaded, jobId: string, seen = new Set<string>()): Set<string> {
  const needs = w.doc.jobs[jobId].needs;
  for (const need of needs === undefined ? [] : [needs].flat()) {
    if (!seen.has(need)) {
      seen.add(need);
      allNeeds(w, need, seen);
    }
  }
  return seen;
}

describe("workflow files", () => {
  it("exist for pull requests, deploys and drift, and parse as YAML without duplicate keys", () => {
    expect(workflows.map((w) => path.basename(w.file))).toEqual(expect.arrayContaining(["pull-request.yml", "deploy.yml", "drift.yml"]));
    for (const w of workflows) {
      expect(typeof w.doc.name).toBe("string");
      expect(w.doc.on).toBeDefined();
      expect(jobsOf(w).length).toBeGreaterThan(0);
    }
  });

  it("use only keys GitHub knows at workflow, job and step level (catches typos such as `needs` misspelt)", () => {
    const workflowKeys = ["name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"];
    const jobKeys = ["name", "needs", "if", "runs-on", "permissions", "environment", "concurrency", "outputs", "env", "defaults", "steps", "timeout-minutes", "strategy", "continue-on-error", "container", "services", "uses", "with", "secrets"];
    const stepKeys = ["id", "name", "if", "uses", "with", "run", "shell", "env", "working-directory", "continue-on-error", "timeout-minutes"];
    for (const w of workflows) {
      expect(Object.keys(w.doc).filter((k) => !workflowKeys.includes(k))).toEqual([]);
      for (const [id, job] of jobsOf(w)) expect({ id, unknown: Object.keys(job).filter((k) => !jobKeys.includes(k)) }).toEqual({ id, unknown: [] });
    }
    for (const w of [...workflows, ...actions]) {
      for (const step of stepsOf(w)) expect({ file: w.file, unknown: Object.keys(step).filter((k) => !stepKeys.includes(k)) }).toEqual({ file: w.file, unknown: [] });
      // A composite action's run steps must name their shell.
      if (w.doc.runs?.using === "composite") for (const step of stepsOf(w).filter((s) => s.run)) expect(step.shell).toBe("bash");
    }
  });

  it("pin every action to a full commit SHA with its exact version in a comment (or to an exact version tag)", () => {
    const pins = new Map<string, string>();
    for (const w of [...workflows, ...actions]) {
      const uses = [...stepsOf(w).map((s) => s.uses), ...jobsOf(w).map(([, job]) => job.uses)].filter((u): u is string => typeof u === "string");
      expect(uses.length).toBeGreaterThan(0);
      for (const ref of uses) {
        if (ref.startsWith("./")) {
          expect(fs.existsSync(path.join(projectRoot, ref))).toBe(true);
          continue;
        }
        if (ref.startsWith("docker://")) {
          expect(ref).toMatch(/@sha256:[0-9a-f]{64}$/);
          continue;
        }
        const match = /^([\w.-]+\/[\w.-]+(?:\/[^@]+)?)@(.+)$/.exec(ref);
        if (!match) throw new Error(`${w.file}: uses: ${ref} names no version`);
        const [, action, version] = match;
        if (/^[0-9a-f]{40}$/.test(version)) {
          // The line must say which release the SHA is: `uses: owner/repo@sha # v1.2.3`.
          const line = w.text.split("\n").find((l) => l.includes(ref));
          expect({ file: w.file, line: line?.trim() }).toEqual({ file: w.file, line: expect.stringMatching(/ # v\d+\.\d+\.\d+\s*$/) });
        } else {
          expect({ file: w.file, ref }).toEqual({ file: w.file, ref: expect.stringMatching(/@v\d+\.\d+\.\d+$/) });
        }
        // One version of each action across all workflows.
        expect({ action, version: pins.get(action) ?? version }).toEqual({ action, version });
        pins.set(action, version);
      }
    }
    expect([...pins.keys()]).toEqual(expect.arrayContaining(["actions/checkout", "pulumi/actions"]));
  });

  it("deny every permission at the top and give each job explicit, least permissions", () => {
    for (const w of workflows) {
      expect({ file: w.file, permissions: w.doc.permissions }).toEqual({ file: w.file, permissions: {} });
      for (const [id, job] of jobsOf(w)) {
        const where = `${w.file} job ${id}`;
        expect({ where, type: typeof job.permissions }).toEqual({ where, type: "object" });
        for (const [scope, level] of Object.entries(job.permissions)) {
          expect({ where, scope, level }).toEqual({ where, scope, level: expect.stringMatching(/^(read|write|none)$/) });
        }
        // Write access only where the job's purpose needs it.
        const writes = Object.entries(job.permissions).filter(([, level]) => level === "write").map(([scope]) => scope);
        expect({ where, writes: writes.filter((s) => !["id-token", "pull-requests", "issues"].includes(s)) }).toEqual({ where, writes: [] });
      }
    }
  });

  it("never put ${{ }} expressions into shell scripts (they go through env:, so no injection)", () => {
    for (const w of [...workflows, ...actions]) {
      for (const step of stepsOf(w).filter((s) => typeof s.run === "string")) {
        expect({ file: w.file, step: step.name ?? step.run.slice(0, 40), expression: /\$\{\{/.test(step.run) }).toEqual({
          file: w.file,
          step: step.name ?? step.run.slice(0, 40),
          expression: false,
        });
      }
    }
  });

  it("hold shell scripts that bash can parse", () => {
    for (const w of [...workflows, ...actions]) {
      for (const step of stepsOf(w).filter((s) => typeof s.run === "string")) {
        const result = spawnSync("bash", ["-n", "-c", step.run], { encoding: "utf8" });
        expect({ file: w.file, step: step.name ?? step.run.slice(0, 40), stderr: result.stderr }).toEqual({ file: w.file, step: step.name ?? step.run.slice(0, 40), stderr: "" });
      }
    }
  });

  it("use one Node version, and the Pulumi CLI of the SDK's version", () => {
    const sdk = (JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as Json).dependencies["@pulumi/pulumi"];
    const pulumiWorkflows = workflows.filter((w) => w.text.includes("pulumi/actions") || w.text.includes("setup-stack"));
    expect(pulumiWorkflows.length).toBeGreaterThanOrEqual(3);
    for (const w of pulumiWorkflows) expect({ file: w.file, version: w.doc.env?.PULUMI_VERSION }).toEqual({ file: w.file, version: sdk });
    const nodeVersions = new Set(workflows.map((w) => w.doc.env?.NODE_VERSION).filter(Boolean));
    expect(nodeVersions.size).toBe(1);
  });
});

describe("pull requests", () => {
  const pr = workflow("pull-request.yml");

  it("run on pull_request, never on pull_request_target (which would hand fork code the base's secrets)", () => {
    expect(Object.keys(pr.doc.on)).toEqual(["pull_request"]);
    for (const w of workflows) expect({ file: w.file, target: "pull_request_target" in (w.doc.on ?? {}) }).toEqual({ file: w.file, target: false });
  });

  it("test, plan every stack of head and base, diff them and upload the diff", () => {
    const runs = stepsOf(pr).map((s) => String(s.run ?? "")).join("\n");
    expect(runs).toMatch(/npm ci/);
    expect(runs).toMatch(/npm test/);
    expect(runs).toMatch(/scripts\/plan\.ts --stack all .*--diff \S+ --diff-out \S+/);
    const checkouts = stepsOf(pr).filter((s) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkouts.some((s) => s.with?.ref === "${{ github.event.pull_request.base.sha }}")).toBe(true);
    expect(stepsOf(pr).some((s) => String(s.uses).startsWith("actions/upload-artifact@") && s.with?.name === "plan-diff")).toBe(true);
  });

  it("give secrets and write tokens only to jobs that run for pull requests from this repository", () => {
    for (const [id, job] of jobsOf(pr)) {
      const text = YAML.stringify(job);
      const privileged = /secrets\./.test(text) || Object.values(job.permissions).includes("write");
      if (!privileged) continue;
      expect({ id, if: job.if }).toEqual({ id, if: expect.stringContaining("github.event.pull_request.head.repo.full_name == github.repository") });
    }
    const preview = pr.doc.jobs.preview;
    expect(stepsOf({ ...pr, doc: { jobs: { preview } } }).find((s) => String(s.uses).startsWith("pulumi/actions@"))?.with).toMatchObject({
      command: "preview",
      "comment-on-pr": true,
      policyPacks: expect.stringContaining("policy-packs"),
    });
  });

  it("comment through a workflow_run workflow that never checks out or runs the pull request's code", () => {
    const comment = workflows.find((w) => w.doc.on?.workflow_run);
    if (!comment) throw new Error("no workflow_run workflow");
    expect(comment.doc.on.workflow_run.workflows).toEqual([pr.doc.name]);
    const steps = stepsOf(comment);
    expect(steps.some((s) => String(s.uses).startsWith("actions/checkout@"))).toBe(false);
    expect(steps.map((s) => String(s.run ?? "")).join("\n")).not.toMatch(/\b(npm|npx|node|ts-node|bash plan-diff|\.\/plan-diff)\b/);
    const download = steps.find((s) => String(s.uses).startsWith("actions/download-artifact@"));
    expect(download?.with).toMatchObject({ name: "plan-diff", "run-id": "${{ github.event.workflow_run.id }}" });
    const [, job] = jobsOf(comment)[0];
    expect(job.permissions).toEqual({ actions: "read", "pull-requests": "write" });
  });
});

describe("deploys", () => {
  const deploy = workflow("deploy.yml");
  const ups = jobsOf(deploy).filter(([, job]) => (job.steps ?? []).some((s: Json) => String(s.uses).startsWith("pulumi/actions@") && s.with?.command === "up"));

  it("run pulumi up on pushes to main, only in jobs that name an environment", () => {
    expect(deploy.doc.on.push.branches).toEqual(["main"]);
    expect(ups.length).toBeGreaterThanOrEqual(2);
    for (const [id, job] of ups) expect({ id, environment: environmentName(job) }).toEqual({ id, environment: expect.stringMatching(/^(development|production)$/) });
  });

  it("deploy development stacks before production ones, and production behind its environment, one stack at a time", () => {
    const production = ups.filter(([, job]) => environmentName(job) === "production");
    const development = ups.filter(([, job]) => environmentName(job) === "development");
    expect(production.length).toBeGreaterThan(0);
    expect(development.length).toBeGreaterThan(0);
    for (const [id, job] of production) {
      const needs = allNeeds(deploy, id);
      for (const [devId] of development) expect({ id, needsDev: needs.has(devId) }).toEqual({ id, needsDev: true });
      // Production runs when development succeeded or had nothing to do, never after it failed.
      for (const [devId] of development) expect(job.if).toContain(`needs.${devId}.result == 'success'`);
      expect(job.if).not.toMatch(/always\(\)/);
      expect(job.strategy?.["max-parallel"]).toBe(1);
      // The reviewers see a preview of every production stack before they approve.
      const previews = [...needs].filter((n) => (deploy.doc.jobs[n].steps ?? []).some((s: Json) => String(s.uses).startsWith("pulumi/actions@") && s.with?.command === "preview"));
      expect(previews.length).toBeGreaterThan(0);
      for (const p of previews) expect(job.if).toContain(`needs.${p}.result == 'success'`);
    }
    for (const [id] of development) {
      for (const [prodId] of production) expect({ id, needsProd: allNeeds(deploy, id).has(prodId) }).toEqual({ id, needsProd: false });
    }
    expect(deploy.doc.concurrency?.["cancel-in-progress"]).toBe(false);
  });

  it("deploy exactly the committed stacks, each in the environment its config names", () => {
    const entries = listStacks();
    expect(entries.map((e) => e.stack)).toEqual(committedStacks());
    for (const entry of entries) {
      const values = readStackFile(entry.stack).values;
      expect(entry).toEqual({
        stack: entry.stack,
        cloud: values["gitpod-platform:cloud"],
        environment: values["gitpod-platform:environment"],
        domain: values["gitpod-platform:domain"],
      });
      // A stack in any other environment would never be deployed by deploy.yml.
      expect(["development", "production"]).toContain(entry.environment);
    }
    expect([...listStacks("development"), ...listStacks("production")].map((e) => e.stack).sort()).toEqual(committedStacks());
    expect(listStacks("production").map((e) => e.stack)).toContain("prod");
  });
});

describe("drift detection", () => {
  const drift = workflow("drift.yml");

  it("runs on a schedule a preview with --refresh --expect-no-changes for every stack", () => {
    expect(drift.doc.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    const preview = stepsOf(drift).find((s) => /pulumi preview/.test(String(s.run)));
    expect(preview?.run).toMatch(/pulumi preview [^\n]*--refresh[^\n]*--expect-no-changes/);
  });

  it("opens or updates an issue from a job that holds no cloud credentials", () => {
    const reporters = jobsOf(drift).filter(([, job]) => job.permissions.issues === "write");
    expect(reporters).toHaveLength(1);
    const [, reporter] = reporters[0];
    expect(reporter.permissions["id-token"]).toBeUndefined();
    const script = (reporter.steps as Json[]).map((s) => String(s.run ?? "")).join("\n");
    expect(script).toMatch(/gh issue create/);
    expect(script).toMatch(/gh issue comment/);
  });
});

describe("the setup-stack action", () => {
  it("declares every input the workflows pass, and the workflows pass every required one", () => {
    const action = actions.find((a) => a.file.endsWith("setup-stack/action.yml"));
    if (!action) throw new Error("no .github/actions/setup-stack/action.yml");
    const inputs = action.doc.inputs as Record<string, { required?: boolean }>;
    const required = Object.entries(inputs).filter(([, i]) => i.required).map(([name]) => name);
    const calls = workflows.flatMap((w) => stepsOf(w).filter((s) => s.uses === "./.github/actions/setup-stack"));
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const call of calls) {
      for (const key of Object.keys(call.with ?? {})) expect(Object.keys(inputs)).toContain(key);
      for (const key of required) expect(Object.keys(call.with ?? {})).toContain(key);
    }
  });
});
