import * as gcp from "../../providers/sdk/gcp";
import { GcpAlerts, replicaLagFilter, scaleUpErrorFilter } from "../../components/gcp/alerts";
import { committedPlan, resourcesOfType } from "../helpers";
import { planComponent } from "./fixtures";

const POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";

describe("GCP alerts", () => {
  it("watches the database replica's lag and the autoscaler's scale-up errors, and mails the configured addresses", async () => {
    const plan = await planComponent(() => {
      const replica = new gcp.sql.DatabaseInstance("replica", { name: "gitpod-prod-mysql-europe-west4", region: "europe-west4", databaseVersion: "MYSQL_8_0" });
      new GcpAlerts("a", { project: "my-gitpod-project", emails: ["ops@example.com"], databaseReplica: replica, replicaLagSeconds: 300 });
    });
    const policies = Object.fromEntries(resourcesOfType(plan, POLICY).map((p) => [p.name, p.inputs as Record<string, any>]));
    expect(policies["a-replica-lag"].conditions[0].conditionThreshold).toMatchObject({
      filter: replicaLagFilter("my-gitpod-project", "gitpod-prod-mysql-europe-west4"),
      comparison: "COMPARISON_GT",
      thresholdValue: 300,
    });
    expect(policies["a-scale-up"].conditions[0].conditionMatchedLog.filter).toBe(scaleUpErrorFilter("my-gitpod-project"));
    expect(policies["a-scale-up"].alertStrategy.notificationRateLimit).toEqual({ period: "3600s" });
    expect(resourcesOfType(plan, "gcp:monitoring/notificationChannel:NotificationChannel")[0].inputs).toMatchObject({
      type: "email",
      labels: { email_address: "ops@example.com" },
    });
  });

  it("exist in the prod stack and not in dev", async () => {
    expect(resourcesOfType(await committedPlan("prod"), POLICY).map((p) => p.name).sort()).toEqual(["prod-alerts-replica-lag", "prod-alerts-scale-up"]);
    expect(resourcesOfType(await committedPlan("dev"), POLICY)).toHaveLength(0);
  });
});

describe("GCP project APIs", () => {
  it("enable the IAM Credentials API Velero's plugin signs URLs with, and Cloud Monitoring for the alerts", async () => {
    const services = resourcesOfType(await committedPlan("prod"), "gcp:projects/service:Service").map((s) => s.inputs.service);
    expect(services).toEqual(expect.arrayContaining(["iamcredentials.googleapis.com", "monitoring.googleapis.com"]));
  });
});
