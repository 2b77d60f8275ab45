/**
 * The parts of @pulumi/kubernetes this program uses, imported module by module: the package root loads and declares
 * every API group (660 declaration files), which made the type-check parse them all and every test suite load them.
 * Import this instead of "@pulumi/kubernetes"; add a module here when code needs a new one.
 */
export { Provider } from "@pulumi/kubernetes/provider";
export * as apiextensions from "@pulumi/kubernetes/apiextensions";
export * as apps from "@pulumi/kubernetes/apps";
export * as batch from "@pulumi/kubernetes/batch";
export * as core from "@pulumi/kubernetes/core";
export * as helm from "./helm";
export * as rbac from "@pulumi/kubernetes/rbac";
export * as types from "@pulumi/kubernetes/types";
