import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../scripts/plan/stackFile";

/** The files git tracks (what a clone has), or every file outside node_modules when this is no git checkout. */
function trackedFiles(): string[] {
  const git = spawnSync("git", ["ls-files"], { cwd: projectRoot, encoding: "utf8" });
  if (git.status === 0) return git.stdout.split("\n").filter(Boolean);
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((e) => {
      const relative = path.join(dir, e.name);
      if (["node_modules", ".git", "plan"].includes(e.name)) return [];
      return e.isDirectory() ? walk(relative) : [relative];
    });
  return walk("");
}

describe("a clone is all a user needs", () => {
  const files = trackedFiles().filter((f) => /\.(ts|js|mjs|json|ya?ml|sh)$/.test(f) || f.startsWith(".ci/"));

  it("nothing reads a path outside the repository", () => {
    const offenders: string[] = [];
    for (const file of files) {
      if (file === "package-lock.json") continue;
      const text = fs.readFileSync(path.join(projectRoot, file), "utf8");
      text.split("\n").forEach((line, i) => {
        // Comments and eslint's import-restriction globs name paths without reading them.
        if (/^\s*(#|\/\/|\*|\/\*)/.test(line) || line.includes("no-restricted-imports")) return;
        // ../shared (the review's folder) anywhere, or a relative path that climbs above the repository root.
        const climbs = [...line.matchAll(/(?:^|["'`\s(=])((?:\.\.\/)+)/g)].some((m) => {
          const target = path.resolve(path.dirname(path.join(projectRoot, file)), m[1]);
          return path.relative(projectRoot, target).startsWith("..");
        });
        if (/\.\.\/shared\b|\/work\/shared/.test(line) || climbs) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it("scripts/refresh-schemas.sh fetches, derives the CRD schema byte for byte, and deletes nothing", () => {
    // A stand-in for GitHub's raw files (file://), serving velero's vendored CRDs as tag v9.9.9.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "refresh-"));
    const upstream = path.join(tmp, "upstream", "velero-io", "velero", "v9.9.9", "config", "crd", "v1", "bases");
    fs.mkdirSync(upstream, { recursive: true });
    for (const f of fs.readdirSync(path.join(projectRoot, "facts/schemas/velero")).filter((f) => f.endsWith(".yaml"))) {
      fs.copyFileSync(path.join(projectRoot, "facts/schemas/velero", f), path.join(upstream, f));
    }
    const root = path.join(tmp, "repo");
    for (const f of ["scripts/refresh-schemas.sh", "scripts/schemas/deriveCrdSchema.js"]) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.copyFileSync(path.join(projectRoot, f), path.join(root, f));
    }
    fs.mkdirSync(path.join(root, "facts/schemas/velero"), { recursive: true });
    fs.writeFileSync(path.join(root, "facts/schemas/velero/NOTES.md"), "kept");
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(root, "node_modules"));

    const result = spawnSync("bash", [path.join(root, "scripts/refresh-schemas.sh"), "--velero=v9.9.9"], {
      encoding: "utf8",
      env: { ...process.env, REFRESH_SCHEMAS_SOURCE: `file://${path.join(tmp, "upstream")}` },
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const written = fs.readdirSync(path.join(root, "facts/schemas/velero")).sort();
    expect(written).toEqual(fs.readdirSync(path.join(projectRoot, "facts/schemas/velero")).concat("NOTES.md").sort());
    for (const f of written.filter((f) => f !== "NOTES.md")) {
      expect(fs.readFileSync(path.join(root, "facts/schemas/velero", f), "utf8")).toBe(fs.readFileSync(path.join(projectRoot, "facts/schemas/velero", f), "utf8"));
    }
    expect(fs.readFileSync(path.join(root, "facts/schemas/velero/NOTES.md"), "utf8")).toBe("kept");
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
