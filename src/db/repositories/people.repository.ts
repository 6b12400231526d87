import { sql } from "kysely";
import type { PeopleRepository } from "../../core/ports.js";
import type { Country, Person, Platform } from "../../core/tracker/types.js";
import { prepared } from "../prepared.js";
import { bool, type Db, toPerson } from "./mappers.js";

// Asked on every command, before any work (src/db/prepared.ts).
const personByIdentity = prepared((db, platform: Platform, userId: string) =>
  db
    .selectFrom("identities")
    .innerJoin("people", "people.id", "identities.person_id")
    .selectAll("people")
    .where("identities.platform", "=", platform)
    .where("identities.external_id", "=", userId),
);
const membershipsOf = prepared((db, personId: number) =>
  db.selectFrom("memberships").selectAll().where("person_id", "=", personId),
);

export function peopleRepository(db: Db): PeopleRepository {
  const byId = async (id: number) => {
    const row = await db.selectFrom("people").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toPerson(row) : null;
  };
  const byIdentity = async (platform: Platform, userId: string) => {
    const [row] = await personByIdentity(db, platform, userId);
    return row ? toPerson(row) : null;
  };
  const linkIdentity = async (personId: number, platform: Platform, userId: string) => {
    await db
      .insertInto("identities")
      .values({ platform, external_id: userId, person_id: personId })
      .onConflict((oc) =>
        oc.columns(["platform", "external_id"]).doUpdateSet({ person_id: personId }),
      )
      .execute();
  };
  return {
    byId,
    byIdentity,
    linkIdentity,
    async byHandle(handle) {
      const row = await db
        .selectFrom("people")
        .selectAll()
        .where("handle", "=", handle.toLowerCase())
        .executeTakeFirst();
      return row ? toPerson(row) : null;
    },
    async resolve(identity, defaults, at) {
      const [known] = await personByIdentity(db, identity.platform, identity.userId);
      if (known) {
        // The platform's profile only fills what the tracker does not know. A name the
        // secretariat imported (the person has a handle) stays; a name that first came from a
        // platform follows the person's renames there. A language or zone stays once known.
        const name = identity.displayName.trim();
        const fill = {
          ...(name &&
          name !== known.display_name &&
          (known.handle === null || !known.display_name.trim())
            ? { display_name: name }
            : {}),
          ...(known.language === null && defaults.language ? { language: defaults.language } : {}),
          ...(known.time_zone === null && defaults.timeZone
            ? { time_zone: defaults.timeZone }
            : {}),
        };
        if (Object.keys(fill).length === 0) return toPerson(known);
        await db.updateTable("people").set(fill).where("id", "=", known.id).execute();
        return toPerson({ ...known, ...fill });
      }
      const inserted = await db
        .insertInto("people")
        .values({
          handle: null,
          display_name: identity.displayName,
          organisation: null,
          is_admin: bool(defaults.isAdmin ?? false),
          country: defaults.country ?? null,
          language: defaults.language ?? null,
          language_chosen: 0,
          time_zone: defaults.timeZone ?? null,
          created_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await linkIdentity(inserted.id, identity.platform, identity.userId);
      return (await byId(inserted.id)) as Person;
    },
    async upsertByHandle(person, at) {
      const values = {
        display_name: person.displayName,
        organisation: person.organisation ?? null,
        is_admin: bool(person.isAdmin),
        country: person.country,
        language: person.language,
        time_zone: person.timeZone,
      };
      await db
        .insertInto("people")
        .values({
          ...values,
          handle: person.handle.toLowerCase(),
          language_chosen: 0,
          created_at: at,
        })
        // A re-import is the secretariat's word on names and roles, but it leaves the language a
        // person chose with `lang`, and a language or zone it does not give stays as known.
        .onConflict((oc) =>
          oc.column("handle").doUpdateSet({
            ...values,
            language: sql<
              string | null
            >`case when people.language_chosen = 1 then people.language else coalesce(excluded.language, people.language) end`,
            time_zone: sql<string | null>`coalesce(excluded.time_zone, people.time_zone)`,
          }),
        )
        .execute();
      const row = await db
        .selectFrom("people")
        .selectAll()
        .where("handle", "=", person.handle.toLowerCase())
        .executeTakeFirstOrThrow();
      return toPerson(row);
    },
    async setLanguage(personId, language) {
      await db
        .updateTable("people")
        .set({ language, language_chosen: 1 })
        .where("id", "=", personId)
        .execute();
    },
    async setPreferences(personId, prefs) {
      const set = {
        ...(prefs.language ? { language: prefs.language, language_chosen: 1 } : {}),
        ...(prefs.timeZone ? { time_zone: prefs.timeZone } : {}),
        ...(prefs.remindersVia ? { reminders_via: prefs.remindersVia } : {}),
      };
      if (Object.keys(set).length === 0) return;
      await db.updateTable("people").set(set).where("id", "=", personId).execute();
    },
    async sawHome(personId, at) {
      await db.updateTable("people").set({ home_seen_at: at }).where("id", "=", personId).execute();
    },
    async memberships(personId) {
      const rows = await membershipsOf(db, personId);
      return rows.map((r) => ({
        groupId: r.group_id,
        personId: r.person_id,
        role: r.role === "co_chair" ? "co_chair" : "member",
        country: (r.country as Country | null) ?? null,
        sector: r.sector === "private" ? "private" : "public",
      }));
    },
    async members(groupId) {
      const rows = await db
        .selectFrom("memberships")
        .innerJoin("people", "people.id", "memberships.person_id")
        .selectAll("people")
        .select([
          "memberships.group_id",
          "memberships.person_id",
          "memberships.role",
          "memberships.country as member_country",
          "memberships.sector",
        ])
        .where("memberships.group_id", "=", groupId)
        .orderBy("memberships.role")
        .orderBy("people.display_name")
        .execute();
      return rows.map((r) => ({
        groupId: r.group_id,
        personId: r.person_id,
        role: r.role === "co_chair" ? ("co_chair" as const) : ("member" as const),
        country: (r.member_country as Country | null) ?? null,
        sector: r.sector === "private" ? ("private" as const) : ("public" as const),
        person: toPerson(r),
      }));
    },
    async setMembership(m) {
      await db
        .insertInto("memberships")
        .values({
          group_id: m.groupId,
          person_id: m.personId,
          role: m.role,
          country: m.country,
          sector: m.sector,
        })
        .onConflict((oc) =>
          oc
            .columns(["group_id", "person_id"])
            .doUpdateSet({ role: m.role, country: m.country, sector: m.sector }),
        )
        .execute();
    },
  };
}
