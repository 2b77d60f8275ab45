import { X509Certificate } from "crypto";
import { readFileSync } from "fs";
import { join } from "path";

/**
 * The Amazon RDS G1 root CAs of every commercial region, vendored as data with its provenance in facts/aws/README.md
 * (AWS's RDS global bundle without expired and Beta/Preview roots).
 */
export const rdsCaBundleFile = join(__dirname, "..", "..", "facts", "aws", "rds-ca-bundle.pem");

/** SHA-256 of `facts/aws/rds-ca-bundle.pem`, as committed. */
export const rdsCaBundleSha256 = "3ced6d7eabe6dfc5dbd2b68cc9655f47a342998b97e2db8688c4785a4e64d626";

/** The whole vendored bundle (all regions): never handed to Gitpod, see rdsCaBundleFor. */
export const rdsCaBundle: string = readFileSync(rdsCaBundleFile, "utf8");

/** One root of the bundle: its region and key algorithm, as its subject's CN names them. */
export interface RdsCaRoot {
  /** Region the root signs server certificates in, e.g. eu-west-1. */
  region: string;
  /** RSA2048 (rds-ca-rsa2048-g1), RSA4096 (rds-ca-rsa4096-g1) or ECC384 (rds-ca-ecc384-g1). */
  algorithm: "RSA2048" | "RSA4096" | "ECC384";
  /** The certificate. */
  certificate: X509Certificate;
  /** The certificate as it stands in the bundle (PEM). */
  pem: string;
}

const rootName = /^Amazon RDS ([a-z]{2}-[a-z]+-\d) Root CA (RSA2048|RSA4096|ECC384) G1$/;

/** The bundle's certificates, parsed; a certificate whose CN is not an RDS G1 root name fails loudly. */
export function rdsCaRoots(bundle: string = rdsCaBundle): RdsCaRoot[] {
  const pems = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return pems.map((pem) => {
    const certificate = new X509Certificate(pem);
    const cn = certificate.subject.split("\n").find((line) => line.startsWith("CN="))?.slice(3) ?? "";
    const match = rootName.exec(cn);
    if (!match) throw new Error(`rds-ca-bundle.pem: "${cn}" is not an Amazon RDS G1 root`);
    return { region: match[1], algorithm: match[2] as RdsCaRoot["algorithm"], certificate, pem };
  });
}

let parsedRoots: RdsCaRoot[] | undefined;

/** The vendored bundle's roots, parsed once per process: parsing its 96 certificates takes about 70 ms, and every AWS plan asks. */
function vendoredRoots(): RdsCaRoot[] {
  return (parsedRoots ??= rdsCaRoots());
}

/**
 * The CA bundle Gitpod verifies an RDS instance in `region` with: that region's three G1 roots only (what AWS's
 * per-region bundle holds), about 4.6 KB, so that switching the instance's `caCertIdentifier` between the G1 CAs
 * keeps working. Never the whole bundle: Gitpod 2022.11 puts this PEM into the environment variable DB_CA_CERT of
 * every database client (installer `common.DatabaseEnv`), and Linux refuses an environment string over 131,072 bytes.
 * The instance pins `rds-ca-rsa2048-g1`, so the region's RSA2048 root must be there: GovCloud and China sign with
 * other roots and a region newer than the bundle has none; there Gitpod could not verify the server, which refuses
 * plain connections, so the plan fails instead.
 */
export function rdsCaBundleFor(region: string, roots: RdsCaRoot[] = vendoredRoots()): string {
  const mine = roots.filter((root) => root.region === region);
  if (!mine.some((root) => root.algorithm === "RSA2048")) {
    throw new Error(
      `RDS requires TLS, but facts/aws/rds-ca-bundle.pem has no "Amazon RDS ${region} Root CA RSA2048 G1": ` +
        "add the region's G1 roots from AWS's RDS global bundle (see facts/aws/README.md)",
    );
  }
  return `${mine.map((root) => root.pem).join("\n")}\n`;
}
