/** The page's bundled script and stylesheet, made by scripts/build.mjs and compiled into the CLI. */
declare module "virtual:web-assets" {
  const assets: { js: string; css: string };
  export default assets;
}
