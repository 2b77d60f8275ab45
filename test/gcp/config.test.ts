import { parseStackConfig } from "../../config";
import { gkeReleaseChannelOf } from "../../config/gcp";
import { configProblems, configValues, minimalGcpConfig } from "../helpers";
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

  it("locks the backup bucket in production with snapshot backups for Velero's TTL; not under kopia, and says so", () => {
    const snapshot = { velero: { volumeBackup: "snapshot" } };
    expect(gcpConfig(snapshot).backup).toMatchObject({ lockDays: 30, lockMode: "governance" });
    expect(gcpConfig({ ...snapshot, backup: { replicaRegion: "europe-west4", ttlHours: 1000 } }).backup.lockDays).toBe(42);
    expect(gcpConfig({ ...snapshot, environment: "development", backup: {} }).backup.lockDays).toBe(0);
    const lockWarnings = (config: Record<string, unknown>) => {
      const warnings: string[] = [];
      const parsed = parseStackConfig(configValues(config), { onWarning: (message) => warnings.push(message) });
      return { lockDays: parsed.backup.lockDays, warnings: warnings.filter((w) => w.includes("lockDays")) };
    };
    // minimalGcpConfig keeps velero.volumeBackup at its default, fileSystem (kopia).
    expect(lockWarnings(minimalGcpConfig)).toEqual({
      lockDays: 0,
      warnings: [expect.stringMatching(/backup\.lockDays defaults to 0 on GCP with velero\.volumeBackup fileSystem: the backup bucket is NOT locked.*kopia\.maintenance/)],
    });
    expect(lockWarnings({ ...minimalGcpConfig, ...snapshot })).toEqual({ lockDays: 30, warnings: [] });
    expect(lockWarnings({ ...minimalGcpConfig, backup: { replicaRegion: "europe-west4", lockDays: 0 } })).toEqual({ lockDays: 0, warnings: [] });
  });

  it("refuses a lock under kopia file-system backups, naming backup.lockDays and velero.volumeBackup", () => {
    expect(configProblems({ ...minimalGcpConfig, backup: { replicaRegion: "europe-west4", lockDays: 30 } })).toEqual([
      expect.stringMatching(/^gitpod-platform:backup\.lockDays = 30: must be 0 on GCP while velero\.volumeBackup is fileSystem: .*kopia\.maintenance/),
    ]);
    expect(configProblems({ ...minimalGcpConfig, velero: { volumeBackup: "snapshot" }, backup: { replicaRegion: "europe-west4", lockDays: 7 } })).toEqual([
      expect.stringContaining("gitpod-platform:backup.ttlHours = 720 (the default): must be at most backup.lockDays x 24 = 168"),
    ]);
    expect(configProblems({ ...minimalGcpConfig, gcp: { ...(minimalGcpConfig.gcp as object), backupRetention: { days: 30 } } })[0]).toMatch(
      /gcp\.backupRetention: unknown key/,
    );
  });

  it("names a key generation by date", () => {
    expect(gcpConfig().gcp.keyRotation).toBe("2026-01-01");
    expect(configProblems({ ...minimalGcpConfig, gcp: { ...(minimalGcpConfig.gcp as object), keyRotation: "soon" } })[0]).toMatch(/gcp\.keyRotation.*date/);
  });
});
