/**
 * The parts of @pulumi/gcp this program uses, imported module by module. The package root loads and declares all
 * of Google Cloud's service modules (2,100 declaration files): importing it made the type-check parse them all and
 * every test suite load them. Import this instead of "@pulumi/gcp"; add a module here when code needs a new one.
 */
export { Provider } from "@pulumi/gcp/provider";
export * as artifactregistry from "@pulumi/gcp/artifactregistry";
export * as compute from "@pulumi/gcp/compute";
export * as container from "@pulumi/gcp/container";
export * as dns from "@pulumi/gcp/dns";
export * as kms from "@pulumi/gcp/kms";
export * as monitoring from "@pulumi/gcp/monitoring";
export * as organizations from "@pulumi/gcp/organizations";
export * as projects from "@pulumi/gcp/projects";
export * as serviceaccount from "@pulumi/gcp/serviceaccount";
export * as servicenetworking from "@pulumi/gcp/servicenetworking";
export * as sql from "@pulumi/gcp/sql";
export * as storage from "@pulumi/gcp/storage";
