import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStackConfig } from "../../config";
import { readStackFile } from "../../scripts/plan/stackFile";
import { projectRoot } from "../../scripts/plan/stackFile";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(tmp, "Pulumi.yaml"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const valid = [
  "config:",
  "  gitpod-platform:cloud: gcp",
  "  gitpod-platform:environment: development",
  "  gitpod-platform:domain: gitpod.example.com",
  "  gitpod-platform:gcp:",
  "    project: my-gitpod-project",
  "    region: europe-west1",
  "  gitpod-platform:certificates:",
  "    acmeEmail: ops@example.com",
  "",
].join("\n");

function read(text: string) {
  fs.writeFileSync(path.join(tmp, "Pulumi.t.yaml"), text);
  return readStackFile("t", tmp);
}

describe("a stack file that is not valid YAML or not the right shape: one message with file, line and key", () => {
  test.each([
    ["a duplicate key", `${valid}  gitpod-platform:domain: other.example.com\n`, "Pulumi.t.yaml:10: not valid YAML at key gitpod-platform:domain: Map keys must be unique"],
    ["a tab", `${valid}  gitpod-platform:backup:\n\tschedule: x\n`, "Pulumi.t.yaml:11: not valid YAML at key schedule: Tabs are not allowed as indentation"],
    ["an unclosed bracket", `${valid}  gitpod-platform:gitpod: {logLevel: info\n`, /^Pulumi\.t\.yaml:1\d: not valid YAML at key gitpod-platform:gitpod: /],
    ["a list where a mapping is expected", "config:\n  - gitpod-platform:cloud: gcp\n", "Pulumi.t.yaml:2: config: must be a mapping of namespace:key to value"],
    ["a key outside config:", `${valid}gitpod-platform:domain: x.example.com\n`, "Pulumi.t.yaml:10: gitpod-platform:domain: a config key outside config:; indent it under config:"],
    ["a top-level key Pulumi does not know", `configs:\n  a: b\n`, /^Pulumi\.t\.yaml:1: configs: not a stack file setting/],
    ["a misspelt gitpod-platform prefix", `${valid}  gitpod-platfrom:domain: x.example.com\n`, "Pulumi.t.yaml:10: gitpod-platfrom:domain: unknown namespace gitpod-platfrom: likely a typo of gitpod-platform"],
    ["another close misspelling", `${valid}  gitpodplatform:domain: x.example.com\n`, /likely a typo of gitpod-platform/],
    ["a key without namespace", `${valid}  domain: x.example.com\n`, "Pulumi.t.yaml:10: domain: config keys are namespace:key, such as gitpod-platform:domain"],
  ])("%s", (_what, text, message) => {
    expect(() => read(text)).toThrow(message);
  });

  test("provider namespaces are not taken for typos", () => {
    expect(read(`${valid}  gcp:project: my-gitpod-project\n  kubernetes:enableServerSideApply: "true"\n`).values["gcp:project"]).toBe("my-gitpod-project");
  });
});

describe("a secure: value plans offline", () => {
  test("the stand-in of gitpod.databaseEncryptionKey is base64 of 32 bytes, so the config validates", () => {
    const { values, secretKeys } = read(`${valid}  gitpod-platform:gitpod:\n    databaseEncryptionKey:\n      secure: v1:AAAA\n`);
    expect(secretKeys).toEqual(["gitpod-platform:gitpod"]);
    const key = JSON.parse(values["gitpod-platform:gitpod"]).databaseEncryptionKey as string;
    expect(Buffer.from(key, "base64")).toHaveLength(32);
    // Every MySQL major Gitpod 2022.11 runs on is past standard support today (facts/calendar/mysql.json).
    expect(() => parseStackConfig({ ...values, "gitpod-platform:database": JSON.stringify({ supportPlan: "extended" }) })).not.toThrow();
  });

  test("a secret without a format rule keeps a text stand-in that names its key", () => {
    const text = `${valid}  gitpod-platform:gitpod:\n    authProviders:\n      - id: Public-GitHub\n        host: github.com\n        type: GitHub\n        clientId: abc\n        clientSecret:\n          secure: v1:AAAA\n`;
    const { values } = read(text);
    expect(JSON.parse(values["gitpod-platform:gitpod"]).authProviders[0].clientSecret).toBe("offline-placeholder-for-gitpod-platform-gitpod-authProviders-0-clientSecret");
  });
});
