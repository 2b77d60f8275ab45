import * as YAML from "yaml";
import { withKubeloginMode } from "../../providers/azure";

const aksExecKubeconfig = YAML.stringify({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "c", cluster: { server: "https://c.hcp.westeurope.azmk8s.io:443", "certificate-authority-data": "Y2E=" } }],
  contexts: [{ name: "c", context: { cluster: "c", user: "clusterUser_rg_c" } }],
  "current-context": "c",
  users: [
    {
      name: "clusterUser_rg_c",
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "kubelogin",
          args: ["get-token", "--environment", "AzurePublicCloud", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630", "--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a", "--tenant-id", "t", "--login", "devicecode"],
        },
      },
    },
    { name: "other", user: { token: "keep-me" } },
  ],
});

describe("withKubeloginMode", () => {
  it("switches kubelogin from devicecode to azure CLI login, keeping server and tenant", () => {
    const doc = YAML.parse(withKubeloginMode(aksExecKubeconfig, "azurecli"));
    expect(doc.users[0].user.exec.args).toEqual(["get-token", "--environment", "AzurePublicCloud", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630", "--tenant-id", "t", "--login", "azurecli"]);
    expect(doc.users[1].user).toEqual({ token: "keep-me" });
    expect(doc.clusters).toEqual(YAML.parse(aksExecKubeconfig).clusters);
  });

  it("supports CI logins and keeps the CLI client for devicecode", () => {
    expect(YAML.parse(withKubeloginMode(aksExecKubeconfig, "workloadidentity")).users[0].user.exec.args.slice(-2)).toEqual(["--login", "workloadidentity"]);
    const device = YAML.parse(withKubeloginMode(aksExecKubeconfig, "devicecode")).users[0].user.exec.args;
    expect(device).toContain("--client-id");
    expect(device.filter((a: string) => a === "--login")).toHaveLength(1);
  });

  it("handles --login=mode and is idempotent", () => {
    const inline = aksExecKubeconfig.replace("- --login\n          - devicecode", "- --login=devicecode");
    const once = withKubeloginMode(inline, "spn");
    expect(YAML.parse(once).users[0].user.exec.args.slice(-2)).toEqual(["--login", "spn"]);
    expect(withKubeloginMode(once, "spn")).toBe(once);
  });
});
