/**
 * A module that is loaded on first use instead of when required. @pulumi/pulumi requires npm's arborist and the
 * TypeScript compiler when it starts, for closure serialisation and the automation API, which this program never
 * uses. Loading them costs about a second of CPU in every jest suite (jest gives each suite its own module registry
 * and compiles every module again), so jest.config.js maps them here; code that does use them gets the real module.
 */
const { lazyProxy } = require("../../scripts/lazyProxy");

module.exports = function lazyModule(realPath) {
  let real;
  return lazyProxy(() => (real ??= require(realPath)));
};
