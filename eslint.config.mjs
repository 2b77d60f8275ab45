import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests and the plan's fakes read recorded inputs, which are plain JSON of any shape.
    files: ["test/**/*.ts", "scripts/plan/fakes/**/*.ts", "scripts/plan/pools.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  // The two walls of the design: the Kubernetes layer knows no cloud SDK; no cloud knows another.
  {
    files: ["components/kubernetes/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@pulumi/gcp*", "@pulumi/aws*", "@pulumi/azure-native*", "../gcp/*", "../aws/*", "../azure/*"] }],
    },
  },
  {
    // A cluster the operator brings: no cloud SDK, no cloud component, not the Kubernetes layer (only the contract).
    files: ["components/existing/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@pulumi/gcp*", "@pulumi/aws*", "@pulumi/azure-native*", "../gcp/*", "../aws/*", "../azure/*", "../kubernetes/*"] }],
    },
  },
  {
    files: ["components/gcp/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["@pulumi/aws*", "@pulumi/azure-native*", "../aws/*", "../azure/*", "../kubernetes/*"] }] },
  },
  {
    files: ["components/aws/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["@pulumi/gcp*", "@pulumi/azure-native*", "../gcp/*", "../azure/*", "../kubernetes/*"] }] },
  },
  {
    files: ["components/azure/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: ["@pulumi/azure-native"], patterns: ["@pulumi/gcp*", "@pulumi/aws*", "../gcp/*", "../aws/*", "../kubernetes/*"] }],
    },
  },
);
