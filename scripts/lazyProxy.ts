/**
 * An object that stands for a module and loads it the moment anything touches it: @pulumi/pulumi requires npm's
 * arborist and the TypeScript compiler when it starts, which this program never uses. Used by the plan scripts
 * (plan/deferredStartup.ts) and by jest (test/lazy/lazyModule.js).
 */
export function lazyProxy(load: () => Record<PropertyKey, unknown>): Record<PropertyKey, unknown> {
  return new Proxy(
    {},
    {
      // Marked as an ES module so that the `__importStar` helper of compiled code passes it through without reading its keys.
      get: (_, key) => (key === "__esModule" ? true : load()[key]),
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}
