import { plainTextSecrets } from "../../config/validate/secrets";

describe("secrets in the stack file", () => {
  it("refuses a plain-text secret beside an encrypted one in the same section, naming its key", () => {
    const config = {
      "gitpod-platform:gitpod": {
        authProviders: [{ id: "github", clientId: "abc", clientSecret: "plain-text" }],
        license: { key: { secure: "v1:ciphertext" } },
      },
      "gitpod-platform:existing": { kubeconfig: { secure: "v1:x" }, dns01: { credentials: { token: "plain" } } },
    };
    expect(plainTextSecrets(config, "gitpod-platform")).toEqual([
      "gitpod-platform:gitpod.authProviders[0].clientSecret is a secret written in plain text in the stack file: encrypt it on its own with pulumi config set --secret --path 'gitpod.authProviders[0].clientSecret' <value>",
      expect.stringContaining("gitpod-platform:existing.dns01.credentials.token is a secret written in plain text"),
    ]);
  });

  it("accepts secrets each encrypted on its own, and plain values that are not secrets", () => {
    const config = {
      "gitpod-platform:gitpod": { authProviders: [{ id: "github", clientId: "abc", clientSecret: { secure: "v1:y" } }] },
      "gitpod-platform:azure": { registry: { tokenPassword: { secure: "v1:z" }, sku: "Premium" } },
      "other:password": "not ours",
    };
    expect(plainTextSecrets(config, "gitpod-platform")).toEqual([]);
  });
});
