const path = require("path");
module.exports = require("./lazyModule")(path.join(__dirname, "..", "..", "node_modules", "@pulumi", "pulumi", "typescript-shim.js"));
