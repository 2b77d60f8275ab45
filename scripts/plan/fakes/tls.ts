import { CloudFakes } from "./types";
import { fakeSecretMarker } from "./random";

/**
 * Keys generated with @pulumi/tls get recognisable fake values offline: the private key carries the generated-secret
 * marker (so the tests prove it never appears in plain text), the fingerprint is shaped like ssh-keygen's.
 */
export const tlsFakes: CloudFakes = {
  outputs: {
    "tls:index/privateKey:PrivateKey": (inputs, name) => ({
      privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\n${fakeSecretMarker}-${name}\n-----END OPENSSH PRIVATE KEY-----\n`,
      privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${fakeSecretMarker}-${name}\n-----END PRIVATE KEY-----\n`,
      publicKeyOpenssh: `ssh-${String(inputs.algorithm).toLowerCase()} AAAA${Buffer.from(name).toString("base64")}\n`,
      publicKeyFingerprintSha256: `SHA256:${Buffer.from(`fake-${name}`).toString("base64").replace(/=+$/, "")}`,
    }),
  },
  calls: {},
};
