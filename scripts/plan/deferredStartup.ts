/**
 * @pulumi/pulumi requires npm's arborist and the TypeScript compiler when it starts, for closure serialisation and
 * the automation API, which the offline plan never uses: loading them was about 0.5 s, a fifth, of a plan's CPU time.
 * Imported before the SDK, this puts a stand-in for each into node's module cache that loads the real module the
 * moment anything touches it. jest has its own module registry: there test/lazy/ (jest.config.js) does the same.
 */
import Module from "module";
import { lazyProxy } from "../lazyProxy";

for (const name of ["@npmcli/arborist", "@pulumi/pulumi/typescript-shim"]) {
  const file = require.resolve(name);
  if (require.cache[file]) continue;
  let real: Record<PropertyKey, unknown> | undefined;
  const load = (): Record<PropertyKey, unknown> => {
    if (!real) {
      delete require.cache[file];
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real module, synchronously, on first use
      real = require(file) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const stub = new Module(file);
  stub.filename = file;
  stub.loaded = true;
  stub.exports = lazyProxy(load);
  require.cache[file] = stub;
}
