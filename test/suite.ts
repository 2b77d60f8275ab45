import * as fs from "fs";
import * as path from "path";

/**
 * jest runs the test files in two suites, each in one worker, instead of one suite per file. jest gives every suite
 * a fresh module registry and loads the SDKs, zod's schemas and the program again for it, and warms the JIT again:
 * with one suite per file that cost about a third of jest's time in its processes, with one per directory still
 * about a fifth (docs/decisions.md, "Speed, third pass"). Two suites keep both cores busy; they are split by layer
 * and about equal in CPU time, counting the processes their tests start (the policy runner, the installer and mirror
 * scripts, the CLI): the image mirror's tests run with the clouds, whose registries it fills. Every file runs under a
 * `describe` named after it, so its top-level hooks stay its own, and the files share nothing they set up: a spy is
 * restored where it is made, a plan sets the runtime's config and mocks afresh.
 *
 * `npx jest test/aws/cluster.test.ts` still runs one file alone (jest.config.js).
 */
export const suites: Record<string, readonly string[]> = {
  "clouds-and-recovery": ["aws", "azure", "gcp", "existing", "config", "stacks", "plan", "recover", "mirror"],
  "kubernetes-and-tools": [".", "gitpod", "kubernetes", "velero", "policy", "scripts"],
};

/** The `*.test.ts` files directly in a directory of test/, sorted. */
export function testFilesIn(directory: string): string[] {
  return fs
    .readdirSync(path.join(__dirname, directory))
    .filter((name) => name.endsWith(".test.ts"))
    .sort();
}

/** Declares every test file of the suite's directories, each inside a describe of its path. */
export function runSuite(name: keyof typeof suites): void {
  for (const directory of suites[name]) {
    for (const file of testFilesIn(directory)) {
      describe(path.join(directory, file), () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the test file inside this describe
        require(path.join(__dirname, directory, file));
      });
    }
  }
}
