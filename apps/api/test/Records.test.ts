import { assert, describe, layer } from "@effect/vitest"
import { Validator } from "@seriousme/openapi-schema-validator"
import type { Contact, Organization } from "@xcontacts/domain"
import { Effect } from "effect"
import { serveApi } from "../src/index.ts"
import { newKey, request, TestStores, uploadDir, withKey } from "./TestServer.ts"

layer(TestStores, { timeout: 60_000 })("records through the HTTP API", (it) => {
  describe("contacts", () => {
    it.effect("creates, reads, changes and deletes a contact with exact stored values", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        const created = yield* request(
          port,
          "/v1/contacts",
          withKey(key, {
            method: "POST",
            json: {
              division: "crud",
              externalIds: [{ source: "crm", externalId: "P-100" }],
              firstName: "Mira",
              lastName: "Okafor",
              title: "Head of Repairs",
              workEmail: " Mira@Example.org ",
              workPhone: "020 7946 0000",
              phoneCountry: "GB",
              custom: { shoe: "42" }
            }
          })
        )
        assert.strictEqual(created.status, 201)
        const contact = created.json<Contact>()
        assert.deepStrictEqual(
          {
            division: contact.division,
            externalIds: contact.externalIds,
            firstName: contact.firstName,
            workEmail: contact.workEmail,
            workPhone: contact.workPhone,
            custom: contact.custom,
            organizationId: contact.organizationId
          },
          {
            division: "crud",
            externalIds: [{ source: "crm", externalId: "P-100" }],
            firstName: "Mira",
            workEmail: "Mira@Example.org",
            workPhone: {
              raw: "020 7946 0000",
              e164: "+442079460000",
              display: "+44 20 7946 0000",
              country: "GB",
              extension: null
            },
            custom: { shoe: "42" },
            organizationId: null
          }
        )
        const read = yield* request(port, `/v1/contacts/${contact.id}`, withKey(key))
        assert.deepStrictEqual(read.json(), contact)
        const byEmail = yield* request(port, "/v1/contacts?email=MIRA@example.org", withKey(key))
        assert.deepStrictEqual(
          byEmail.json<{ data: Array<Contact> }>().data.map((found) => found.id),
          [contact.id]
        )
        const taken = yield* request(
          port,
          "/v1/contacts",
          withKey(key, {
            method: "POST",
            json: { division: "crud", externalIds: [{ source: "crm", externalId: "P-100" }] }
          })
        )
        assert.strictEqual(taken.status, 409)

        const organization = (yield* request(
          port,
          "/v1/organizations",
          withKey(key, { method: "POST", json: { division: "crud", name: "Harbour Lights" } })
        )).json<Organization>()
        const patched = yield* request(
          port,
          `/v1/contacts/${contact.id}`,
          withKey(key, {
            method: "PATCH",
            json: { title: null, cellPhone: "+1 415 555 0199", organizationId: organization.id }
          })
        )
        assert.strictEqual(patched.status, 200)
        const changed = patched.json<Contact>()
        assert.strictEqual(changed.title, null)
        assert.strictEqual(changed.lastName, "Okafor")
        assert.strictEqual(changed.cellPhone?.e164, "+14155550199")
        assert.strictEqual(changed.organizationId, organization.id)
        assert.strictEqual(changed.createdAt, contact.createdAt)
        const reread = yield* request(port, `/v1/contacts/${contact.id}`, withKey(key))
        assert.deepStrictEqual(reread.json<unknown>(), changed)

        const removed = yield* request(
          port,
          `/v1/contacts/${contact.id}`,
          withKey(key, { method: "DELETE" })
        )
        assert.strictEqual(removed.status, 204)
        const gone = yield* request(port, `/v1/contacts/${contact.id}`, withKey(key))
        assert.strictEqual(gone.status, 404)
        assert.strictEqual(gone.json().type, "https://xcontacts.dev/problems/not-found")
      }).pipe(Effect.scoped)
    )
  })

  describe("organizations", () => {
    it.effect("creates, reads, changes and deletes an organization; its contacts stay", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        const created = yield* request(
          port,
          "/v1/organizations",
          withKey(key, {
            method: "POST",
            json: {
              division: "orgs",
              name: "Paper Street Supplies",
              employeeCount: 40,
              tags: ["paper", "supplies"],
              phoneNumber: "+44 161 496 0000"
            }
          })
        )
        assert.strictEqual(created.status, 201)
        const organization = created.json<Organization>()
        assert.deepStrictEqual(
          [organization.name, organization.employeeCount, organization.tags],
          ["Paper Street Supplies", 40, ["paper", "supplies"]]
        )
        assert.strictEqual(organization.phoneNumber?.e164, "+441614960000")
        const assigned = yield* request(
          port,
          `/v1/organizations/${organization.id}/external-ids`,
          withKey(key, { method: "POST", json: { source: "crm", externalId: "ORG-9" } })
        )
        assert.strictEqual(assigned.status, 201)
        // A key no file could match (the import fails it as EXTERNAL_ID_INVALID) is refused.
        for (const [path, json] of [
          [
            `/v1/organizations/${organization.id}/external-ids`,
            { source: "crm", externalId: "ORG\t10" }
          ],
          [
            "/v1/contacts",
            { firstName: "Tabby", externalIds: [{ source: "crm", externalId: "T\n1" }] }
          ]
        ] as const) {
          const refused = yield* request(port, path, withKey(key, { method: "POST", json }))
          assert.strictEqual(refused.status, 422, path)
          assert.strictEqual(refused.json().type, "https://xcontacts.dev/problems/invalid-body")
          assert.include(refused.text, "holds a control character, U+00")
        }
        const found = yield* request(
          port,
          "/v1/organizations?externalId=ORG-9&source=crm",
          withKey(key)
        )
        assert.deepStrictEqual(
          found.json<{ data: Array<Organization> }>().data.map((entry) => entry.id),
          [organization.id]
        )

        const patched = yield* request(
          port,
          `/v1/organizations/${organization.id}`,
          withKey(key, { method: "PATCH", json: { name: "Paper Street Supply Co", tags: null } })
        )
        const changed = patched.json<Organization>()
        assert.deepStrictEqual(
          [changed.name, changed.tags, changed.employeeCount, changed.externalIds],
          ["Paper Street Supply Co", null, 40, [{ source: "crm", externalId: "ORG-9" }]]
        )
        const reread = yield* request(port, `/v1/organizations/${organization.id}`, withKey(key))
        assert.deepStrictEqual(reread.json<unknown>(), changed)

        const member = (yield* request(
          port,
          "/v1/contacts",
          withKey(key, {
            method: "POST",
            json: { division: "orgs", lastName: "Durden", organizationId: organization.id }
          })
        )).json<Contact>()
        const members = yield* request(
          port,
          `/v1/organizations/${organization.id}/contacts`,
          withKey(key)
        )
        assert.deepStrictEqual(
          members.json<{ data: Array<Contact> }>().data.map((entry) => entry.id),
          [member.id]
        )
        const removed = yield* request(
          port,
          `/v1/organizations/${organization.id}`,
          withKey(key, { method: "DELETE" })
        )
        assert.strictEqual(removed.status, 204)
        const kept = yield* request(port, `/v1/contacts/${member.id}`, withKey(key))
        assert.strictEqual(kept.json<Contact>().organizationId, null)
        assert.strictEqual(kept.json<Contact>().lastName, "Durden")
      }).pipe(Effect.scoped)
    )
  })

  describe("import profiles", () => {
    it.effect("saves, lists, replaces and deletes a profile; a second create is 409", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const key = yield* newKey()
        const body = { name: "weekly", settings: { source: "erp", merge: "reject" } }
        const created = yield* request(
          port,
          "/v1/import-profiles",
          withKey(key, { method: "POST", json: body })
        )
        assert.strictEqual(created.status, 201)
        const again = yield* request(
          port,
          "/v1/import-profiles",
          withKey(key, { method: "POST", json: body })
        )
        assert.strictEqual(again.status, 409)
        const replaced = yield* request(
          port,
          "/v1/import-profiles/weekly",
          withKey(key, { method: "PUT", json: { settings: { source: "crm" } } })
        )
        assert.deepStrictEqual(replaced.json<{ settings: unknown }>().settings, { source: "crm" })
        const listed = yield* request(port, "/v1/import-profiles", withKey(key))
        assert.deepStrictEqual(
          listed.json<{ data: Array<{ name: string }> }>().data.map((profile) => profile.name),
          ["weekly"]
        )
        const bad = yield* request(
          port,
          "/v1/import-profiles",
          withKey(key, { method: "POST", json: { name: "x", settings: { merge: "sometimes" } } })
        )
        assert.strictEqual(bad.status, 422)
        const removed = yield* request(
          port,
          "/v1/import-profiles/weekly",
          withKey(key, { method: "DELETE" })
        )
        assert.strictEqual(removed.status, 204)
        const gone = yield* request(port, "/v1/import-profiles/weekly", withKey(key))
        assert.strictEqual(gone.status, 404)
      }).pipe(Effect.scoped)
    )
  })

  describe("the OpenAPI document", () => {
    it.effect("is valid OpenAPI 3.1 and documents every route with its schemas", () =>
      Effect.gen(function* () {
        const port = yield* serveApi(0, { uploadDir })
        const answer = yield* request(port, "/openapi.json")
        const document = answer.json<{
          openapi: string
          paths: Record<string, Record<string, unknown>>
          components: { schemas: Record<string, unknown> }
        }>()
        const result = yield* Effect.promise(() => new Validator().validate(document))
        assert.deepStrictEqual(result.errors, undefined)
        assert.isTrue(result.valid)
        assert.strictEqual(document.openapi, "3.1.0")
        assert.includeMembers(Object.keys(document.paths), [
          "/v1/contacts",
          "/v1/contacts/{id}",
          "/v1/organizations/{id}/contacts",
          "/v1/import-profiles/{name}",
          "/v1/external-sources",
          "/v1/imports",
          "/v1/imports/{id}",
          "/v1/imports/{id}/continue",
          "/v1/imports/{id}/cancel",
          "/v1/imports/{id}/retry",
          "/v1/imports/{id}/report",
          "/v1/imports/{id}/problems"
        ])
        assert.includeMembers(Object.keys(document.paths["/v1/imports/{id}"]!), ["get", "delete"])
        assert.includeMembers(Object.keys(document.components.schemas), [
          "Contact",
          "NewContact",
          "Organization",
          "ImportJob",
          "ImportJobList",
          "ImportProblemPage",
          "Problem"
        ])
        const docs = yield* request(port, "/docs")
        assert.include(docs.text, "/docs/swagger-ui-bundle.js")
        const bundle = yield* request(port, "/docs/swagger-ui-bundle.js")
        assert.strictEqual(bundle.status, 200)
        assert.include(bundle.type ?? "", "javascript")
      }).pipe(Effect.scoped)
    )
  })
})
