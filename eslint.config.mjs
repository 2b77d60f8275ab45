import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Imported module by module (providers/sdk/*.ts says why); each no-restricted-imports below repeats them because
// a later block replaces the rule's options.
const SDK_ROOTS = ["@pulumi/aws", "@pulumi/gcp", "@pulumi/kubernetes", "@pulumi/azure-native"];

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "plan/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // The few plain CommonJS files (jest config and reporter, the benchmark's preload hook) run in Node.
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests and the plan's fakes read recorded inputs, which are plain JSON of any shape.
    files: ["test/**/*.ts", "scripts/plan/fakes/**/*.ts", "scripts/plan/pools.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The test files share one module registry per suite (test/suite.ts): a module mock would leak into the files
    // after it. Spy on the module's export instead and restore the spy where it is made.
    files: ["test/**/*.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        ...["mock", "doMock", "unmock", "resetModules", "isolateModules"].map((property) => ({
          object: "jest",
          property,
          message: "test files share a module registry (test/suite.ts): use jest.spyOn and restore it",
        })),
      ],
    },
  },
  {
    // The SDK roots load and declare every service (thousands of files): import providers/sdk/* or a submodule.
    files: ["**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: SDK_ROOTS }] },
  },
  // The two walls of the design: the Kubernetes layer knows no cloud SDK; no cloud knows another.
  {
    files: ["components/kubernetes/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: SDK_ROOTS, patterns: ["@pulumi/gcp*", "**/sdk/gcp", "@pulumi/aws*", "**/sdk/aws", "@pulumi/azure-native*", "../gcp/*", "../aws/*", "../azure/*"] }],
    },
  },
  {
    // A cluster the operator brings: no cloud SDK, no cloud component, not the Kubernetes layer (only the contract).
    files: ["components/existing/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: SDK_ROOTS, patterns: ["@pulumi/gcp*", "**/sdk/gcp", "@pulumi/aws*", "**/sdk/aws", "@pulumi/azure-native*", "../gcp/*", "../aws/*", "../azure/*", "../kubernetes/*"] }],
    },
  },
  {
    files: ["components/gcp/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: SDK_ROOTS, patterns: ["@pulumi/aws*", "**/sdk/aws", "@pulumi/azure-native*", "../aws/*", "../azure/*", "../kubernetes/*"] }] },
  },
  {
    files: ["components/aws/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: SDK_ROOTS, patterns: ["@pulumi/gcp*", "**/sdk/gcp", "@pulumi/azure-native*", "../gcp/*", "../azure/*", "../kubernetes/*"] }] },
  },
  {
    files: ["components/azure/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: SDK_ROOTS, patterns: ["@pulumi/gcp*", "**/sdk/gcp", "@pulumi/aws*", "**/sdk/aws", "../gcp/*", "../aws/*", "../kubernetes/*"] }],
    },
  },
);
