import { companyFromAddress, isNoReplyAddress, organisationOf } from "../../src/core/addresses";
import { firstNameOf } from "../../src/core/names";

describe("names.ts", () => {
  describe("firstNameOf", () => {
    it.each([
      ["Alex Kim", "", "Alex"],
      ["Kim, Alex", "", "Alex"],
      ['"Kim, Alex"', "", "Alex"],
      ["Dr. Alex Kim (Acme)", "", "Alex"],
      ["ALEX KIM", "", "Alex"],
      ["alex kim", "", "Alex"],
      ["McDonald Ross", "", "McDonald"],
      ["Chloé Dubois", "", "Chloé"],
      ["jean-luc picard", "", "Jean-Luc"],
      ["", "alex.kim@acme.com", "Alex"],
      ["  ", "alex_kim@acme.com", "Alex"],
      ["", "info.desk@acme.com", ""],
      ["", "jsmith@acme.com", ""],
      ["alex@acme.com", "alex@acme.com", ""],
      ["Kim,", "", "Kim"],
      ["<b>Eve</b>", "", "Eve"],
    ])("should read %j (address %j) as %j", (name, address, expected) => {
      expect(firstNameOf(name, address)).toBe(expected);
    });
  });
});

describe("addresses.ts", () => {
  describe("organisationOf", () => {
    it.each([
      ["alex@acme.com", "acme.com"],
      ["pat@gmail.com", "pat@gmail.com"],
      ["pat@proton.me", "pat@proton.me"],
    ])("should give %s the organisation %s", (address, org) => expect(organisationOf(address)).toBe(org));
  });
  describe("isNoReplyAddress", () => {
    it.each([
      ["noreply@x.com", true],
      ["no-reply@x.com", true],
      ["donotreply@x.com", true],
      ["do-not-reply@x.com", true],
      ["notifications@x.com", true],
      ["notification@x.com", true],
      ["postmaster@x.com", true],
      ["mailer-daemon@x.com", true],
      ["bounce+abc@x.com", true],
      ["bounces@x.com", true],
      ["alex@x.com", false],
      ["nora@x.com", false],
    ])("should say %s is no-reply: %s", (address, expected) =>
      expect(isNoReplyAddress(address)).toBe(expected),
    );
  });
  describe("companyFromAddress", () => {
    it.each([
      ["a@acme-robotics.com", "Acme Robotics"],
      ["a@tailspin-toys.co.uk", "Tailspin Toys"],
      ["a@mail.contoso.com", "Contoso"],
      ["a@gmail.com", ""],
    ])("should name the company of %s %j", (address, company) =>
      expect(companyFromAddress(address)).toBe(company),
    );
  });
});
