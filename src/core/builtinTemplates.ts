import type { TemplateSource, TemplateTable } from "./template";

/** Builds a template whose HTML and text bodies say the same paragraphs. */
function fromParagraphs(subject: string, paragraphs: readonly string[], voicemail?: string): TemplateSource {
  const html = paragraphs.map((p) => `<p>${p.replace(/\n/g, "<br>")}</p>`).join("\n");
  const text = paragraphs.join("\n\n");
  return voicemail === undefined ? { subject, html, text } : { subject, html, text, voicemail };
}

// Our own wording of each technique. The ideas come from the coaching articles in shared/seeds; the words are ours.
export const BUILTIN_TEMPLATES: TemplateTable = {
  nudge: fromParagraphs("Following up: {{subject}}", [
    "Hi {{firstName}},",
    "I'm bringing my note about “{{subject}}” back to the top of your inbox in case it got buried under everything else.",
    "Is this still something you'd like to look at? A one-line reply either way is plenty.",
    "Thanks,\n{{myFirstName}}",
  ]),
  "no-pressure": fromParagraphs(
    "No pressure: {{subject}}",
    [
      "Hi {{firstName}},",
      "Thank you for the time you've already spent with me on this. I realise things may have moved on at your end, and it may well be that now isn't the moment, or that it isn't going ahead at all. That is completely fine, and I'm not expecting anything from you.",
      "Whenever the timing does suit, I'd be glad to pick it up again and shape something around what you need. And if someone else looks after this now, I'd be grateful for a pointer to them.",
      "All the best,\n{{myFirstName}}",
    ],
    "Hi {{firstName}}, it's {{myName}}. I've just sent you a short e-mail about {{subject}}. When you have a minute, please give it a read. No need to call me back. Thanks!",
  ),
  "close-the-file": fromParagraphs(
    "Shall I close your file?",
    [
      "Hi {{firstName}},",
      "I was put in touch with you about {{subject}}, and I've tried a few times since {{lastContactDate}} to find a moment to talk, without luck. I understand completely if this isn't a priority for you.",
      "Rather than keep filling your voicemail and inbox, could you do me a small favour and tell me whether you'd like me to close the file? If the timing changes later on, I'd be happy to reconnect then.",
      "Thanks either way, and all the best,\n{{myFirstName}}",
    ],
    "Hi {{firstName}}, this is {{myName}}. I've been trying to reach you about {{subject}}. If you'd rather I closed the file, just say so in a quick e-mail and I'll stop calling. Thanks, and have a good day.",
  ),
  "should-i-close-the-file": fromParagraphs(
    "SHOULD I CLOSE THE FILE?",
    [
      "Hi {{firstName}},",
      "When we last spoke you were keen to move ahead with the proposal, and so am I. I've followed up a few times since then and haven't managed to reach you.",
      "I'm happy to keep trying, but I don't want to become a nuisance, and if you're still interested I'd hate you to think I had dropped the ball.",
      "If you'd like to carry on, send me two or three times over the coming week that suit you and I'll work around them. If not, that's quite all right; just let me know: should I close the file?",
      "Best regards,\n{{myFirstName}}",
    ],
    "Hi {{firstName}}, {{myName}} here, about the proposal I sent you. I've tried a couple of times and don't want to be a nuisance. If you'd like to go ahead, call or e-mail me with a time that suits you. If not, that's fine too: just tell me whether I should close the file.",
  ),
  "pending-file": fromParagraphs("A quick follow-up", [
    "Hi {{firstName}},",
    "I'm tidying up my open conversations and came across my notes on {{subject}}. Should I move them to my “no longer interested” pile, or is there still something I can help with?",
    "If you have questions, or you're ready for the next step, just reply or give me a call.",
    "Thanks,\n{{myFirstName}}",
  ]),
  "are-you-ok": fromParagraphs(
    "Are you OK?",
    [
      "Hi {{firstName}},",
      "Are you OK? I haven't heard from you since {{lastContactDate}} and wanted to check that my messages are reaching you and that all is well.",
      "A quick reply whenever you can would put my mind at rest.",
      "{{myFirstName}}",
    ],
    "Hi {{firstName}}, it's {{myName}}. Are you OK? I haven't heard back from you in a few weeks and I'm starting to worry. A quick call or message whenever you can, just so I know you're all right.",
  ),
};
