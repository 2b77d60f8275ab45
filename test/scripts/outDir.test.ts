import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { outDirProblem, planMarker } from "../../scripts/plan/outDir";
import { writePlan } from "../../scripts/plan/output";
import { Plan } from "../../scripts/plan/run";
import { projectRoot } from "../../scripts/plan/stackFile";

const plan = (namespace: string): Plan => ({
  project: "gitpod-platform",
  stack: "test",
  outputs: {},
  resources: [
    {
      urn: `urn:pulumi:test::gitpod-platform::kubernetes:core/v1:Namespace::${namespace}`,
      type: "kubernetes:core/v1:Namespace",
      name: namespace,
      parent: "",
      custom: true,
      provider: "",
      inputs: { metadata: { name: namespace } },
      dependencies: [],
      options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [], deletedWith: "" },
    },
  ],
});

describe("--out never deletes what the plan did not write", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "out-dir-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("a new or empty directory takes a plan, which marks it", () => {
    const dir = path.join(tmp, "new");
    expect(writePlan(plan("a"), dir)).toContain("manifests/namespace-a.yaml");
    expect(fs.existsSync(path.join(dir, planMarker))).toBe(true);
  });

  test("a non-empty directory without the marker is refused and keeps every file", () => {
    const dir = path.join(tmp, "mine");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    expect(() => writePlan(plan("a"), dir)).toThrow(/refused, it is not empty and holds no plan output/);
    expect(fs.readdirSync(dir)).toEqual(["notes.txt"]);
  });

  test("a previous plan output is replaced: its files go, a file someone added stays", () => {
    const dir = path.join(tmp, "again");
    writePlan(plan("old"), dir);
    fs.writeFileSync(path.join(dir, "review.md"), "added by hand");
    writePlan(plan("new"), dir);
    expect(fs.readdirSync(path.join(dir, "manifests"))).toEqual(["namespace-new.yaml"]);
    expect(fs.readFileSync(path.join(dir, "review.md"), "utf8")).toBe("added by hand");
  });

  test("a marker that lists a path outside its directory deletes nothing there", () => {
    const dir = path.join(tmp, "forged");
    const victim = path.join(tmp, "victim.txt");
    fs.writeFileSync(victim, "keep");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, planMarker), JSON.stringify({ files: ["../victim.txt"] }));
    writePlan(plan("a"), dir);
    expect(fs.readFileSync(victim, "utf8")).toBe("keep");
  });

  test("the current directory, the repository root and their parents are refused", () => {
    const cwd = path.join(tmp, "work", "here");
    fs.mkdirSync(cwd, { recursive: true });
    expect(outDirProblem(cwd, cwd, projectRoot)).toBe("it is the current directory");
    expect(outDirProblem(path.join(tmp, "work"), cwd, projectRoot)).toMatch(/^it contains the current directory/);
    expect(outDirProblem(projectRoot, cwd, projectRoot)).toBe("it is the repository root");
    expect(outDirProblem(path.dirname(projectRoot), cwd, projectRoot)).toMatch(/^it contains the repository root/);
    expect(outDirProblem("/", cwd, projectRoot)).toMatch(/^it contains/);
    expect(outDirProblem(path.join(projectRoot, "plan", "prod"), projectRoot, projectRoot)).toBeUndefined();
  });

  test("a file is refused", () => {
    const file = path.join(tmp, "file");
    fs.writeFileSync(file, "");
    expect(outDirProblem(file, tmp, projectRoot)).toBe("it is a file, not a directory");
  });
});
