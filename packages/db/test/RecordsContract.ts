import { assert, layer } from "@effect/vitest"
import {
  ApiKeyStore,
  type ContactId,
  ContactStore,
  createContact,
  createOrganization,
  IdGenerator,
  type ImportProfileStore,
  OrganizationStore,
  updateContact,
  updateOrganization
} from "@xcontacts/domain"
import { Effect, Layer, Option } from "effect"

type RecordStores = Layer.Layer<
  ContactStore | OrganizationStore | ApiKeyStore | ImportProfileStore,
  unknown
>

const phone = { raw: "+442079460000", e164: "+442079460000", display: null, country: "GB" }

/**
 * What updating and deleting records and keeping API keys promise, whatever store is behind
 * them (ADR 0500). The in-memory fake and every database adapter run this same suite.
 */
export const recordsContract = (name: string, stores: RecordStores) =>
  layer(Layer.merge(stores, IdGenerator.layer), { timeout: 60_000 })(
    `records and keys on ${name}`,
    (it) => {
      it.effect("updates a contact's fields and link, keeping id, division and External IDs", () =>
        Effect.gen(function* () {
          const organization = yield* createOrganization({
            division: "d-up",
            fields: { name: "Acme" }
          })
          const created = yield* createContact({
            division: "d-up",
            fields: { firstName: "Ada", workEmail: "ada@example.org" },
            externalIds: [{ source: "crm", externalId: "U-1" }]
          })
          const updated = yield* updateContact(created, {
            fields: { firstName: "Ada B.", workPhone: { ...phone, extension: null } },
            organizationId: organization.id
          })
          const stored = yield* ContactStore.use((store) => store.get(created.id))
          assert.deepStrictEqual(Option.getOrNull(stored), updated)
          assert.strictEqual(updated.firstName, "Ada B.")
          assert.strictEqual(updated.organizationId, organization.id)
          const byPhone = yield* ContactStore.use((store) =>
            store.list({ phone: "+442079460000", divisions: ["d-up"], limit: 10 })
          )
          assert.deepStrictEqual(
            byPhone.map((contact) => contact.id),
            [created.id]
          )
          const elsewhere = yield* ContactStore.use((store) =>
            store.list({ phone: "+442079460000", divisions: ["other"], limit: 10 })
          )
          assert.strictEqual(elsewhere.length, 0)
        })
      )

      it.effect("deletes a contact with its External IDs, so the ID is free again", () =>
        Effect.gen(function* () {
          const created = yield* createContact({
            division: "d-del",
            fields: { lastName: "Gone" },
            externalIds: [{ source: "crm", externalId: "D-1" }]
          })
          assert.isTrue(yield* ContactStore.use((store) => store.remove(created.id)))
          assert.isFalse(yield* ContactStore.use((store) => store.remove(created.id)))
          assert.isTrue(Option.isNone(yield* ContactStore.use((store) => store.get(created.id))))
          const again = yield* createContact({
            division: "d-del",
            fields: {},
            externalIds: [{ source: "crm", externalId: "D-1" }]
          })
          const found = yield* ContactStore.use((store) =>
            store.list({ externalId: "D-1", source: "crm", limit: 10 })
          )
          assert.deepStrictEqual(
            found.map((contact) => contact.id),
            [again.id]
          )
          assert.isFalse(
            yield* ContactStore.use((store) =>
              store.update({ ...created, id: "ct_missing" as ContactId })
            )
          )
        })
      )

      it.effect("deletes an organization and unlinks its contacts, which stay", () =>
        Effect.gen(function* () {
          const organization = yield* createOrganization({
            division: "d-org",
            fields: { name: "Old Name" }
          })
          yield* OrganizationStore.use((store) =>
            store.assignExternalId({
              organizationId: organization.id,
              source: "crm",
              externalId: "O-1"
            })
          )
          const renamed = yield* updateOrganization(organization, { name: "New Name" })
          const stored = yield* OrganizationStore.use((store) => store.get(organization.id))
          assert.strictEqual(Option.getOrNull(stored)?.name, "New Name")
          assert.deepStrictEqual(Option.getOrNull(stored)?.externalIds, [
            { source: "crm", externalId: "O-1" }
          ])
          assert.strictEqual(Option.getOrNull(stored)?.updatedAt, renamed.updatedAt)
          const member = yield* createContact({ division: "d-org", fields: { firstName: "M" } })
          yield* updateContact(member, { fields: {}, organizationId: organization.id })

          assert.isTrue(yield* OrganizationStore.use((store) => store.remove(organization.id)))
          const unlinked = yield* ContactStore.use((store) => store.get(member.id))
          assert.strictEqual(Option.getOrNull(unlinked)?.organizationId, null)
          const byKey = yield* OrganizationStore.use((store) =>
            store.list({ externalId: "O-1", limit: 10 })
          )
          assert.strictEqual(byKey.length, 0)
        })
      )

      it.effect("finds an API key by its hash, lists it and revokes it", () =>
        Effect.gen(function* () {
          const keys = yield* ApiKeyStore
          const key = {
            id: "key_c1",
            name: "ci",
            divisions: ["east"],
            createdAt: "2026-01-02T03:04:05.000Z",
            revokedAt: null
          }
          yield* keys.create(key, "hash-c1")
          assert.deepStrictEqual(Option.getOrNull(yield* keys.findByHash("hash-c1")), key)
          assert.isTrue(Option.isNone(yield* keys.findByHash("hash-other")))
          assert.isTrue(yield* keys.revoke("key_c1", "2026-01-03T00:00:00.000Z"))
          assert.isFalse(yield* keys.revoke("key_none", "2026-01-03T00:00:00.000Z"))
          const listed = (yield* keys.list).find((entry) => entry.id === "key_c1")
          assert.strictEqual(listed?.revokedAt, "2026-01-03T00:00:00.000Z")
        })
      )
    }
  )
