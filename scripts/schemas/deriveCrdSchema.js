// Derives <kind>.<version>.schema.json from a CRD YAML exactly as facts/schemas/README.md describes: the
// openAPIV3Schema of the storage version (which must also be served), parsed with the `yaml` package and written
// with JSON.stringify(schema, null, 2) and a trailing newline; nothing added, removed or reordered.
//   node scripts/schemas/deriveCrdSchema.js <crd.yaml> <out dir>   prints the file it wrote
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

const [crdFile, outDir] = process.argv.slice(2);
if (!crdFile || !outDir) {
  console.error("usage: node scripts/schemas/deriveCrdSchema.js <crd.yaml> <out dir>");
  process.exit(2);
}
const crd = YAML.parse(fs.readFileSync(crdFile, "utf8"));
const storage = (crd.spec.versions || []).filter((v) => v.storage === true);
if (storage.length !== 1 || !storage[0].served) {
  console.error(`${crdFile}: expected exactly one storage version that is also served`);
  process.exit(1);
}
const out = path.join(outDir, `${crd.spec.names.kind.toLowerCase()}.${storage[0].name}.schema.json`);
fs.writeFileSync(out, JSON.stringify(storage[0].schema.openAPIV3Schema, null, 2) + "\n");
console.log(out);
