/**
 * The cloud names a stack's name flows into, computed with the components' own naming functions, checked against
 * each cloud's length and character limits. The naming functions cut a long stack name to fit; a name that lost
 * part of the stack name is refused, because a second stack starting with the same characters would get the same
 * name in the same project or account.
 */
import { backupBucketName, clusterName, customRoleId, resourceName, serviceAccountId } from "../../components/gcp/naming";
import { awsName, clusterNameOf, nodeGroupSuffix } from "../../components/aws/common";
import { azureNames, backupAccountName } from "../../components/azure/settings";
import type { StackConfig } from "../resolve";
import { Report, stackNamePath } from "./report";

interface CloudName {
  /** What the name is, with the cloud's limit, e.g. "GCP service account id (6-30 lowercase letters, digits, hyphens)". */
  kind: string;
  name: string;
  pattern: RegExp;
  /** The name must carry the whole stack name (project- or account-wide names); false where a hash keeps it unique. */
  carriesStack: boolean;
}

export function checkNames(stack: string, config: StackConfig, report: Report): void {
  const names = cloudNames(stack, config);
  const slug = stack.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (slug === "") {
    report.problem([stackNamePath], stack, "has no letter or digit: every cloud name is built from the stack name");
    return;
  }
  const reported = new Set<string>();
  const seen = new Set<string>();
  for (const { kind, name, pattern, carriesStack } of names) {
    const problem = !pattern.test(name)
      ? `gives the ${kind} "${name}", which the cloud refuses; use a shorter stack name of lowercase letters, digits and hyphens`
      : carriesStack && !name.replace(/_/g, "-").includes(slug)
        ? `is too long for the ${kind}: it is cut to "${name}", which another stack starting with the same characters would share; use a shorter stack name`
        : seen.has(`${kind}\u0000${name}`)
          ? `gives two of its cloud names the same name "${name}" (${kind})`
          : undefined;
    seen.add(`${kind}\u0000${name}`);
    // One message per kind of name: the first one that breaks says what to change.
    if (problem !== undefined && !reported.has(kind)) {
      reported.add(kind);
      report.problem([stackNamePath], stack, problem);
    }
  }
}

const gcpServiceAccount = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const gcpResource = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const gcpRole = /^[a-zA-Z0-9_.]{3,64}$/;
const gcsBucket = /^[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$/;
const awsHyphenName = (max: number) => new RegExp(`^[a-z0-9][a-z0-9-]{0,${max - 1}}$`);

function cloudNames(stack: string, config: StackConfig): CloudName[] {
  switch (config.cloud) {
    case "gcp":
      return [
        ...["storage", "sql", "nodes", "registry", "certs", "dns", "velero"].map((purpose) => ({
          kind: "GCP service account id (6-30 lowercase letters, digits, hyphens)",
          name: serviceAccountId(stack, purpose),
          pattern: gcpServiceAccount,
          carriesStack: true,
        })),
        ...["zone", "mysql", "images", "keys", ...(config.backup.replicaRegion ? [`mysql-${config.backup.replicaRegion}`] : [])].map((purpose) => ({
          kind: "GCP resource name (at most 63 lowercase letters, digits, hyphens)",
          name: resourceName(stack, purpose),
          pattern: gcpResource,
          carriesStack: true,
        })),
        ...["storage", "dns01", "velero_storage", "velero_snapshots"].map((purpose) => ({
          kind: "GCP custom role id (3-64 letters, digits, _ and .)",
          name: customRoleId(stack, purpose),
          pattern: gcpRole,
          carriesStack: true,
        })),
        { kind: "Cloud Storage bucket name (3-63 characters)", name: backupBucketName(config.gcp.project, stack), pattern: gcsBucket, carriesStack: true },
        // Node pools have fixed names (components/gcp/nodePools.ts poolNames); the cluster's carries the stack.
        { kind: "GKE cluster name (at most 40 lowercase letters, digits, hyphens)", name: clusterName(stack), pattern: /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/, carriesStack: true },
      ];
    case "aws": {
      const cluster = clusterNameOf(stack);
      return [
        { kind: "EKS cluster name (at most 100 characters)", name: cluster, pattern: awsHyphenName(100), carriesStack: true },
        ...Object.values(nodeGroupSuffix).map((suffix) => ({
          kind: "EKS node group name (at most 63 characters)",
          name: awsName(`${cluster}-${suffix}`),
          pattern: awsHyphenName(63),
          carriesStack: true,
        })),
      ];
    }
    case "azure": {
      const names = azureNames(stack, config.azure);
      return [
        { kind: "Azure storage account name (3-24 lowercase letters and digits)", name: names.storageAccount, pattern: /^[a-z0-9]{3,24}$/, carriesStack: false },
        {
          kind: "Azure storage account name (3-24 lowercase letters and digits)",
          name: backupAccountName(stack, config.azure.subscriptionId, names.resourceGroup),
          pattern: /^[a-z0-9]{3,24}$/,
          carriesStack: false,
        },
        { kind: "Azure container registry name (5-50 letters and digits)", name: names.registry, pattern: /^[a-zA-Z0-9]{5,50}$/, carriesStack: false },
        { kind: "AKS DNS prefix (1-54 letters, digits, hyphens)", name: names.dnsPrefix, pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$/, carriesStack: true },
        { kind: "MySQL flexible server name (3-63 lowercase letters, digits, hyphens)", name: names.mysqlServer, pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, carriesStack: false },
        { kind: "Azure resource group name (1-90 characters)", name: names.resourceGroup, pattern: /^[-\w._()]{1,90}$/, carriesStack: config.azure.resourceGroupName === undefined },
      ];
    }
    default:
      return [];
  }
}
