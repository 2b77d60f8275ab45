import { backupRetentionDaysOf, gkeReleaseChannelOf } from "../../config/gcp";
import { configProblems, minimalGcpConfig } from "../helpers";
import { gcpConfig } from "./fixtures";

describe("GCP config: release channel, node version, key rotation, backup retention", () => {
  it("enrols in REGULAR by default, EXTENDED with the extended support plan, and refuses extended support elsewhere", () => {
    expect(gkeReleaseChannelOf(gcpConfig())).toBe("REGULAR");
    expect(gkeReleaseChannelOf(gcpConfig({ cluster: { supportPlan: "extended" } }))).toBe("EXTENDED");
    expect(gkeReleaseChannelOf(gcpConfig({ gcp: { ...(minimalGcpConfig.gcp as object), releaseChannel: "STABLE" } }))).toBe("STABLE");
    expect(configProblems({ ...minimalGcpConfig, cluster: { supportPlan: "extended" }, gcp: { ...(minimalGcpConfig.gcp as object), releaseChannel: "STABLE" } })).toEqual([
      expect.stringMatching(/gcp\.releaseChannel = "STABLE": must be EXTENDED/),
    ]);
    expect(configProblems({ ...minimalGcpConfig, gcp: { ...(minimalGcpConfig.gcp as object), releaseChannel: "UNSPECIFIED" } })[0]).toMatch(
      /gcp\.releaseChannel.*RAPID, REGULAR, STABLE, EXTENDED/,
    );
  });

  it("takes an exact node version no newer than the control plane and at most two minors older", () => {
    const gcp = (nodeVersion: string) => ({ ...minimalGcpConfig, cluster: { kubernetesVersion: "1.35" }, gcp: { ...(minimalGcpConfig.gcp as object), nodeVersion } });
    expect(gcpConfig({ cluster: { kubernetesVersion: "1.35" }, gcp: { ...(minimalGcpConfig.gcp as object), nodeVersion: "1.34.7-gke.1055000" } }).gcp.nodeVersion).toBe(
      "1.34.7-gke.1055000",
    );
    expect(configProblems(gcp("1.36.1-gke.100"))[0]).toMatch(/gcp\.nodeVersion.*never newer than cluster\.kubernetesVersion 1\.35/);
    expect(configProblems(gcp("1.32.1-gke.100"))[0]).toMatch(/gcp\.nodeVersion.*two minor versions older/);
    expect(configProblems(gcp("1.35"))[0]).toMatch(/gcp\.nodeVersion.*exact GKE version/);
  });

  it("turns the backup bucket's retention on in production with snapshot backups, covering Velero's TTL", () => {
    const snapshot = { velero: { volumeBackup: "snapshot" } };
    expect(backupRetentionDaysOf(gcpConfig(snapshot))).toBe(30);
    expect(backupRetentionDaysOf(gcpConfig({ ...snapshot, backup: { replicaRegion: "europe-west4", ttlHours: 1000 } }))).toBe(42);
    expect(backupRetentionDaysOf(gcpConfig())).toBeUndefined();
    expect(backupRetentionDaysOf(gcpConfig({ ...snapshot, environment: "development", backup: {} }))).toBeUndefined();
  });

  it("refuses a retention shorter than the TTL, kopia under a retention policy, and a lock without a policy", () => {
    const gcp = (backupRetention: object) => ({ ...(minimalGcpConfig.gcp as object), backupRetention });
    expect(configProblems({ ...minimalGcpConfig, velero: { volumeBackup: "snapshot" }, gcp: gcp({ days: 7 }) })[0]).toMatch(
      /gcp\.backupRetention\.days = 7: must cover backup\.ttlHours \(720 h\): at least 30 days/,
    );
    expect(configProblems({ ...minimalGcpConfig, gcp: gcp({ enabled: true }) })[0]).toMatch(/velero\.volumeBackup.*must be "snapshot".*kopia\.maintenance/);
    expect(configProblems({ ...minimalGcpConfig, gcp: gcp({ locked: true }) })[0]).toMatch(/gcp\.backupRetention\.locked.*needs a retention policy/);
  });

  it("names a key generation by date", () => {
    expect(gcpConfig().gcp.keyRotation).toBe("2026-01-01");
    expect(configProblems({ ...minimalGcpConfig, gcp: { ...(minimalGcpConfig.gcp as object), keyRotation: "soon" } })[0]).toMatch(/gcp\.keyRotation.*date/);
  });
});
