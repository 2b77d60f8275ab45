import { ClusterSecretsKey, secretsKeyRotation } from "../../components/gcp/kms";
import { onlyResource, planComponent } from "../helpers";

describe("GKE Secrets encryption key", () => {
  it("is a rotated, protected Cloud KMS key that only GKE's service agent may use", async () => {
    const plan = await planComponent(() => void new ClusterSecretsKey("k", { project: "my-gitpod-project", region: "europe-west1", protect: true, stack: "prod" }));
    const ring = onlyResource(plan, "gcp:kms/keyRing:KeyRing");
    // Key rings are never deleted: a suffix kept in state lets a destroyed stack be created again.
    expect(ring.inputs.location).toBe("europe-west1");
    expect(ring.inputs.name).toMatch(/^gitpod-prod-keys-[0-9a-f]+$/);
    expect(onlyResource(plan, "random:index/randomId:RandomId").options.protect).toBe(true);
    // GKE's service agent is made to exist before it is granted the key.
    const agent = onlyResource(plan, "gcp:projects/serviceIdentity:ServiceIdentity");
    expect(agent.inputs).toMatchObject({ service: "container.googleapis.com" });
    expect(onlyResource(plan, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").dependencies).toContain(agent.urn);
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
