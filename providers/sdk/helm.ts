/**
 * The Helm resources this program uses (`helm.v3.Release`, `helm.v4.Chart`), each from its own module: the module
 * @pulumi/kubernetes/helm also loads helm/v3's Chart, whose yaml module loads and declares every Kubernetes API group
 * (about 100 modules at run time, 600 declaration files for the type-check). Add a module here when code needs one.
 */
export * as v3 from "@pulumi/kubernetes/helm/v3/release";
export * as v4 from "@pulumi/kubernetes/helm/v4";
