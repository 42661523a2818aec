import pkg from "../package.json" with { type: "json" };

/** cloudsync's version, as package.json gives it. */
export const VERSION: string = pkg.version;
