#!/usr/bin/env node
import { enableCompileCache } from "node:module"

// Compiled code is cached between runs, so that a command starts quickly on the next call.
enableCompileCache()
await import("./main.ts")
