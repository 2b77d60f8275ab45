import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "plan/", "coverage/", "jest.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // The two walls of the design: the Kubernetes layer knows no cloud SDK.
      "no-restricted-imports": "off",
    },
  },
  {
    files: ["components/kubernetes/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@pulumi/gcp*", "@pulumi/aws*", "@pulumi/azure-native*", "../gcp/*", "../aws/*", "../azure/*"] }],
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
