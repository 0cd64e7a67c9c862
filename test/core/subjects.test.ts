import fc from "fast-check";
import { originalSubject, topicOf } from "../../src/core/subjects";

describe("subjects.ts", () => {
  describe("topicOf", () => {
    it.each([
      ["RE: Pricing", "Pricing"],
      ["Re: RE: FW: Pricing", "Pricing"],
      ["Fwd: Pricing", "Pricing"],
      ["AW: Angebot", "Angebot"],
      ["WG: Angebot", "Angebot"],
      ["TR : Devis", "Devis"],
      ["Réf. : Devis", "Devis"],
      ["RV: Presupuesto", "Presupuesto"],
      ["RES: Proposta", "Proposta"],
      ["SV: Offert", "Offert"],
      ["VS: Tarjous", "Tarjous"],
      ["Antw: Offerte", "Offerte"],
      ["Odp: Oferta", "Oferta"],
      ["回复: 报价", "报价"],
      ["答复：报价", "报价"],
      ["转发: 报价", "报价"],
      ["RE[2]: Pricing", "Pricing"],
      ["Re(3): Pricing", "Pricing"],
      ["[EXTERNAL] Pricing", "Pricing"],
      ["[EXT] Pricing", "Pricing"],
      ["[Extern] Angebot", "Angebot"],
      ["(EXTERNAL) Pricing", "Pricing"],
      ["*EXTERNAL* Pricing", "Pricing"],
      ["[External Email]: Pricing", "Pricing"],
      ["Pricing [EXTERNAL]", "Pricing"],
      ["EXTERNAL: Pricing", "Pricing"],
      ["External pricing review", "External pricing review"],
      ["RE: [EXTERNAL] RE: Pricing", "Pricing"],
      ["[EXTERNAL] AW: WG: Angebot", "Angebot"],
      ["Pricing:", "Pricing"],
      ["-- Pricing --", "Pricing"],
      ["Pricing!!!", "Pricing"],
      ["Are you free on Tuesday???", "Are you free on Tuesday?"],
      ["“Pricing”", "Pricing"],
      ['"Q3 pricing"', "Q3 pricing"],
      ["'Q3' plan and 'Q4'", "'Q3' plan and 'Q4'"],
      ["  Pricing   for   2026 ", "Pricing for 2026"],
      ["[Project Falcon] Pricing", "[Project Falcon] Pricing"],
      ["Regarding the pilot", "Regarding the pilot"],
      ["Reflections on Q3", "Reflections on Q3"],
      ["Iris: kickoff", "Iris: kickoff"],
      ["RE:", ""],
      ["", ""],
    ])("should read %j as the topic %j", (subject, topic) => {
      expect(topicOf(subject)).toBe(topic);
    });

    it("should be idempotent and never longer than the subject (property)", () => {
      fc.assert(
        fc.property(fc.string(), (subject) => {
          const topic = topicOf(subject);
          expect(topicOf(topic)).toBe(topic);
          expect(topic.length).toBeLessThanOrEqual(subject.length);
        }),
      );
    });
  });

  describe("originalSubject", () => {
    it.each([
      ["RE: FW: Pricing", "Pricing"],
      ["AW: [EXTERNAL] Angebot", "[EXTERNAL] Angebot"],
      ["回复：报价", "报价"],
      ["Automatic reply: Pricing", "Automatic reply: Pricing"],
      ["Pricing:", "Pricing:"],
    ])("should strip only the prefixes of %j", (subject, expected) => {
      expect(originalSubject(subject)).toBe(expected);
    });
  });
});
