/** IPv4 CIDR maths for the config checks and the network components (pure). */

export function parseCidr(cidr: string): { base: number; prefix: number } {
  const [address, prefixText] = cidr.split("/");
  const prefix = Number(prefixText);
  const value = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  return { base: value - (value % size), prefix };
}

export function cidrPrefix(cidr: string): number {
  return parseCidr(cidr).prefix;
}

function cidrRange(cidr: string): [number, number] {
  const { base, prefix } = parseCidr(cidr);
  return [base, base + 2 ** (32 - prefix) - 1];
}

/** True when inner lies entirely inside outer. */
export function cidrContains(outer: string, inner: string): boolean {
  const [outerStart, outerEnd] = cidrRange(outer);
  const [innerStart, innerEnd] = cidrRange(inner);
  return innerStart >= outerStart && innerEnd <= outerEnd;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const [aStart, aEnd] = cidrRange(a);
  const [bStart, bEnd] = cidrRange(b);
  return aStart <= bEnd && bStart <= aEnd;
}

/** The n-th address of a CIDR block, e.g. the cluster DNS service address (n = 10). */
export function nthAddress(cidr: string, n: number): string {
  const value = parseCidr(cidr).base + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}
