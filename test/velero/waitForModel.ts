/**
 * How pulumi-kubernetes decides that a `pulumi.com/waitFor: jsonpath=...` annotation is satisfied, for the subset of
 * RFC 9535 the program uses (member names and bracketed name lists): the expression inside `{}` is a JSONPath from
 * `$`, and without `=value` it is satisfied once it selects anything (provider/pkg/jsonpath/jsonpath.go, Matches).
 */
export function waitForSatisfied(annotation: string, object: Record<string, unknown>): boolean {
  const match = /^jsonpath=\{(.*)\}$/.exec(annotation);
  if (!match || match[1].includes("=")) throw new Error(`not a value-less jsonpath waitFor: ${annotation}`);
  let nodes: unknown[] = [object];
  for (const [, member, names] of match[1].matchAll(/\.([A-Za-z0-9_]+)|\[([^\]]+)\]/g)) {
    const selectors = member !== undefined ? [member] : names.split(",").map((name) => name.trim().replace(/^'(.*)'$/, "$1"));
    nodes = nodes.flatMap((node) =>
      typeof node === "object" && node !== null && !Array.isArray(node)
        ? selectors.filter((name) => name in node).map((name) => (node as Record<string, unknown>)[name])
        : [],
    );
  }
  return nodes.length > 0;
}
