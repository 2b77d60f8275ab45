import * as fs from "fs";
import * as path from "path";
import { suites, testFilesIn } from "./suite";

/** jest runs only the suites of test/suite.ts: a directory of test files in none of them would never run. */
function directoriesWithTests(directory: string): string[] {
  const entries = fs.readdirSync(path.join(__dirname, directory), { withFileTypes: true });
  const here = testFilesIn(directory).length > 0 ? [directory] : [];
  return [...here, ...entries.filter((e) => e.isDirectory()).flatMap((e) => directoriesWithTests(path.join(directory, e.name)))];
}

test("every directory with test files is in exactly one suite", () => {
  const listed = Object.values(suites).flat();
  expect(directoriesWithTests(".").filter((d) => listed.filter((l) => l === d).length !== 1)).toEqual([]);
  expect(listed.filter((d) => testFilesIn(d).length === 0)).toEqual([]);
});
