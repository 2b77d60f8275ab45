import { ClusterSecretsKey, secretsKeyRotation } from "../../components/gcp/kms";
import { onlyResource, planComponent } from "../helpers";

describe("GKE Secrets encryption key", () => {
  it("is a rotated, protected Cloud KMS key that only GKE's service agent may use", async () => {
    const plan = await planComponent(() => void new ClusterSecretsKey("k", { project: "my-gitpod-project", region: "europe-west1", protect: true, stack: "prod" }));
    const ring = onlyResource(plan, "gcp:kms/keyRing:KeyRing");
    expect(ring.inputs).toMatchObject({ location: "europe-west1", name: "gitpod-prod-keys" });
    const key = onlyResource(plan, "gcp:kms/cryptoKey:CryptoKey");
    expect(key.inputs).toMatchObject({ purpose: "ENCRYPT_DECRYPT", rotationPeriod: secretsKeyRotation });
    expect([ring.options.protect, key.options.protect]).toEqual([true, true]);
    expect(onlyResource(plan, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").inputs).toEqual(
      expect.objectContaining({
        role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        member: "serviceAccount:service-100000000001@container-engine-robot.iam.gserviceaccount.com",
      }),
    );
  });

  it("is not protected in development", async () => {
    const plan = await planComponent(() => void new ClusterSecretsKey("k", { project: "my-gitpod-project", region: "europe-west1", protect: false, stack: "dev" }));
    expect(onlyResource(plan, "gcp:kms/cryptoKey:CryptoKey").options.protect).toBe(false);
  });
});
