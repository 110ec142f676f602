export * from "./App.ts"
export * from "./Server.ts"
