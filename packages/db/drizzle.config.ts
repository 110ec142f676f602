import { defineConfig } from "drizzle-kit"

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/DbSchema.ts",
  out: "./drizzle"
})
