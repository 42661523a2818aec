/**
 * Node's modules that its start-up has not loaded and that take time to load (crypto ~2 ms with the
 * streams it brings, child_process ~1 ms, readline, net…).
 */
const LOADED_AT_FIRST_USE = new Set(["crypto", "child_process", "readline", "readline/promises", "fs/promises", "net", "tls", "http", "https", "dns"]);

/**
 * `require` for the bundle, where these modules are loaded at the first use of one of their members,
 * so that a command loads only what it uses: validate hashes nothing and spawns nothing, yet the
 * modules it is made of import both. (The bundle reads an imported name when it uses it, never before.)
 */
export function requireLazily(require: NodeJS.Require): (id: string) => unknown {
  return (id) => {
    const name = id.startsWith("node:") ? id.slice(5) : id;
    if (!LOADED_AT_FIRST_USE.has(name)) return require(id);
    let loaded: Record<PropertyKey, unknown> | undefined;
    const real = () => (loaded ??= require(id) as Record<PropertyKey, unknown>);
    return new Proxy(
      {},
      {
        get: (_, key) => real()[key],
        has: (_, key) => key in real(),
        ownKeys: () => Reflect.ownKeys(real()),
        // A proxy may not report a member its target lacks as unconfigurable.
        getOwnPropertyDescriptor: (_, key) => {
          const found = Object.getOwnPropertyDescriptor(real(), key);
          return found && { ...found, configurable: true };
        },
      },
    );
  };
}
