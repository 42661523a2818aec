// The dashboard's page as the build compiles it into the CLI; unit tests of the server need none of it.
export default { js: "", css: "" };
