/** Tests run through sucrase, which strips types only: `npm run typecheck` is the one type-check. */

/**
 * jest runs the two suites of test/suite.ts (`*.suite.ts`, which declare every test file; test/suite.ts says why).
 * Given test files or directories (`npx jest test/aws/cluster.test.ts`, `npx jest test/aws`), it runs those files,
 * each as its own suite.
 */
const namesTestFile = process.argv.slice(2).some((arg) => (arg.startsWith("test/") && !arg.endsWith(".suite.ts")) || arg.endsWith(".test.ts"));

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: namesTestFile ? ["**/*.test.ts"] : ["**/*.suite.ts"],
  transform: { "^.+\\.ts$": "@sucrase/jest-plugin" },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 30000,
  // Spies restored before every test: the files of a suite share one module registry (test/suite.ts).
  restoreMocks: true,
  // Both cores: the suites are CPU-bound and independent (jest defaults to one worker on two cores).
  maxWorkers: 2,
  // Loaded on first use: @pulumi/pulumi requires these at start-up but the program never uses them (test/lazy/lazyModule.js).
  moduleNameMapper: { "^@npmcli/arborist$": "<rootDir>/test/lazy/arborist.js", "typescript-shim$": "<rootDir>/test/lazy/typescriptShim.js" },
  // `npm run bench` points this at an empty directory to measure a fresh clone (jest's transform cache lives in /tmp).
  ...(process.env.GITPOD_PLATFORM_JEST_CACHE ? { cacheDirectory: process.env.GITPOD_PLATFORM_JEST_CACHE } : {}),
  globalSetup: "<rootDir>/test/globalSetup.ts",
  globalTeardown: "<rootDir>/test/globalTeardown.ts",
  reporters: ["default", "<rootDir>/test/summaryReporter.js"],
};
