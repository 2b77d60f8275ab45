/** The `velero` and `restore` config sections: defaults, and bad inputs rejected with a message naming the key. */
import { ConfigError, parseStackConfig } from "../../config";
import { configValues } from "../helpers";

const base = {
  cloud: "gcp",
  environment: "development",
  domain: "gitpod.example.com",
  gcp: { project: "my-gitpod-project", region: "europe-west1" },
  certificates: { acmeEmail: "ops@example.com" },
};

function parse(extra: Record<string, unknown>) {
  return parseStackConfig(configValues({ ...base, ...extra }));
}

function problems(extra: Record<string, unknown>): string {
  try {
    parse(extra);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

test("defaults: file-system volume backup, a 60-minute restore timeout, no restore", () => {
  const config = parse({});
  expect(config.velero).toEqual({ volumeBackup: "fileSystem", restoreTimeoutMinutes: 60 });
  expect(config.restore).toBeUndefined();
});

test("velero settings and a restore source are read", () => {
  const config = parse({ velero: { volumeBackup: "snapshot", restoreTimeoutMinutes: 240 }, restore: { scheduleName: "gitpod" } });
  expect(config.velero).toEqual({ volumeBackup: "snapshot", restoreTimeoutMinutes: 240 });
  expect(config.restore).toEqual({ scheduleName: "gitpod", fromReplica: false, acceptPartialFailure: false });
});

test.each([
  [{ velero: { volumeBackup: "restic" } }, /gitpod-platform:velero\.volumeBackup = "restic": must be one of fileSystem, snapshot/],
  [{ velero: { restoreTimeoutMinutes: 2 } }, /gitpod-platform:velero\.restoreTimeoutMinutes = 2: must be from 5 to 1440/],
  [{ velero: { restoreTimeoutMinutes: 7.5 } }, /gitpod-platform:velero\.restoreTimeoutMinutes = 7\.5: must be a whole number/],
  [{ velero: { schedule: "0 * * * *" } }, /gitpod-platform:velero\.schedule: unknown key; allowed keys here: volumeBackup, restoreTimeoutMinutes/],
  [{ restore: { backupName: "b1", scheduleName: "gitpod" } }, /gitpod-platform:restore = .*set exactly one of backupName or scheduleName/],
  [{ restore: {} }, /gitpod-platform:restore = \{\}: set exactly one of backupName or scheduleName/],
  [{ restore: { backup: "b1" } }, /gitpod-platform:restore\.backup: unknown key/],
  [{ restore: { backupName: "Gitpod_Backup" } }, /gitpod-platform:restore\.backupName = "Gitpod_Backup": must be a Velero object name/],
  [{ restore: { scheduleName: "-gitpod" } }, /gitpod-platform:restore\.scheduleName = "-gitpod": must be a Velero object name/],
  [{ restore: { scheduleName: "" } }, /gitpod-platform:restore\.scheduleName = "": must be a Velero object name/],
  [{ restore: { scheduleName: "gitpod", fromReplica: "yes" } }, /gitpod-platform:restore\.fromReplica = "yes"/],
  [{ restore: { scheduleName: "gitpod", fromReplica: true } }, /gitpod-platform:restore\.fromReplica = true: has no replica to read on gcp/],
])("%j is rejected, naming the key", (extra, message) => {
  expect(problems(extra)).toMatch(message);
});

describe("restore.fromReplica", () => {
  const aws = {
    cloud: "aws",
    environment: "development",
    domain: "gitpod.example.com",
    aws: { region: "eu-west-1" },
    certificates: { acmeEmail: "ops@example.com" },
  };
  const awsProblems = (extra: Record<string, unknown>) => {
    try {
      parseStackConfig(configValues({ ...aws, ...extra }));
      return "";
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
  };

  test("is accepted on AWS with a replica region", () => {
    expect(awsProblems({ backup: { replicaRegion: "eu-central-1" }, restore: { backupName: "b1", fromReplica: true } })).toBe("");
    const config = parseStackConfig(configValues({ ...aws, backup: { replicaRegion: "eu-central-1" }, restore: { backupName: "b1", fromReplica: true } }));
    expect(config.restore).toEqual({ backupName: "b1", fromReplica: true, acceptPartialFailure: false });
  });

  test("the program reads the JSON value the recover command sets, and `pulumi config set --path` strings", () => {
    const viaJson = parseStackConfig({
      ...configValues({ ...aws, backup: { replicaRegion: "eu-central-1" } }),
      "gitpod-platform:restore": JSON.stringify({ scheduleName: "gitpod", fromReplica: true }),
    });
    expect(viaJson.restore).toEqual({ scheduleName: "gitpod", fromReplica: true, acceptPartialFailure: false });
    const viaPath = parseStackConfig(configValues({ ...aws, backup: { replicaRegion: "eu-central-1" }, restore: { scheduleName: "gitpod", fromReplica: "true" } }));
    expect(viaPath.restore).toEqual({ scheduleName: "gitpod", fromReplica: true, acceptPartialFailure: false });
  });

  test("needs backup.replicaRegion", () => {
    expect(awsProblems({ restore: { scheduleName: "gitpod", fromReplica: true } })).toMatch(
      /gitpod-platform:restore\.fromReplica = true: needs backup\.replicaRegion/,
    );
  });
});

