import { createHash } from "crypto";
import { readFileSync } from "fs";
import { rdsCaBundle, rdsCaBundleFile, rdsCaBundleFor, rdsCaBundleSha256, rdsCaRoots } from "../../components/aws/rdsCa";

/** The commercial regions whose RDS G1 roots the bundle holds (AWS's global bundle as retrieved, see rdsCa.ts). */
const regions = [
  "af-south-1",
  "ap-east-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
];

/**
 * SHA-256 fingerprints of the roots the committed stacks use (aws-prod in eu-west-1, its replica region eu-central-1),
 * recorded when the bundle was vendored: a replaced certificate changes them.
 */
const knownFingerprints: Record<string, string> = {
  "eu-west-1 RSA2048": "6F:7E:01:B6:2A:F2:40:58:41:71:30:B2:1E:5F:B9:AD:9F:29:B2:9C:77:5C:51:07:B6:57:41:90:10:97:58:86",
  "eu-west-1 RSA4096": "62:E2:9E:F9:03:10:94:7E:ED:5D:55:46:02:1D:63:60:08:FA:D3:29:FA:B9:EA:31:BA:1A:E7:68:B7:34:F2:9A",
  "eu-west-1 ECC384": "88:EC:F0:27:44:8F:71:98:F3:C1:A6:76:24:74:C4:65:8D:AB:35:A1:86:86:AF:6B:65:DE:3C:40:23:C6:D0:B2",
  "eu-central-1 RSA2048": "3D:8B:08:A7:39:0C:9B:10:D1:90:A6:B3:49:D7:03:AE:00:BA:E4:65:83:64:33:19:C7:FA:CC:F3:E5:DC:4A:8B",
};

describe("RDS CA bundle", () => {
  const roots = rdsCaRoots();

  it("is the committed file, byte for byte", () => {
    const bytes = readFileSync(rdsCaBundleFile);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(rdsCaBundleSha256);
    expect(rdsCaBundle).toBe(bytes.toString("utf8"));
  });

  it("holds the RSA2048, RSA4096 and ECC384 G1 roots of every commercial region, each once", () => {
    expect([...new Set(roots.map((r) => r.region))].sort()).toEqual(regions);
    for (const region of regions) {
      expect(roots.filter((r) => r.region === region).map((r) => r.algorithm)).toEqual(["RSA2048", "RSA4096", "ECC384"]);
    }
    expect(roots).toHaveLength(regions.length * 3);
    expect(new Set(roots.map((r) => r.certificate.fingerprint256)).size).toBe(roots.length);
    expect(rdsCaBundle.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(roots.length);
  });

  it.each(roots.map((r) => [`${r.region} ${r.algorithm}`, r] as const))("%s is a self-signed Amazon RDS root CA whose signature verifies", (_, root) => {
    const cert = root.certificate;
    expect(cert.subject).toBe(cert.issuer);
    expect(cert.subject.split("\n")).toEqual(expect.arrayContaining(["O=Amazon Web Services\\, Inc.", "OU=Amazon RDS"]));
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    const key = cert.publicKey;
    if (root.algorithm === "ECC384") expect(key.asymmetricKeyDetails).toMatchObject({ namedCurve: "secp384r1" });
    else expect(key.asymmetricKeyDetails?.modulusLength).toBe(root.algorithm === "RSA2048" ? 2048 : 4096);
  });

  it("is valid now and for decades: RSA2048 roots until 2061 or later, RSA4096 and ECC384 until 2121 or later", () => {
    const now = Date.now();
    for (const root of roots) {
      expect(new Date(root.certificate.validFrom).getTime()).toBeLessThan(now);
      const until = new Date(root.certificate.validTo).getUTCFullYear();
      expect(until).toBeGreaterThanOrEqual(root.algorithm === "RSA2048" ? 2061 : 2121);
    }
  });

  it("matches the fingerprints recorded for it", () => {
    expect(Object.keys(knownFingerprints)).toHaveLength(4);
    for (const [name, fingerprint] of Object.entries(knownFingerprints)) {
      const [region, algorithm] = name.split(" ");
      expect(roots.find((r) => r.region === region && r.algorithm === algorithm)?.certificate.fingerprint256).toBe(fingerprint);
    }
  });

  it.each(regions)("gives an instance in %s its region's three roots only, small enough for one environment variable", (region) => {
    const pem = rdsCaBundleFor(region);
    expect(rdsCaRoots(pem).map((r) => `${r.region} ${r.algorithm}`)).toEqual([`${region} RSA2048`, `${region} RSA4096`, `${region} ECC384`]);
    // Gitpod 2022.11 makes this PEM the env variable DB_CA_CERT; Linux caps one env string at 131,072 bytes
    // (MAX_ARG_STRLEN). The whole bundle is 146,968 bytes; a region's roots are under 8 KiB.
    expect(Buffer.byteLength(pem)).toBeLessThan(8 * 1024);
  });

  it("fails loudly for a region it does not cover", () => {
    expect(() => rdsCaBundleFor("us-gov-west-1")).toThrow(/no "Amazon RDS us-gov-west-1 Root CA RSA2048 G1"/);
    expect(() => rdsCaBundleFor("cn-north-1")).toThrow(/facts\/aws\/rds-ca-bundle\.pem/);
  });
});
