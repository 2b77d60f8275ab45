import * as fs from "fs";
import * as path from "path";

/**
 * Runs every `*.test.ts` file of one directory inside one jest suite, each under a `describe` named after the file, so
 * that its top-level hooks stay its own. jest gives every suite a fresh module registry and loads the SDKs, zod's
 * schemas and the program again for it: run one suite per file, that loading was the largest part of the test run
 * (docs/decisions.md, "Speed, third pass"). The files still share nothing they set up: a spy is restored where it is
 * made, and a plan sets the runtime's config and mocks afresh.
 *
 * `npx jest test/aws/cluster.test.ts` still runs one file alone (jest.config.js).
 */
export function runTestFilesIn(directory: string): void {
  const files = fs.readdirSync(directory).filter((name) => name.endsWith(".test.ts")).sort();
  if (files.length === 0) throw new Error(`no *.test.ts file in ${directory}`);
  for (const file of files) {
    describe(file, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the test file inside this describe
      require(path.join(directory, file));
    });
  }
}
