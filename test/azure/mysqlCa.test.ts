import { X509Certificate } from "crypto";
import { mysqlCaBundle, mysqlCaRoots } from "../../components/azure/mysqlCa";

describe("MySQL CA bundle", () => {
  it.each(mysqlCaRoots.map((root) => [root.name, root] as const))("%s is the self-signed root its fingerprint names", (name, root) => {
    const cert = new X509Certificate(root.pem);
    expect(cert.subject).toContain(`CN=${name}`);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.ca).toBe(true);
    expect(cert.fingerprint256).toBe(root.sha256);
  });

  it("holds the three roots Azure asks clients to trust across the rotation", () => {
    expect(mysqlCaRoots.map((r) => r.name)).toEqual([
      "DigiCert Global Root CA",
      "DigiCert Global Root G2",
      "Microsoft RSA Root Certificate Authority 2017",
    ]);
    expect(mysqlCaBundle.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3);
  });
});
