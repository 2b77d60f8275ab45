import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./stackFile";

/**
 * `--out` never deletes what the plan did not write. A plan output directory carries this marker, which lists the
 * files the plan wrote; the next plan into it removes exactly those. Any other non-empty directory is refused, and
 * so are the current directory, the repository root and any directory that contains one of them.
 */
export const planMarker = ".gitpod-platform-plan.json";

interface Marker {
  files: string[];
}

/** Why dir cannot take a plan, or undefined when it can (missing, empty, or a previous plan output). */
export function outDirProblem(dir: string, cwd = process.cwd(), root = projectRoot): string | undefined {
  const target = path.resolve(dir);
  for (const [what, protectedDir] of [
    ["the current directory", path.resolve(cwd)],
    ["the repository root", path.resolve(root)],
  ] as const) {
    if (target === protectedDir) return `it is ${what}`;
    if (isInside(protectedDir, target)) return `it contains ${what} (${protectedDir})`;
  }
  if (!fs.existsSync(target)) return undefined;
  if (!fs.statSync(target).isDirectory()) return "it is a file, not a directory";
  const entries = fs.readdirSync(target);
  if (entries.length === 0 || entries.includes(planMarker)) return undefined;
  return `it is not empty and holds no plan output (no ${planMarker}); choose an empty or new directory`;
}

/** Makes dir ready for a plan: refuses what outDirProblem refuses, then removes only the files the last plan wrote. */
export function prepareOutDir(dir: string): void {
  const problem = outDirProblem(dir);
  if (problem) throw new Error(`--out ${dir}: refused, ${problem}`);
  const markerFile = path.join(dir, planMarker);
  if (!fs.existsSync(markerFile)) return;
  const marker = JSON.parse(fs.readFileSync(markerFile, "utf8")) as Marker;
  for (const file of marker.files) {
    const full = path.resolve(dir, file);
    // A marker edited to point outside the directory deletes nothing there.
    if (isInside(full, path.resolve(dir))) fs.rmSync(full, { force: true });
  }
  const manifests = path.join(dir, "manifests");
  if (fs.existsSync(manifests) && fs.readdirSync(manifests).length === 0) fs.rmdirSync(manifests);
  fs.rmSync(markerFile);
}

/** Records the files a plan wrote into dir (relative paths), so that the next plan may replace them. */
export function markOutDir(dir: string, files: string[]): void {
  fs.writeFileSync(path.join(dir, planMarker), JSON.stringify({ files } satisfies Marker, null, 2) + "\n");
}

/** True when child is strictly inside parent. */
function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
