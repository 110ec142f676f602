import { Layer } from "effect"
import { ApiKeyStoreDrizzle } from "./ApiKeyStoreDrizzle.ts"
import { ContactStoreDrizzle } from "./ContactStoreDrizzle.ts"
import { Database, type DatabaseTarget } from "./Database.ts"
import { ExternalSourceStoreDrizzle } from "./ExternalSourceStoreDrizzle.ts"
import { ImportJobStoreDrizzle } from "./ImportJobStoreDrizzle.ts"
import { ImportLockDrizzle } from "./ImportLockDrizzle.ts"
import { ImportProfileStoreDrizzle } from "./ImportProfileStoreDrizzle.ts"
import { ImportStoreDrizzle } from "./ImportStoreDrizzle.ts"
import { JobFilesNode } from "./JobFilesNode.ts"
import { OrganizationStoreDrizzle } from "./OrganizationStoreDrizzle.ts"

export * from "./ApiKeyStoreDrizzle.ts"
export * from "./ContactStoreDrizzle.ts"
export * from "./Database.ts"
export * from "./ExternalSourceStoreDrizzle.ts"
export * from "./ImportJobStoreDrizzle.ts"
export * from "./ImportLockDrizzle.ts"
export * from "./ImportProfileStoreDrizzle.ts"
export * from "./ImportStoreDrizzle.ts"
export * from "./OrganizationStoreDrizzle.ts"

/**
 * Every store port on one database target, with the database itself, and the job files, which
 * removes deleted jobs' copies from `jobFilesFolder` (none without it).
 */
export const storesLayer = (target: DatabaseTarget, jobFilesFolder: string | null = null) =>
  Layer.mergeAll(
    ContactStoreDrizzle,
    OrganizationStoreDrizzle,
    ImportJobStoreDrizzle,
    ImportLockDrizzle,
    ImportProfileStoreDrizzle,
    ImportStoreDrizzle,
    ExternalSourceStoreDrizzle,
    ApiKeyStoreDrizzle,
    JobFilesNode(jobFilesFolder)
  ).pipe(Layer.provideMerge(Database.layer(target)))
export * from "./JobFilesNode.ts"
