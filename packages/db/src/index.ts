import { Layer } from "effect"
import { ContactStoreDrizzle } from "./ContactStoreDrizzle.ts"
import { Database, type DatabaseTarget } from "./Database.ts"
import { ImportJobStoreDrizzle } from "./ImportJobStoreDrizzle.ts"
import { ImportLockDrizzle } from "./ImportLockDrizzle.ts"
import { ImportStoreDrizzle } from "./ImportStoreDrizzle.ts"
import { OrganizationStoreDrizzle } from "./OrganizationStoreDrizzle.ts"

export * from "./ContactStoreDrizzle.ts"
export * from "./Database.ts"
export * from "./ImportJobStoreDrizzle.ts"
export * from "./ImportLockDrizzle.ts"
export * from "./ImportStoreDrizzle.ts"
export * from "./OrganizationStoreDrizzle.ts"

/** Every store port on one database target, with the database itself. */
export const storesLayer = (target: DatabaseTarget) =>
  Layer.mergeAll(
    ContactStoreDrizzle,
    OrganizationStoreDrizzle,
    ImportJobStoreDrizzle,
    ImportLockDrizzle,
    ImportStoreDrizzle
  ).pipe(Layer.provideMerge(Database.layer(target)))
