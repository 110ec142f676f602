/**
 * The direction of the hexagon: apps -> packages/db -> packages/domain. The domain does no I/O:
 * it may import effect and small pure libraries only.
 */
module.exports = {
  forbidden: [
    {
      name: "domain-stays-pure",
      comment: "packages/domain imports effect and pure libraries, never adapters, apps or I/O",
      severity: "error",
      from: { path: "^packages/domain" },
      to: {
        path: [
          "^packages/db",
          "^apps/",
          "node_modules/(drizzle-orm|@electric-sql|pg|hono|@hono|@effect/platform-node)/"
        ]
      }
    },
    {
      name: "domain-no-node-io",
      comment: "the domain reads no files, opens no sockets and spawns nothing",
      severity: "error",
      from: { path: "^packages/domain" },
      to: {
        dependencyTypes: ["core"],
        path: "^(node:)?(fs|fs/promises|net|http|https|child_process|dgram|dns|tls|worker_threads|os)$"
      }
    },
    {
      name: "db-below-apps",
      comment: "adapters never reach up into the apps",
      severity: "error",
      from: { path: "^packages/db" },
      to: { path: "^apps/" }
    },
    {
      name: "api-independent-of-cli",
      comment: "the CLI may start the API; the API never depends on the CLI",
      severity: "error",
      from: { path: "^apps/api" },
      to: { path: "^apps/cli" }
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    preserveSymlinks: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".json"]
    }
  }
}
