import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { inClusterTools, InClusterTool, WorkloadBinding } from "../platform";
import { customRoleId, serviceAccountId } from "./naming";

export interface WorkloadIdentitiesArgs {
  /** Project of the cluster (names the workload identity pool) and of the DNS zone. */
  project: string;
  /** Name of the stack, for project-wide names. */
  stack: string;
  /** The bindings need the cluster's workload identity pool, which exists once the cluster does. */
  cluster: pulumi.Resource;
  /** The stack's Cloud DNS zone: the only zone whose records cert-manager and external-dns may change. */
  dnsZone: pulumi.Input<string>;
}

/**
 * DNS-01 and external-dns need to list zones and change record sets, nothing else; cert-manager's docs list
 * the same permissions for a custom role in place of dns.admin. Listing zones is a project permission; the rest is
 * granted on the stack's zone only (Cloud DNS supports zone-level IAM: cloud.google.com/dns/docs/zones/iam-per-resource-zones).
 */
export const dnsZoneListPermissions = ["dns.managedZones.list"];

/** What cert-manager and external-dns do inside the stack's zone. */
export const dnsRecordPermissions = [
  "dns.changes.create",
  "dns.changes.get",
  "dns.changes.list",
  "dns.managedZones.get",
  "dns.resourceRecordSets.create",
  "dns.resourceRecordSets.delete",
  "dns.resourceRecordSets.get",
  "dns.resourceRecordSets.list",
  "dns.resourceRecordSets.update",
];

const shortNames: Record<InClusterTool, string> = { certManager: "certs", externalDns: "dns", velero: "velero" };

/**
 * A Google service account per in-cluster tool, each bound by workload identity to that tool's Kubernetes
 * service account only. cert-manager and external-dns get the DNS record role; Velero's storage and snapshot
 * permissions are granted where its bucket is made.
 */
export class WorkloadIdentities extends pulumi.ComponentResource {
  readonly accounts: Record<InClusterTool, gcp.serviceaccount.Account>;
  readonly bindings: Record<InClusterTool, WorkloadBinding>;

  constructor(name: string, args: WorkloadIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:WorkloadIdentities", name, {}, opts);
    const dnsRole = new gcp.projects.IAMCustomRole(
      `${name}-dns-role`,
      {
        project: args.project,
        roleId: customRoleId(args.stack, "dns01"),
        title: `Gitpod DNS records (${args.stack})`,
        permissions: dnsRecordPermissions,
      },
      { parent: this },
    );
    const zoneListRole = new gcp.projects.IAMCustomRole(
      `${name}-dns-list-role`,
      { project: args.project, roleId: customRoleId(args.stack, "dns_list"), title: `Gitpod DNS zone list (${args.stack})`, permissions: dnsZoneListPermissions },
      { parent: this },
    );
    const accounts = {} as Record<InClusterTool, gcp.serviceaccount.Account>;
    const bindings = {} as Record<InClusterTool, WorkloadBinding>;
    for (const tool of Object.keys(inClusterTools) as InClusterTool[]) {
      const { namespace, serviceAccount } = inClusterTools[tool];
      const account = new gcp.serviceaccount.Account(
        `${name}-${shortNames[tool]}`,
        { accountId: serviceAccountId(args.stack, shortNames[tool]), displayName: `Gitpod ${tool} (workload identity)` },
        { parent: this },
      );
      new gcp.serviceaccount.IAMMember(
        `${name}-${shortNames[tool]}-wi`,
        {
          serviceAccountId: account.name,
          role: "roles/iam.workloadIdentityUser",
          member: `serviceAccount:${args.project}.svc.id.goog[${namespace}/${serviceAccount}]`,
        },
        { parent: this, dependsOn: [args.cluster] },
      );
      if (tool !== "velero") {
        const member = pulumi.interpolate`serviceAccount:${account.email}`;
        new gcp.dns.DnsManagedZoneIamMember(
          `${name}-${shortNames[tool]}-dns`,
          { project: args.project, managedZone: args.dnsZone, role: dnsRole.name, member },
          { parent: this },
        );
        new gcp.projects.IAMMember(`${name}-${shortNames[tool]}-dns-list`, { project: args.project, role: zoneListRole.name, member }, { parent: this });
      }
      accounts[tool] = account;
      bindings[tool] = {
        serviceAccountAnnotations: account.email.apply((email): Record<string, string> => ({ "iam.gke.io/gcp-service-account": email })),
        podLabels: {},
      };
    }
    this.accounts = accounts;
    this.bindings = bindings;
    this.registerOutputs({});
  }
}
