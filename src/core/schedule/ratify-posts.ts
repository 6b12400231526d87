import type { Localizer } from "../i18n.js";
import type { StoreView } from "../ports.js";
import { decisionLine } from "../render/items.js";
import type { Block, MessageDoc } from "../render/message.js";
import { decisionRef } from "../tracker/rules.js";
import type { Country, Decision, WorkingGroup } from "../tracker/types.js";
import { missingCountries } from "./ratify.js";
import type { NudgeOccasion, RatifiedOccasion } from "./ratify-plan.js";

// What a ratification nudge and a ratified notice say.

export type RatifyContent =
  | {
      kind: "nudge";
      decision: Decision;
      group: WorkingGroup;
      round: 0 | 1;
      missing: Country[];
    }
  | { kind: "ratified"; decision: Decision; group: WorkingGroup };

type RatifyOccasion = NudgeOccasion | RatifiedOccasion;

export async function loadRatify(
  store: StoreView,
  occasion: RatifyOccasion,
): Promise<RatifyContent | null> {
  const group = await store.groups.byId(occasion.groupId);
  const decision = group ? await store.decisions.byNumber(group.id, occasion.number) : null;
  if (!group || !decision) return null;
  if (occasion.kind === "ratified")
    return decision.status === "confirmed" ? { kind: "ratified", decision, group } : null;
  // Confirmed for this side since the tick found it: nothing to ask.
  const stillMissing = missingCountries(decision, occasion.missing, group.confirmationsRequired);
  if (stillMissing.length === 0) return null;
  return { kind: "nudge", decision, group, round: occasion.round, missing: stillMissing };
}

const countries = (l: Localizer, list: Country[]) =>
  l.list(list.map((c) => l.t(`common:country.${c}`)));

export function renderRatify(l: Localizer, content: RatifyContent): MessageDoc {
  const { decision, group } = content;
  const ref = decisionRef(decision);
  if (content.kind === "ratified") {
    const by = [...new Set(decision.confirmations.map((c) => c.country))]
      .filter((c): c is Country => c !== null)
      .sort();
    const text = l.t("ratify:ratified", { countries: countries(l, by), ref });
    return {
      summary: text,
      blocks: [
        { type: "text", text },
        { type: "list", items: [decisionLine(l, decision, group)] },
      ],
    };
  }
  const vars = { ref, code: group.code, country: countries(l, content.missing) };
  const text = l.t(content.round === 0 ? "ratify:nudge" : "ratify:nudge_reminder", vars);
  const blocks: Block[] = [
    { type: "text", text },
    { type: "list", items: [decisionLine(l, decision, group)] },
    { type: "context", text: l.t("ratify:how", vars) },
    {
      type: "actions",
      actions: [
        {
          id: "decision.confirm",
          label: l.t("common:button.confirm"),
          value: ref,
          style: "primary",
        },
      ],
    },
  ];
  return { summary: text, blocks };
}
