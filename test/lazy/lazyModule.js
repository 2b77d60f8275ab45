/**
 * A module that is loaded on first use instead of when required. @pulumi/pulumi requires npm's arborist and the
 * TypeScript compiler when it starts, for closure serialisation and the automation API, which this program never
 * uses. Loading them costs about a second of CPU in every jest suite (jest gives each suite its own module registry
 * and compiles every module again), so jest.config.js maps them here; code that does use them gets the real module.
 */
module.exports = function lazyModule(realPath) {
  let real;
  const load = () => (real ??= require(realPath));
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
};
