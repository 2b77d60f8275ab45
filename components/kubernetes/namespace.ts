import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Pod Security Admission level a namespace enforces (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** The metadata of a namespace of the Kubernetes layer: a fixed name, since cloud identities trust `<namespace>/<sa>`. */
export function namespaceMetadata(name: string, podSecurity: PodSecurityLevel): { name: string; labels: Record<string, string> } {
  return {
    name,
    labels: {
      "app.kubernetes.io/managed-by": "pulumi",
      "pod-security.kubernetes.io/enforce": podSecurity,
      "pod-security.kubernetes.io/warn": podSecurity,
    },
  };
}

/** A namespace with a fixed name (no Pulumi auto-naming suffix). */
export function fixedNamespace(
  resourceName: string,
  name: string,
  podSecurity: PodSecurityLevel,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(resourceName, { metadata: namespaceMetadata(name, podSecurity) }, opts);
}
