/**
 * The one label that marks every Kubernetes object this program declares, added in one place: a transformation on
 * the Kubernetes layer, which the SDK applies to the layer and to every resource registered under it.
 *
 * Velero's Schedule and Restore select these objects out (components/kubernetes/velero/objects.ts): Pulumi
 * recreates them from its state, so a backup need not hold them (their Secrets are credentials Pulumi regenerates),
 * and a restore must not bring them back, because pulumi-kubernetes 4.29+ creates objects client-side and fails with
 * AlreadyExists on an object that is already there (CHANGELOG 4.29.0; provider option `upsertExistingObjects`).
 *
 * A legacy `transformations` entry, not `transforms`: the SDK runs it itself, so the offline plan, the tests and
 * `pulumi up` see the same labels; `transforms` run in the engine, which the mock runtime does not have. Objects that
 * a chart renders (cert-manager's, Velero's) are labelled by Helm, not by this, and are created before any restore.
 */
import * as pulumi from "@pulumi/pulumi";

export const managedByLabel = { key: "app.kubernetes.io/managed-by", value: "pulumi" } as const;

type Metadata = { labels?: Record<string, string> } & Record<string, unknown>;

/** Adds the label to the metadata of every Kubernetes object (custom resources of `kubernetes:*` with metadata). */
export const labelManagedObjects: pulumi.ResourceTransformation = (args) => {
  if (!args.type.startsWith("kubernetes:") || args.type.startsWith("kubernetes:helm.sh/")) return undefined;
  const metadata = args.props.metadata as pulumi.Input<Metadata> | undefined;
  if (metadata === undefined) return undefined;
  // Already labelled in a plain object: leave the metadata as it is (no Output where there was none).
  if (!pulumi.Output.isInstance(metadata) && (metadata as Metadata).labels?.[managedByLabel.key] === managedByLabel.value) return undefined;
  const labelled = pulumi.output(metadata).apply((m) => ({ ...m, labels: { ...(m.labels ?? {}), [managedByLabel.key]: managedByLabel.value } }));
  return { props: { ...args.props, metadata: labelled }, opts: args.opts };
};
