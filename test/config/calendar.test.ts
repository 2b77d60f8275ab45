import { parseStackConfig } from "../../config";
import { defaultKubernetesVersion } from "../../config/sections";
import { databaseDefaults } from "../../config/cloudDefaults";
import { kubernetesCalendars, mysqlCalendars } from "../../config/validate/facts";
import { committedStacks, readStackFile } from "../../scripts/plan/stackFile";
import { configValues, minimalAwsConfig, minimalAzureConfig, minimalGcpConfig } from "../helpers";
import { problemsOf } from "./validation";
import { checkVersions } from "../../config/validate/calendar";

const day = (date: string) => new Date(`${date}T00:00:00Z`);

describe("the version calendar (facts/calendar)", () => {
  it("has today's default Kubernetes version in standard support on GKE, EKS and AKS (fails when the calendar moves on: bump the default)", () => {
    const now = new Date();
    for (const [service, calendar] of Object.entries(kubernetesCalendars)) {
      const window = calendar.versions[defaultKubernetesVersion];
      expect({ service, inStandard: window !== undefined && now < day(window.endOfStandard) }).toEqual({ service, inStandard: true });
    }
  });

  it("knows every default MySQL version, and every cloud's MySQL majors Gitpod 2022.11 runs on", () => {
    const service = { gcp: "cloudsql", aws: "rds", azure: "azure-mysql" } as const;
    for (const cloud of ["gcp", "aws", "azure"] as const) {
      expect(Object.keys(mysqlCalendars[service[cloud]].versions)).toEqual(expect.arrayContaining(["5.7", "8.0", databaseDefaults[cloud].version]));
    }
  });

  it("accepts every committed stack at today's date", () => {
    for (const stack of committedStacks()) {
      expect(() => parseStackConfig(readStackFile(stack).values, { stack })).not.toThrow();
    }
  });

  it("warns within 90 days of the end of standard support, not before", () => {
    const warnings: string[] = [];
    const config = configValues({ ...minimalGcpConfig, cluster: { kubernetesVersion: "1.34" } });
    parseStackConfig(config, { today: day("2026-09-15"), onWarning: (w) => warnings.push(w) });
    expect(warnings.filter((w) => w.startsWith("cluster."))).toEqual(["cluster.kubernetesVersion 1.34: GKE standard support ends on 2026-10-01, in 16 days: plan the upgrade"]);
    warnings.length = 0;
    parseStackConfig(config, { today: day("2026-06-01"), onWarning: (w) => warnings.push(w) });
    expect(warnings.filter((w) => w.startsWith("cluster."))).toEqual([]);
  });

  it("warns before the end of paid extended support too", () => {
    const warnings: string[] = [];
    const report = { problem: () => expect("no problem").toBe(""), warning: (w: string) => warnings.push(w) };
    const config = { cloud: "gcp" as const, cluster: { kubernetesVersion: "1.35", supportPlan: "extended" as const }, database: { version: "8.0", supportPlan: "extended" as const } };
    checkVersions(config, day("2028-01-01"), report);
    expect(warnings).toEqual([
      "cluster.kubernetesVersion 1.35: GKE extended support ends on 2028-02-11, in 41 days: plan the upgrade",
    ]);
    warnings.length = 0;
    checkVersions({ ...config, cloud: "aws" }, day("2029-05-15"), { ...report, problem: () => undefined });
    expect(warnings).toEqual([expect.stringContaining("database.version 8.0: RDS extended support ends on 2029-08-01, in 78 days")]);
  });

  it("refuses a version past the end of extended support even on the extended plan", () => {
    const config = { ...minimalAwsConfig, cluster: { kubernetesVersion: "1.33", supportPlan: "extended" } };
    expect(problemsOf(config, { today: day("2026-11-30") })).toEqual([]);
    expect(problemsOf(config, { today: day("2027-08-01") })).toEqual([expect.stringContaining("reached the end of EKS extended support on 2027-07-29")]);
  });

  it("refuses a version before the cloud offers it", () => {
    const config = { ...minimalAzureConfig, cluster: { kubernetesVersion: "1.37" } };
    expect(problemsOf(config, { today: day("2026-09-01") })).toEqual([expect.stringContaining("is not available on AKS before 2026-10-01")]);
  });
});
