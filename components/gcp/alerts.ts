import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface GcpAlertsArgs {
  /** Project of the cluster and the database. */
  project: string;
  /** E-mail addresses that receive the alerts; none: the incidents show in Cloud Monitoring only. */
  emails: string[];
  /** The cross-region read replica whose lag is watched, when there is one. */
  databaseReplica?: gcp.sql.DatabaseInstance;
  /** Seconds of replica lag that raise an incident (the replica is the database's recovery point on region loss). */
  replicaLagSeconds: number;
}

/** The Cloud Monitoring filter of a Cloud SQL replica's lag. Pure. */
export function replicaLagFilter(project: string, replicaName: string): string {
  return [
    'resource.type = "cloudsql_database"',
    'metric.type = "cloudsql.googleapis.com/database/replication/replica_lag"',
    `resource.labels.database_id = "${project}:${replicaName}"`,
  ].join(" AND ");
}

/**
 * The Cloud Logging filter of cluster-autoscaler scale-up errors (GKE's cluster-autoscaler-visibility log: quota
 * exceeded, out of resources, IP space exhausted...). Unverified offline against a real log entry. Pure.
 */
export function scaleUpErrorFilter(project: string): string {
  return [
    `logName="projects/${project}/logs/container.googleapis.com%2Fcluster-autoscaler-visibility"`,
    'jsonPayload.resultInfo.results.errorMsg.messageId:"scale.up.error"',
  ].join(" AND ");
}

/**
 * Cloud Monitoring alerts the operator of a production stack needs: the database replica falling behind (its lag is
 * the recovery point after a region loss) and the autoscaler failing to add nodes (quotas, stock-outs: workspaces then
 * stay pending).
 */
export class GcpAlerts extends pulumi.ComponentResource {
  constructor(name: string, args: GcpAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Alerts", name, {}, opts);
    const channels = args.emails.map(
      (email, index) =>
        new gcp.monitoring.NotificationChannel(
          `${name}-email-${index}`,
          { project: args.project, type: "email", displayName: `Gitpod alerts: ${email}`, labels: { email_address: email } },
          { parent: this },
        ).name,
    );
    if (args.databaseReplica) {
      new gcp.monitoring.AlertPolicy(
        `${name}-replica-lag`,
        {
          project: args.project,
          displayName: "Gitpod: Cloud SQL replica lag",
          combiner: "OR",
          conditions: [
            {
              displayName: `replica lag above ${args.replicaLagSeconds} s`,
              conditionThreshold: {
                filter: args.databaseReplica.name.apply((replica) => replicaLagFilter(args.project, replica)),
                comparison: "COMPARISON_GT",
                thresholdValue: args.replicaLagSeconds,
                duration: "300s",
                aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
              },
            },
          ],
          notificationChannels: channels,
        },
        { parent: this },
      );
    }
    new gcp.monitoring.AlertPolicy(
      `${name}-scale-up`,
      {
        project: args.project,
        displayName: "Gitpod: GKE node pool scale-up failed",
        combiner: "OR",
        conditions: [{ displayName: "cluster autoscaler scale-up error", conditionMatchedLog: { filter: scaleUpErrorFilter(args.project) } }],
        // Log-match alerts need a rate limit: one notification per hour is enough for a quota problem.
        alertStrategy: { notificationRateLimit: { period: "3600s" }, autoClose: "86400s" },
        notificationChannels: channels,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
