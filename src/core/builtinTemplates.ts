import type { TemplateSource, TemplateTable } from "./template";

/** Builds a template whose HTML and text bodies say the same paragraphs. */
function fromParagraphs(subject: string, paragraphs: readonly string[], voicemail?: string): TemplateSource {
  const html = paragraphs.map((p) => `<p>${p.replace(/\n/g, "<br>")}</p>`).join("\n");
  const text = paragraphs.join("\n\n");
  return voicemail === undefined ? { subject, html, text } : { subject, html, text, voicemail };
}

// Our own wording of each technique. The ideas come from the coaching articles in shared/seeds; the words are
// ours. Calls and voicemails are only mentioned inside {{#calls}}, so no e-mail claims a call nobody logged, and
// every voicemail script says who I am, where from and how to call back, each part dropped when unknown.
export const BUILTIN_TEMPLATES: TemplateTable = {
  nudge: fromParagraphs("Following up{{#subject}}: {{subject}}{{/subject}}", [
    "Hi {{firstName}},",
    "I'm bringing {{#subject}}my note about “{{subject}}”{{/subject}}{{^subject}}my last note{{/subject}} back to the top of your inbox in case it got buried under everything else.",
    "{{#calls}}I've also {{calls}}, but I know how full the days get. {{/calls}}Is this still something you'd like to look at? A one-line reply either way is plenty.",
    "Thanks,\n{{myFirstName}}",
  ]),
  "no-pressure": fromParagraphs(
    "No pressure{{#subject}}: {{subject}}{{/subject}}",
    [
      "Hi {{firstName}},",
      "Thank you for the time you've already spent with me{{#subject}} on “{{subject}}”{{/subject}}. I realise things may have moved on at your end: perhaps now isn't the moment, or it isn't going ahead at all. That is completely fine, and I'm not expecting anything from you.",
      "Whenever the timing does suit, I'd be glad to pick it up again and shape something around what you need. And if someone else looks after this now, I'd be grateful for a pointer to them.",
      "All the best,\n{{myFirstName}}",
    ],
    "Hi {{firstName}}, it's {{myName}}{{#myCompany}} from {{myCompany}}{{/myCompany}}. I've just sent you a short e-mail{{#subject}} about {{subject}}{{/subject}}; when you have a minute, please give it a read. There's no need to call me back{{#myPhone}}, but if you'd like to, my number is {{myPhone}}{{/myPhone}}. Thanks!",
  ),
  "close-the-file": fromParagraphs(
    "Shall I close your file?",
    [
      "Hi {{firstName}},",
      "{{#referrerFirstName}}{{referrerFirstName}} suggested we speak{{#subject}} about “{{subject}}”{{/subject}}, and I've been in touch a few times since {{lastContactDate}}{{/referrerFirstName}}{{^referrerFirstName}}I've written to you a few times since {{lastContactDate}}{{#subject}} about “{{subject}}”{{/subject}}{{/referrerFirstName}}{{#calls}} and {{calls}}{{/calls}}, without managing to catch you. I understand completely if this isn't a priority for you.",
      "Rather than keep filling your inbox{{#calls}} and your voicemail{{/calls}}, could you do me a small favour and tell me whether you'd like me to close the file? If the timing changes later on, I'd be happy to pick it up again then.",
      "Thanks either way, and all the best,\n{{myFirstName}}",
    ],
    "Hi {{firstName}}, this is {{myName}}{{#myCompany}} from {{myCompany}}{{/myCompany}}. {{#referrerFirstName}}{{referrerFirstName}} suggested I get in touch{{#subject}} about {{subject}}{{/subject}}.{{/referrerFirstName}}{{^referrerFirstName}}I've been trying to reach you{{#subject}} about {{subject}}{{/subject}}.{{/referrerFirstName}} If you'd rather I closed the file, just say so in a quick e-mail and I'll stop calling.{{#myPhone}} And if you'd like to talk, my number is {{myPhone}}.{{/myPhone}} Thanks, and have a good day.",
  ),
  "should-i-close-the-file": fromParagraphs(
    "SHOULD I CLOSE THE FILE?",
    [
      "Hi {{firstName}},",
      "Last time we talked, it sounded as though you wanted to go ahead{{#subject}} with “{{subject}}”{{/subject}}, and I'd very much like to make that happen. I've followed up by e-mail since {{lastContactDate}}{{#calls}} and {{calls}}{{/calls}}, but haven't managed to reach you.",
      "I don't want to become a nuisance, and if this is still on your list I'd hate you to think I had dropped the ball.",
      "If you'd like to carry on, reply with one or two times over the coming week that suit you and I'll fit around them. If not, that's quite all right; just let me know: should I close the file?",
      "Best regards,\n{{myFirstName}}",
    ],
    "Hi {{firstName}}, {{myName}} here{{#myCompany}} from {{myCompany}}{{/myCompany}}, about {{#subject}}{{subject}}{{/subject}}{{^subject}}the proposal I sent you{{/subject}}. I don't want to be a nuisance. If you'd like to go ahead, send me one or two times that suit you; a reply to my e-mail is fine{{#myPhone}}, or call me on {{myPhone}}{{/myPhone}}. If not, that's fine too: just tell me whether I should close the file.",
  ),
  "pending-file": fromParagraphs("Quick check-in{{#subject}}: {{subject}}{{/subject}}", [
    "Hi {{firstName}},",
    "I'm tidying up my open conversations and came across my notes {{#subject}}on “{{subject}}”{{/subject}}{{^subject}}from our conversation{{/subject}}. Shall I file them away as no longer needed, or is there still something I can help with?",
    "If anything's unclear, or you'd like to move forward, just reply{{#myPhone}} or ring me on {{myPhone}}{{/myPhone}}.",
    "Thanks,\n{{myFirstName}}",
  ]),
  "are-you-ok": fromParagraphs(
    "Are you OK?",
    [
      "Hi {{firstName}},",
      "Are you OK? It's been quiet since {{lastContactDate}}, and I wanted to make sure my e-mails are getting through and that everything's all right at your end.",
      "A quick reply whenever you can would put my mind at rest.",
      "{{myFirstName}}",
    ],
    "Hi {{firstName}}, it's {{myName}}{{#myCompany}} from {{myCompany}}{{/myCompany}}. Are you OK? It's been a while since I heard from you, and I wanted to make sure everything's all right. A short message whenever you can{{#myPhone}}, or a call on {{myPhone}}{{/myPhone}}, just so I know you're well. Thanks.",
  ),
};

/**
 * Writing to whoever took over from a prospect who left: a new conversation in the spirit of a nudge. Built-in
 * only (user templates are keyed by technique); {{predecessorName}} is who left, {{firstName}} the successor.
 */
export const INTRODUCTION_TEMPLATE: TemplateSource = fromParagraphs(
  "Introducing myself{{#subject}}: {{subject}}{{/subject}}",
  [
    "Hi {{firstName}},",
    "{{#predecessorName}}I'd been talking with {{predecessorName}}{{/predecessorName}}{{^predecessorName}}I'd been talking with one of your colleagues{{/predecessorName}}{{#company}} at {{company}}{{/company}}{{#subject}} about “{{subject}}”{{/subject}}, and I understand they've since moved on. I believe this may now sit with you.",
    "Would a short summary of where things stood be useful? And if someone else looks after this now, I'd be grateful for a pointer to them.",
    "Thanks,\n{{myFirstName}}",
  ],
);
