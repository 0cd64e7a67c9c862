// What an answer says: a refusal, "later" with a date, "she has left", an out-of-office with a return day, a
// helpdesk acknowledgement, a delivery-delay notice, or a plain answer. Rules are phrase patterns in English,
// German, French and Spanish, compiled once at load. Declines are read with care: a phrase that is negated,
// conditional, contrasted ("not interested in X, but Y looks great") or next to a clear yes is not a decline.
// The text is Graph's bodyPreview only. Issue 10 allowed fetching uniqueBody for a feature the preview could not
// serve; none needed it (every rule reads the opening of a message), so Rekindle never asks Graph for bodies.
import type { Instant } from "./message";
import {
  datesOnDay,
  isCalendarInstant,
  localDayOf,
  lowerCased,
  nextMatch,
  localMidnight,
  mayMentionDate,
  scanDates,
  wordPattern,
  type CivilDay,
  type DateMention,
  type DateScan,
} from "./intentDates";

/** What kind of answer a message is. */
export type IntentKind =
  "declined" | "deferred" | "left" | "out-of-office" | "acknowledgement" | "delay" | "answer";

/** The verdict on one answer. */
export interface AnswerIntent {
  readonly kind: IntentKind;
  /** The phrase in the text that decided it, exactly as written (trimmed), "" for a plain answer. */
  readonly evidence: string;
  /** deferred: the day they asked to be contacted again; out-of-office: the return day. Local midnight of that calendar day in `timeZone`. Never before the message. */
  readonly until?: Instant;
  /** left: the successor named in the text, when there is one. */
  readonly successor?: { readonly address: string; readonly name: string };
}

/** One answer (or automatic reply) to read. */
export interface IntentInput {
  readonly subject: string;
  /** Graph bodyPreview: the first ~255 characters of the body, plain text. */
  readonly text: string;
  /** When the answer was written; relative dates count from here. */
  readonly sentAt: Instant;
  /** True for auto-replies, receipts and bounces as already detected by the engine. */
  readonly automated: boolean;
  /** IANA zone of the user, e.g. "Europe/Berlin"; calendar dates are read in it. */
  readonly timeZone: string;
}

const ANSWER: AnswerIntent = Object.freeze({ kind: "answer", evidence: "" });
/** Longer input than a preview is cut: the rules read the opening of a message. */
const MAX_TEXT = 2000;

interface Span {
  readonly start: number;
  readonly end: number;
}

// ---- where the writer's own words end -----------------------------------------------------------------

// Quoted mail and phone signatures are not what they said now; the headers are matched case-sensitively.
const QUOTE_OR_SIGNATURE = new RegExp(
  [
    String.raw`\bOn\s[^\n]{1,160}?\swrote\s*:`,
    String.raw`\bAm\s[^\n]{1,160}?\sschrieb`,
    String.raw`\bLe\s[^\n]{1,160}?\sa\s+écrit`,
    String.raw`\bEl\s[^\n]{1,160}?\sescribió`,
    String.raw`-{3,}\s*(?:[Oo]riginal [Mm]essage|Urspr[üu]ngliche Nachricht|Message d['’]origine|Mensaje original|Forwarded message|Weitergeleitete Nachricht)`,
    String.raw`(?:^|\n)[ \t]*>`,
    String.raw`(?:^|\n)--[ \t]*(?:\r?\n|$)`,
    String.raw`(?:^|\s)(?:From|Von|De|Sent|Gesendet|Envoyé|Enviado)[ \t]*:[ \t]`,
    String.raw`_{8,}`,
    String.raw`\b(?:Sent from my|Sent from Outlook|Get Outlook for|Von meinem|Gesendet von|Envoyé de mon|Enviado desde mi)\b`,
  ].join("|"),
  "u",
);

/** The part of the text the writer wrote in this message: before any quote, forwarded header or phone footer. */
function ownWords(text: string): string {
  const capped = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const m = QUOTE_OR_SIGNATURE.exec(capped);
  return m ? capped.slice(0, m.index) : capped;
}

// ---- phrase sets -------------------------------------------------------------------------------------

const LEFT = wordPattern(
  [
    // English
    `(?:i\\s+am|i'm|is|he\\s+is|she\\s+is|they\\s+are)\\s+no\\s+longer\\s+(?:with|at|employed|working|part\\s+of|a\\s+member\\s+of)⟩`,
    `no\\s+longer\\s+works?\\s+(?:at|for|with)⟩`,
    `(?:i've|i\\s+have|has|have|he's|she's)\\s+moved\\s+on\\s+from⟩`,
    `(?:has|have|had)\\s+(?:now\\s+)?left\\s+(?:the\\s+company|the\\s+organi[sz]ation|the\\s+firm|the\\s+business|our\\s+company)`,
    `(?:this\\s+(?:mailbox|e-?mail\\s+address|address|account))\\s+is\\s+no\\s+longer\\s+(?:monitored|in\\s+use|active)⟩`,
    // German
    `(?:ist|bin|sind)\\s+nicht\\s+(?:mehr|länger)\\s+(?:bei|für|im\\s+unternehmen|in\\s+unserem\\s+unternehmen|teil|mitarbeiter)`,
    `nicht\\s+mehr\\s+(?:für\\s+(?:die|das|uns)|im\\s+unternehmen|bei\\s+uns)\\s*(?:tätig)?`,
    `(?:hat|habe)\\s+(?:das\\s+unternehmen|die\\s+firma|unser\\s+unternehmen|uns)\\s+(?:\\S+\\s+){0,2}verlassen⟩`,
    `(?:aus\\s+dem\\s+unternehmen|bei\\s+uns)\\s+ausgeschieden⟩`,
    // French
    `ne\\s+fait\\s+plus\\s+partie⟩`,
    `(?:a|ai)\\s+quitté\\s+(?:la\\s+société|l'entreprise|notre\\s+société|notre\\s+entreprise|le\\s+groupe)`,
    `ne\\s+travaille\\s+plus\\s+(?:chez|pour|au\\s+sein|dans)⟩`,
    `n'est\\s+plus\\s+(?:chez|au\\s+sein|en\\s+poste|employée?|salariée?|collaborat(?:eur|rice))⟩`,
    // Spanish
    `ya\\s+no\\s+(?:trabaja|trabajo|forma\\s+parte|formo\\s+parte|pertenece|pertenezco|está\\s+en\\s+la\\s+empresa|colabora)⟩`,
    `(?:ha|he)\\s+dejado\\s+(?:la\\s+empresa|la\\s+compañía|la\\s+organización)`,
    `dejó\\s+(?:la\\s+empresa|la\\s+compañía)⟩`,
  ]
    .join("|")
    .replace(/^/, "⟨(?:")
    .concat(")"),
);

// "has left Contoso", "a quitté Contoso", "ha dejado Contoso": a company name is capitalised, so case counts.
const LEFT_NAMED = wordPattern(
  `⟨(?:(?:has|have|had|a|ai|ha|he)\\s+(?:now\\s+)?(?:left|quitté|dejado)\\s+\\p{Lu}[\\p{L}&-]+|hat\\s+\\p{Lu}[\\p{L}&-]+(?:\\s+\\S+){0,2}\\s+verlassen⟩)`,
  "gu",
);

/** Words LEFT_NAMED cannot match without: a cheap check before the case-sensitive Unicode scan. */
const MAYBE_LEFT_NAMED = /left|quitté|dejado|verlassen/;

const DECLINE = wordPattern(
  [
    // English
    `not\\s+(?:currently\\s+|really\\s+|that\\s+|at\\s+all\\s+)?interested⟩`,
    `no\\s+longer\\s+interested⟩`,
    `(?:have|has)\\s+no\\s+interest⟩`,
    `not\\s+in\\s+the\\s+market\\s+for⟩`,
    `(?:decided|chosen|opted|going|go|gone)\\s+(?:to\\s+go\\s+)?in\\s+(?:a\\s+)?(?:different|another|other)\\s+direction⟩`,
    `(?:went|gone|going|go|chose|chosen|selected|picked|signed|decided\\s+on|opted\\s+for|found)\\s+(?:with\\s+)?(?:another|a\\s+different|a\\s+competing|an\\s+alternative|a\\s+competitor's)\\s+(?:vendor|provider|supplier|solution|company|partner|option|tool|platform|agency|offer|product|firm)s?⟩`,
    `(?:decided|chosen)\\s+not\\s+to\\s+(?:proceed|move\\s+forward|pursue|go\\s+ahead|continue|buy|purchase|renew)⟩`,
    `(?:close|closing)\\s+(?:the|our|my|this)\\s+file⟩`,
    `(?:remove|take)\\s+(?:me|us)\\s+(?:off|from)\\s+(?:your|the|all)\\s+(?:mailing\\s+|distribution\\s+|contact\\s+|e-?mail\\s+)?lists?⟩`,
    `unsubscribe\\s+me⟩`,
    `(?:stop|quit)\\s+(?:e-?mailing|contacting|writing\\s+to|calling|following\\s+up\\s+with)\\s+(?:me|us)⟩`,
    `(?:do\\s+not|don't)\\s+(?:contact|e-?mail|call)\\s+(?:me|us)\\s+(?:again|anymore|any\\s+more)⟩`,
    `not\\s+(?:a|the)\\s+(?:good\\s+|right\\s+)?fit⟩`,
    `(?:(?:chosen|decided|going|opted|planning)\\s+to|we'll|we\\s+will)\\s+(?:build|develop|do|keep|handle)\\s+(?:it\\s+|this\\s+|that\\s+)?in[-\\s]house⟩`,
    `(?:stay|stick|staying|sticking)\\s+with\\s+(?:our|the)\\s+(?:current|existing|incumbent)\\s+(?:vendor|provider|supplier|solution|partner|tool)⟩`,
    `(?:we|i)(?:'ll|\\s+will|\\s+are\\s+going\\s+to|'re\\s+going\\s+to|'d\\s+like\\s+to|\\s+have\\s+to|\\s+must|'ve\\s+decided\\s+to)\\s+pass⟩`,
    `(?:won't|will\\s+not|are\\s+not|aren't|not)\\s+(?:be\\s+)?(?:moving|going)\\s+forward⟩`,
    `no,?\\s+thank(?:s|\\s+you)⟩(?!\\s+(?:needed|necessary|required))`,
    // German
    `kein(?:e|en)?\\s+(?:weiteres\\s+|großes\\s+)?interesse⟩`,
    `nicht\\s+(?:mehr\\s+|weiter\\s+)?interessiert⟩`,
    `kein(?:en)?\\s+bedarf⟩`,
    `(?:für|mit)\\s+(?:einen|eine|ein|einem)\\s+ander(?:en|e|es)\\s+(?:anbieter|lösung|dienstleister|partner|lieferanten|hersteller|agentur|angebot|weg)[^.!?\\n]{0,30}?entschieden⟩`,
    `(?:uns|mich)\\s+(?:leider\\s+)?anders\\s+entschieden⟩`,
    `(?:einen|eine|ein)\\s+ander(?:en|e|es)\\s+(?:anbieter|dienstleister|partner|lieferanten|hersteller|agentur)\\s+(?:beauftragt|gewählt|ausgewählt|genommen)⟩`,
    `bei\\s+(?:unserem|unserer)\\s+(?:bisherigen|aktuellen|jetzigen)\\s+(?:anbieter|dienstleister|lösung|partner)\\s+bleiben⟩`,
    `bleiben\\s+(?:\\S+\\s+)?bei\\s+(?:unserem|unserer)\\s+(?:bisherigen|aktuellen|jetzigen)\\s+(?:anbieter|dienstleister|lösung|partner)⟩`,
    `gegen\\s+(?:eine|die|ihre|ihr|das|den)\\s+(?:\\S+\\s+){0,2}entschieden⟩`,
    `(?:nehmen|streichen)\\s+sie\\s+(?:mich|uns)\\s+(?:bitte\\s+)?(?:aus|von)\\s+(?:ihrem|ihrer|dem|der)\\s+(?:verteiler|liste|mailingliste|e-mail-liste)⟩`,
    `bitte\\s+keine\\s+(?:weiteren\\s+)?(?:e-mails|mails|nachrichten|anrufe)⟩`,
    `(?:kontaktieren|schreiben)\\s+sie\\s+(?:mich|uns)\\s+(?:bitte\\s+)?nicht\\s+mehr⟩`,
    `(?:schließen|schliessen)\\s+sie\\s+(?:den\\s+vorgang|die\\s+akte|das\\s+thema)⟩`,
    `(?:den\\s+vorgang|die\\s+akte|das\\s+thema)\\s+(?:gerne\\s+|bitte\\s+|ruhig\\s+)?(?:schließen|schliessen|abschließen)⟩`,
    `(?:müssen|muss)\\s+(?:wir|ich)\\s+(?:ihnen\\s+)?(?:leider\\s+)?absagen⟩`,
    `nicht\\s+weiter\\s*verfolgen⟩`,
    `nein,?\\s+danke⟩`,
    // French
    `pas\\s+(?:du\\s+tout\\s+|vraiment\\s+|intéressés?\\s+pour\\s+le\\s+moment\\s+)?intéress(?:é|ée|és|ées)⟩`,
    `ne\\s+(?:nous\\s+|m'|me\\s+)intéresse(?:nt)?\\s+pas⟩`,
    `(?:aucun|pas\\s+d')\\s*intérêt⟩`,
    `(?:choisi|retenu|opté\\s+pour|sélectionné)\\s+(?:un|une)\\s+autre\\s+(?:prestataire|fournisseur|partenaire|solution|offre|société|agence|éditeur|entreprise)⟩`,
    `(?:ne\\s+)?(?:pas\\s+donner|donnerons\\s+pas|donnons\\s+pas|pouvons\\s+pas\\s+donner)\\s+suite⟩`,
    `(?:partir|aller)\\s+dans\\s+une\\s+autre\\s+direction⟩`,
    `rester\\s+avec\\s+(?:notre|nos)\\s+(?:fournisseur|prestataire|partenaire|solution)s?\\s+actuel(?:le)?s?⟩`,
    `(?:clore|clôturer|fermer|classer)\\s+(?:le|ce|notre)\\s+dossier⟩`,
    `(?:retirez|supprimez|enlevez)[\\s-]+(?:moi|nous)\\s+de\\s+(?:votre|vos|la)\\s+(?:liste|fichier|listes)⟩`,
    `ne\\s+plus\\s+(?:me|nous)\\s+(?:contacter|écrire|relancer|solliciter)⟩`,
    `non,?\\s+merci⟩`,
    // Spanish
    `no\\s+(?:me|nos|les)\\s+interesa⟩`,
    `no\\s+(?:estamos|estoy)\\s+(?:realmente\\s+)?interesad[oa]s?⟩`,
    `(?:elegido|escogido|optado\\s+por|seleccionado|decidido\\s+por|quedado\\s+con|quedamos\\s+con|nos\\s+vamos\\s+con|fuimos\\s+con|contratado)\\s+(?:a\\s+)?(?:otro|otra)\\s+(?:proveedor|empresa|solución|opción|socio|agencia|oferta|compañía)⟩`,
    `(?:ir|tomar|seguir|irnos)\\s+(?:en\\s+|por\\s+)?otra\\s+dirección⟩`,
    `(?:seguir|quedarnos|continuar)\\s+con\\s+(?:nuestro|nuestra)\\s+(?:proveedor|solución|socio)\\s+actual⟩`,
    `(?:cerrar|cierre|cierren|cierra)\\s+(?:el|este)\\s+(?:expediente|caso|asunto)⟩`,
    `(?:elimín(?:e|en)?me|elimíname|sáqu(?:e|en)me|sácame|bórr(?:e|en)me|bórrame|quít(?:e|en)me|quítame)\\s+de\\s+(?:su|tu|la|sus)\\s+(?:lista|listas|base\\s+de\\s+datos)⟩`,
    `(?:dejen|deje|deja)\\s+de\\s+(?:escribirme|contactarme|enviarme|llamarme)⟩`,
    `no\\s+(?:me|nos)\\s+(?:vuelva|vuelvan|vuelvas)\\s+a\\s+(?:contactar|escribir|llamar)⟩`,
    `no\\s+(?:vamos\\s+a|podemos)\\s+seguir\\s+adelante⟩`,
    `(?:hemos|he)\\s+decidido\\s+no\\s+(?:seguir|continuar|avanzar)⟩`,
    `no,?\\s+gracias⟩`,
  ]
    .join("|")
    .replace(/^/, "⟨(?:")
    .concat(")"),
);

// A negation just before a phrase turns it around ("we didn't go with another vendor", "I'm not saying we're
// not interested"); the words in between may not cross punctuation. "no" counts only right before.
const NEGATED_BEFORE = wordPattern(
  `(?:(?:n't|⟨not|⟨never|⟨nicht|⟨nie|⟨kein(?:e|en)?|⟨pas|⟨jamais|⟨nunca|⟨jamás)\\s+(?:[^\\s,.;:!?]+\\s+){0,4}|⟨(?:nicht|not),?\\s+(?:dass|that)\\s+(?:[^\\s,.;:!?]+\\s+){0,4}|⟨no\\s+(?:(?!thanks|thank|gracias)[^\\s,.;:!?]+\\s+)?)$`,
  "u",
);
const CONDITIONAL_BEFORE = wordPattern(
  `⟨(?:if|unless|whether|in\\s+case|wenn|falls|sofern|ob|si|s'il|au\\s+cas\\s+où|en\\s+caso\\s+de\\s+que)\\s+(?:[^\\s,.;:!?]+\\s+){0,4}$`,
  "u",
);
// "…, but the premium one looks great": a contrast in the same sentence, other than "but thanks".
const CONTRAST_AFTER = wordPattern(
  `^[^.!?\\n]{0,60}?⟨(?:but|however|though|although|aber|jedoch|allerdings|mais|cependant|toutefois|pero|sin\\s+embargo|aunque)⟩(?!\\s*,?\\s*(?:thanks|thank|good\\s+luck|appreciate|danke|vielen\\s+dank|merci|bonne\\s+chance|gracias|muchas\\s+gracias|suerte|best|all\\s+the\\s+best)⟩)`,
  "u",
);
const QUESTION_AFTER = /^\s*\?/;
const NOT_A_REFUSAL_AFTER = wordPattern(
  `^\\s+in\\s+(?:waiting|delaying|postponing|wasting|putting\\s+(?:it|this)\\s+off|holding\\s+off)⟩`,
  "u",
);
// "not interested right now … next quarter": a refusal for now, with a day to come back, is a deferral.
const FOR_NOW_AFTER = wordPattern(
  `^[^.!?\\n]{0,40}?⟨(?:right\\s+now|at\\s+the\\s+moment|at\\s+this\\s+time|for\\s+now|currently|this\\s+(?:year|quarter)|until|before|zurzeit|derzeit|momentan|im\\s+moment|im\\s+augenblick|aktuell|in\\s+diesem\\s+jahr|bis|vor|pour\\s+le\\s+moment|pour\\s+l'instant|pour\\s+l'heure|actuellement|en\\s+ce\\s+moment|jusqu|avant|por\\s+ahora|ahora\\s+mismo|de\\s+momento|en\\s+este\\s+momento|por\\s+el\\s+momento|hasta|antes)⟩`,
  "u",
);

// The same "for now" words just before or inside the refusal: "wir bleiben vorerst bei …", "de momento no …".
const FOR_NOW_AROUND = wordPattern(
  `⟨(?:right\\s+now|at\\s+the\\s+moment|for\\s+now|for\\s+the\\s+time\\s+being|currently|vorerst|fürs\\s+erste|zurzeit|derzeit|momentan|im\\s+moment|im\\s+augenblick|aktuell|pour\\s+le\\s+moment|pour\\s+l'instant|pour\\s+l'heure|actuellement|en\\s+ce\\s+moment|por\\s+ahora|ahora\\s+mismo|de\\s+momento|en\\s+este\\s+momento|por\\s+el\\s+momento)⟩`,
);

// A clear yes: with one of these in the text (not negated), nothing is read as a decline.
const POSITIVE = wordPattern(
  [
    `let's\\s+(?:start|go|do\\s+(?:it|this)|move\\s+forward|proceed|get\\s+started|meet|schedule|set\\s+(?:it|this|something|up)|book|kick\\s+off|sign)⟩`,
    `send\\s+(?:me\\s+|us\\s+|over\\s+|across\\s+)?(?:the|your|a)\\s+(?:proposal|contract|quote|agreement|offer|order\\s+form|paperwork|invoice|details|deck|pricing)⟩`,
    `(?:sounds|looks)\\s+(?:really\\s+)?(?:good|great|perfect|promising|interesting)⟩`,
    `works\\s+(?:well\\s+)?for\\s+(?:me|us)⟩`,
    `go\\s+ahead⟩`,
    `count\\s+(?:me|us)\\s+in⟩`,
    `(?:ready|happy|keen)\\s+to\\s+(?:start|sign|go|move\\s+forward|proceed|buy|go\\s+ahead)⟩`,
    `lassen\\s+sie\\s+uns\\s+(?:starten|beginnen|loslegen|anfangen)⟩`,
    `(?:schicken|senden)\\s+sie\\s+(?:mir|uns)\\s+(?:gerne\\s+|bitte\\s+)?(?:das|den|die|ein|einen|eine)\\s+(?:angebot|vertrag|unterlagen|details)⟩`,
    `(?:klingt|sieht)\\s+(?:sehr\\s+)?(?:gut|super|toll|prima|spannend|interessant)⟩`,
    `legen\\s+wir\\s+los⟩`,
    `envoyez[\\s-](?:moi|nous)⟩`,
    `ça\\s+(?:me|nous)\\s+(?:va|convient|intéresse)⟩`,
    `allons-y⟩`,
    `c'est\\s+parti⟩`,
    `commençons⟩`,
    `(?:très|vraiment)\\s+intéressant(?:e|s|es)?⟩`,
    `(?:envíe(?:nos|me)|envíame|envíanos|mánd(?:e|a)(?:nos|me))⟩`,
    `(?:me|nos)\\s+parece\\s+(?:muy\\s+)?(?:bien|genial|perfecto|interesante)⟩`,
    `empecemos|comencemos`,
  ]
    .join("|")
    .replace(/^/, "⟨(?:")
    .concat(")"),
);

// Someone asking to be contacted again later, or saying the matter waits.
const DEFER_CUE = wordPattern(
  [
    // English
    `(?:get|come|circle|check)\\s+back(?!\\s+to\\s+you)(?:\\s+(?:to|in\\s+touch|with))?`,
    `get\\s+in\\s+touch`,
    `reach\\s+out`,
    `reconnect`,
    `touch\\s+base`,
    `follow[\\s-]up`,
    `check\\s+in`,
    `(?:ping|contact|call|try|e-?mail|write\\s+to|ask)\\s+(?:me|us)`,
    `revisit`,
    `on\\s+hold`,
    `paus(?:e|ed|ing)`,
    `postpon(?:e|ed|ing)`,
    `push(?:ed)?\\s+(?:this|it)\\s+(?:back|out)`,
    `not\\s+(?:right\\s+)?now`,
    `not\\s+at\\s+(?:the\\s+moment|this\\s+time)`,
    `too\\s+early`,
    `later`,
    `wait\\s+(?:until|till)`,
    `(?:talk|speak)\\s+again`,
    `pick\\s+(?:this|it)\\s+(?:back\\s+)?up`,
    `(?:budget|decision)s?\\s+(?:is|are|will\\s+be)\\s+(?:frozen|made|decided|approved|available)`,
    `(?:frozen|freeze)`,
    // German
    `melden\\s+sie\\s+sich`,
    `(?:kommen|komme)\\s+(?:sie\\s+|ich\\s+|wir\\s+)?(?:\\S+\\s+){0,3}(?:wieder\\s+)?(?:auf\\s+(?:mich|uns|sie)\\s+zu|zurück)`,
    `(?:wieder|nochmal|nochmals|erneut|noch\\s+einmal)\\s+(?:melden|kontaktieren|anrufen|sprechen|schreiben|ansprechen|aufnehmen)`,
    `(?:kontaktieren|rufen|schreiben)\\s+sie\\s+(?:mich|uns)`,
    `auf\\s+eis`,
    `(?:fragen|haken)\\s+sie\\s+(?:\\S+\\s+){0,4}nach`,
    `verschieb(?:en)?|verschoben`,
    `zurückgestellt|zurückstellen`,
    `pausier(?:en|t)`,
    `später`,
    `(?:derzeit|momentan|im\\s+moment|aktuell|jetzt)\\s+(?:noch\\s+)?nicht`,
    `zu\\s+früh`,
    `erst\\s+(?:wieder\\s+)?(?:ab|im|nach|in)`,
    // French
    `recontact(?:er|ez)`,
    `revenir\\s+vers`,
    `revenez\\s+vers`,
    `reprendre\\s+contact`,
    `relanc(?:er|ez)`,
    `rappel(?:er|ez)`,
    `contactez-(?:moi|nous)`,
    `(?:en\\s+)?reparler(?:ons|ez|ai)?|on\\s+en\\s+reparle`,
    `en\\s+(?:pause|suspens|attente)`,
    `report(?:er|é|ée|ons)`,
    `plus\\s+tard`,
    `pas\\s+(?:pour\\s+le\\s+moment|maintenant|tout\\s+de\\s+suite|avant)`,
    `trop\\s+tôt`,
    `écrivez-moi`,
    // Spanish
    `volver\\s+a\\s+(?:contactar|hablar|escribir|llamar)(?:me|nos|le)?`,
    `vuelv(?:a|e|an)\\s+a\\s+(?:contactar|escribir|llamar)(?:me|nos)?`,
    `contácte(?:me|nos)|contáctame|contáctanos`,
    `escríb(?:ame|eme|anos|enos)`,
    `llám(?:ame|eme|enos)`,
    `retom(?:ar|emos|amos)`,
    `en\\s+(?:pausa|espera)`,
    `pospuesto|posponer|aplazado|aplazar`,
    `más\\s+(?:adelante|tarde)`,
    `(?:ahora|por\\s+ahora|de\\s+momento|todavía|aún)\\s+no`,
    `es\\s+(?:muy\\s+|demasiado\\s+)?pronto`,
    `ponernos\\s+en\\s+contacto|pongámonos\\s+en\\s+contacto`,
  ]
    .join("|")
    .replace(/^/, "⟨(?:")
    .concat(")⟩"),
);
// "Let's talk …" and "I'll get back to you …" are a deferral only when the day is more than a week away; sooner,
// they set up a call or promise an answer.
const WEAK_DEFER_CUE = wordPattern(
  `⟨(?:let's\\s+(?:talk|speak|chat)|sprechen\\s+wir|lassen\\s+sie\\s+uns\\s+(?:\\S+\\s+){0,3}sprechen|parlons-en|on\\s+en\\s+parle|hablemos|hablamos|(?:get|come)\\s+back\\s+to\\s+you|reach\\s+out\\s+to\\s+you|be\\s+in\\s+touch|(?:melde|melden)\\s+(?:mich|uns)|reviendrai|reviendrons|(?:reviens|revenir)\\s+vers\\s+vous|(?:le|les|te)\\s+(?:escribiré|escribiremos|contactaré|contactaremos|llamaré)|me\\s+pondré\\s+en\\s+contacto)⟩`,
);
const WEEK_AHEAD = 7;
// Words that place a date but ask for nothing; they count as "later" only where no out-of-office note is.
const TIME_CUE = wordPattern(
  `⟨(?:until|till|after|from|starting|bis|nach|ab|jusqu'|après|à\\s+partir|hasta|después|a\\s+partir)`,
);

const OUT_OF_OFFICE = wordPattern(
  [
    `out\\s+of\\s+(?:the\\s+)?office`,
    `out-of-office`,
    `away\\s+from\\s+(?:the|my)\\s+(?:office|desk)`,
    `on\\s+(?:annual\\s+|parental\\s+|maternity\\s+|paternity\\s+|sick\\s+|medical\\s+|holiday\\s+)?leave`,
    `on\\s+(?:vacation|holiday|holidays|a\\s+business\\s+trip|business\\s+travel|pto)`,
    `(?:i\\s+am|i'm|i\\s+will\\s+be|i'll\\s+be|currently)\\s+(?:out|away|travell?ing|off)`,
    `limited\\s+access\\s+to\\s+(?:my\\s+)?e-?mail`,
    `(?:out|off|home)\\s+sick`,
    `(?:krankgeschrieben|krankheitsbedingt\\s+abwesend)`,
    `en\\s+arrêt\\s+de\\s+travail`,
    `de\\s+baja\\s+(?:médica|por\\s+enfermedad)`,
    `abwesend`,
    `abwesenheit`,
    `nicht\\s+im\\s+(?:büro|haus|office)`,
    `au(?:ß|ss)er\\s+haus`,
    `im\\s+urlaub`,
    `in\\s+(?:den\\s+)?urlaub`,
    `urlaubsbedingt`,
    `auf\\s+(?:geschäfts|dienst)reise`,
    `in\\s+elternzeit`,
    `(?:nicht|eingeschränkt)\\s+erreichbar`,
    `absente?(?:\\s+du\\s+bureau)?`,
    `en\\s+congés?`,
    `en\\s+vacances`,
    `hors\\s+du\\s+bureau`,
    `en\\s+déplacement`,
    `en\\s+arrêt\\s+maladie`,
    `accès\\s+limité\\s+(?:à\\s+mes|aux)\\s+(?:e-?mails|courriels|messages)`,
    `fuera\\s+de\\s+(?:la|mi)\\s+oficina`,
    `de\\s+vacaciones`,
    `ausente`,
    `de\\s+viaje`,
    `de\\s+permiso`,
    `acceso\\s+limitado\\s+al\\s+correo`,
  ]
    .join("|")
    .replace(/^/, "⟨(?:")
    .concat(")⟩"),
);
// The day they are back: "back on", "returning", "zurück am", "wieder ab", "de retour le", "de vuelta el".
const RETURN_CUE = wordPattern(
  `⟨(?:back|return(?:ing)?(?:\\s+to\\s+the\\s+office)?|zurück|wieder(?:\\s+im\\s+büro|\\s+erreichbar|\\s+da)?|de\\s+retour|retour|je\\s+serai\\s+de\\s+retour|de\\s+vuelta|de\\s+regreso|volveré|regreso|regresaré|me\\s+reincorporo|ab(?:\\s+(?:dem|den))?|à\\s+partir\\s+du|a\\s+partir\\s+del)⟩(?:\\s+(?:on|in|at\\s+work|in\\s+the\\s+office|am|ab|dem|le|au\\s+bureau\\s+le|à\\s+partir\\s+du|el|a\\s+partir\\s+del))*`,
);
const UNTIL_CUE = wordPattern(
  `⟨(?:until|till|til|through|thru|bis(?:\\s+(?:zum|einschließlich|einschl\\.))?|jusqu'(?:au|à|a)|hasta(?:\\s+el)?)⟩`,
);
// "get back to you in 2 days" is a promise to answer, not a return to the office.
const PROMISE_BEFORE = /(?:get|come|circle|call|ring|write|report|reply|revert)\s+$/;
// The middle of a range of days: "23 November to 4 December", "du 23 novembre au 4 décembre", "del 23 al 4".
const RANGE_CUE = wordPattern(`⟨(?:to|au|al|bis)⟩|[–-]`);
const AUTO_REPLY_SUBJECT = wordPattern(
  `⟨(?:automatic\\s+reply|auto[-\\s]?reply|autoreply|auto[-\\s]?response|out\\s+of\\s+(?:the\\s+)?office|abwesenheitsnotiz|automatische\\s+antwort|abwesend|réponse\\s+automatique|reponse\\s+automatique|absence\\s+du\\s+bureau|absent\\s+du\\s+bureau|respuesta\\s+automática|respuesta\\s+automatica|fuera\\s+de\\s+la\\s+oficina)⟩`,
  "u",
);

const TICKET = wordPattern(
  `\\[?\\s*⟨(?:ticket|case|request|incident|anfrage|vorgang|demande|solicitud|caso|ticketnummer|ticket-nr\\.?)⟩\\s*(?:#|no\\.?|nr\\.?|n°|number|nummer|numéro|número|id)?\\s*:?\\s*#?\\s*[a-z]{0,4}-?\\d{3,}\\]?`,
  "u",
);
const ACKNOWLEDGEMENT = wordPattern(
  [
    `(?:we|we've|we\\s+have)\\s+(?:have\\s+)?received\\s+your\\s+(?:request|message|e-?mail|inquiry|enquiry|ticket|query|support\\s+request)`,
    `thank\\s+you\\s+for\\s+contacting\\s+(?:our\\s+|the\\s+)?(?:support|help|service|customer)`,
    `(?:a|one)\\s+(?:member|representative|agent)\\s+of\\s+(?:our|the)\\s+(?:\\S+\\s+)?(?:team|staff)\\s+will`,
    `your\\s+(?:request|ticket|case|inquiry|enquiry)\\s+(?:has\\s+been|was)\\s+(?:received|logged|created|opened|registered)`,
    `this\\s+is\\s+an\\s+automated\\s+(?:confirmation|acknowledge?ment)`,
    `wir\\s+haben\\s+ihre\\s+(?:anfrage|nachricht|e-mail|mail)\\s+erhalten`,
    `ihre\\s+anfrage\\s+(?:wurde|ist)\\s+(?:bei\\s+uns\\s+)?(?:eingegangen|registriert|erfasst)`,
    `ein(?:e)?\\s+(?:mitarbeiter(?:in)?|kolleg(?:e|in))\\s+(?:unseres\\s+(?:support-?)?teams\\s+)?wird\\s+sich`,
    `nous\\s+avons\\s+bien\\s+reçu\\s+votre\\s+(?:demande|message|e-?mail|courriel)`,
    `votre\\s+demande\\s+a\\s+(?:bien\\s+)?été\\s+(?:enregistrée|reçue|prise\\s+en\\s+compte)`,
    `un\\s+membre\\s+de\\s+notre\\s+équipe`,
    `hemos\\s+recibido\\s+su\\s+(?:solicitud|mensaje|consulta|correo|petición)`,
    `su\\s+(?:solicitud|consulta|caso)\\s+(?:ha\\s+sido|fue)\\s+(?:recibida|registrada|creada|recibido|registrado|creado)`,
    `un\\s+miembro\\s+de\\s+nuestro\\s+equipo`,
  ]
    .join("|")
    .replace(/^/, "⟨(?:")
    .concat(")"),
  "u",
);
const DELAY = wordPattern(
  [
    `delivery\\s+status\\s+notification\\s+\\(delay\\)`,
    `delivery\\s+(?:has\\s+been|is|was)\\s+delayed`,
    `delivery\\s+(?:to|of)\\s+[^\\n]{1,100}?\\s+(?:has\\s+been|is|was)\\s+delayed`,
    `message\\s+(?:delivery\\s+)?(?:has\\s+been|is|was)\\s+delayed`,
    `delivery\\s+delayed`,
    `delayed\\s+mail`,
    `(?:zustellung|übermittlung)\\s+[^\\n]{0,60}?verzögert`,
    `verzögerte\\s+zustellung`,
    `noch\\s+nicht\\s+zugestellt`,
    `remise\\s+[^\\n]{0,40}?(?:différée|retardée)`,
    `(?:a\\s+été|est)\\s+retardée`,
    `n'a\\s+pas\\s+encore\\s+(?:pu\\s+)?être\\s+(?:remis|distribué)`,
    `entrega\\s+(?:retrasada|demorada|con\\s+retraso)`,
    `(?:se\\s+ha|ha\\s+sido)\\s+retrasad[oa]`,
    `aún\\s+no\\s+se\\s+ha\\s+podido\\s+entregar`,
  ]
    .join("|")
    .replace(/^/, "⟨(?:")
    .concat(")"),
  "u",
);

const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/u;
const NAME_BEFORE =
  /((?:\p{Lu}[\p{L}'’-]*\.?[ \t]+){0,3}\p{Lu}[\p{Ll}'’-]+)[\s(<[:,"'’-]*(?:(?:at|en|à|a|unter|sous|under|via|per|par|e-?mail|mail)[\s(<[:,"'’-]*)?$/u;
const NAME_LEAD = new Set([
  "contact",
  "please",
  "email",
  "e-mail",
  "write",
  "reach",
  "kontaktieren",
  "bitte",
  "contactez",
  "contacte",
  "contacter",
  "escriba",
  "escribe",
  "mr",
  "mr.",
  "ms",
  "ms.",
  "mrs",
  "mrs.",
  "dr",
  "dr.",
  "frau",
  "herr",
  "herrn",
  "mme",
  "m.",
  "madame",
  "monsieur",
  "sr",
  "sr.",
  "sra",
  "sra.",
  "don",
  "doña",
  "kollegen",
  "kollegin",
  "nachfolger",
  "nachfolgerin",
  "sie",
  "ihre",
  "ihren",
  "my",
  "our",
  "colleague",
  "su",
  "mi",
  "veuillez",
  "merci",
  "por",
  "favor",
]);

// ---- reading --------------------------------------------------------------------------------------------

/**
 * The writer's own words as written (for evidence) and lower-cased at the same indexes (for the patterns), with
 * what the patterns found in them. A verdict that reads a date is worked out again for each day the same words
 * were written on (relative dates count from that day), and the scans of the words are the same every time: an
 * answer reader keeps one Words per text, so only the reading of the dates is done again.
 */
interface Words {
  readonly text: string;
  readonly lower: string;
  /** spansOf(pattern, lower), by pattern. */
  readonly spans: Map<RegExp, readonly Span[]>;
  /** firstSpan(pattern, lower), by pattern. */
  readonly firstSpans: Map<RegExp, Span | null>;
  clearYes: boolean | undefined;
  dates: DateScan | null;
}

function wordsOf(raw: string): Words {
  const text = ownWords(raw);
  return {
    text,
    lower: lowerCased(text),
    spans: new Map(),
    firstSpans: new Map(),
    clearYes: undefined,
    dates: null,
  };
}

/** Every match of a pattern in the words, as spans (spansOf on their lower-cased text, once per pattern). */
function spansIn(words: Words, pattern: RegExp): readonly Span[] {
  let spans = words.spans.get(pattern);
  if (spans === undefined) words.spans.set(pattern, (spans = spansOf(pattern, words.lower)));
  return spans;
}

/** The first match of a pattern in the words (firstSpan on their lower-cased text, once per pattern). */
function firstIn(words: Words, pattern: RegExp): Span | null {
  let span = words.firstSpans.get(pattern);
  if (span === undefined) words.firstSpans.set(pattern, (span = firstSpan(pattern, words.lower)));
  return span;
}

/** One answer to read: its words, and its subject as written and lower-cased. */
interface Mail {
  readonly words: Words;
  readonly text: string;
  readonly lower: string;
  readonly subject: string;
  readonly lowerSubject: string;
}

interface Dates {
  readonly today: CivilDay | null;
  readonly mentions: readonly DateMention[];
  readonly timeZone: string;
}

function datesIn(mail: Mail, input: IntentInput): Dates {
  const timeZone = typeof input.timeZone === "string" ? input.timeZone : "UTC";
  if (!isCalendarInstant(input.sentAt)) return { today: null, mentions: [], timeZone };
  const today = localDayOf(input.sentAt, timeZone);
  const words = mail.words;
  return {
    today,
    mentions: datesOnDay((words.dates ??= scanDates(words.lower)), today, words.text),
    timeZone,
  };
}

const spanOf = (m: RegExpExecArray): Span => ({ start: m.index, end: m.index + m[0].length });

/** Every match of a global pattern, as spans. */
function spansOf(pattern: RegExp, text: string): Span[] {
  const out: Span[] = [];
  pattern.lastIndex = 0;
  for (let m = nextMatch(pattern, text); m !== null; m = nextMatch(pattern, text)) {
    if (m[0] === "") pattern.lastIndex++;
    else out.push(spanOf(m));
  }
  return out;
}

function firstSpan(pattern: RegExp, text: string): Span | null {
  pattern.lastIndex = 0;
  const m = nextMatch(pattern, text);
  return m ? spanOf(m) : null;
}

const matches = (pattern: RegExp, text: string) => firstSpan(pattern, text) !== null;
const lookBefore = (text: string, at: number) => text.slice(Math.max(0, at - 60), at);
const lookAfter = (text: string, at: number) => text.slice(at, at + 100);

/** Whether a phrase at this span is meant as written: not negated and not inside an "if …". */
function affirmed(lower: string, span: Span): boolean {
  const before = lookBefore(lower, span.start);
  return !matches(NEGATED_BEFORE, before) && !matches(CONDITIONAL_BEFORE, before);
}

function hasClearYes(words: Words): boolean {
  return (words.clearYes ??= spansIn(words, POSITIVE).some((s) => affirmed(words.lower, s)));
}

/** A date that belongs to a cue: the nearest one starting within `reach` characters after it. */
function dateAfter(dates: Dates, cue: Span, reach: number): DateMention | null {
  for (const d of dates.mentions) if (d.start >= cue.end && d.start - cue.end <= reach) return d;
  return null;
}

/** The date nearest a cue, before or after, within `reach` characters. */
function dateNear(dates: Dates, cue: Span, reach: number): DateMention | null {
  let best: DateMention | null = null;
  let bestDistance = Infinity;
  for (const d of dates.mentions) {
    const distance = d.start >= cue.end ? d.start - cue.end : d.end <= cue.start ? cue.start - d.end : 0;
    if (distance <= reach && distance < bestDistance) {
      best = d;
      bestDistance = distance;
    }
  }
  return best;
}

/** From the first span's start to the last one's end. */
const spanning = (spans: readonly Span[]): Span => ({
  start: Math.min(...spans.map((s) => s.start)),
  end: Math.max(...spans.map((s) => s.end)),
});

/** The words of a subject a verdict rests on, as written. */
const evidenceOf = (text: string, ...spans: Span[]) => {
  const { start, end } = spanning(spans);
  return text.slice(start, end).trim();
};

// How far evidence reaches beyond the phrase to take in its whole sentence, at most.
const SENTENCE_BEFORE = 120;
const SENTENCE_AFTER = 160;
const SENTENCE_END = /[.!?…](?=\s)|\n/g;

/**
 * What a person wrote that a verdict rests on: the sentence (or sentences) holding the phrases, as written, so the
 * pane quotes "I have left the company last month." and not "have left the company". A very long sentence is cut
 * at a word edge, at most SENTENCE_BEFORE characters before the phrase and SENTENCE_AFTER after it.
 */
function quoteOf(text: string, ...spans: Span[]): string {
  const { start: from, end: to } = spanning(spans);
  let start = Math.max(0, from - SENTENCE_BEFORE);
  const before = text.slice(start, from);
  let lastEnd = -1;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(before); m; m = SENTENCE_END.exec(before)) lastEnd = m.index + 1;
  if (lastEnd >= 0) start += lastEnd;
  else if (start > 0) start += Math.max(0, before.search(/\s/) + 1);
  const after = text.slice(to, to + SENTENCE_AFTER);
  SENTENCE_END.lastIndex = 0;
  const next = SENTENCE_END.exec(after);
  let end: number;
  if (next) end = to + next.index + (next[0] === "\n" ? 0 : 1);
  else if (to + SENTENCE_AFTER >= text.length) end = text.length;
  else {
    const edge = after.lastIndexOf(" ");
    end = to + (edge > 0 ? edge : after.length);
  }
  const quote = text.slice(start, end).trim();
  // "Hi Sam, I have left…": the greeting is not what they said.
  const greeting = GREETING.exec(quote);
  return greeting && greeting[0].length < quote.length && start + greeting[0].length <= from
    ? quote.slice(greeting[0].length)
    : quote;
}
const GREETING =
  /^(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening)|hallo|guten\s+tag|liebe[rs]?|bonjour|salut|hola|buenos\s+días|estimad[oa])\b[^,.!?\n]{0,40},\s*/iu;

function dated(kind: "deferred" | "out-of-office", mail: Mail, dates: Dates, cue: Span, date: DateMention) {
  return { kind, evidence: quoteOf(mail.text, cue, date), until: localMidnight(date.day, dates.timeZone) };
}

function leftIntent(mail: Mail, span: Span): AnswerIntent {
  const evidence = quoteOf(mail.text, span);
  const after = mail.text.slice(span.start);
  const email = EMAIL.exec(after);
  if (!email) return { kind: "left", evidence };
  const address = email[0].toLowerCase();
  const before = after.slice(Math.max(0, email.index - 80), email.index);
  let words = NAME_BEFORE.exec(before)?.[1]?.split(/[ \t]+/) ?? [];
  while (words.length > 0 && NAME_LEAD.has((words[0] ?? "").toLowerCase())) words = words.slice(1);
  return { kind: "left", evidence, successor: { address, name: words.join(" ") } };
}

interface Refusal {
  readonly span: Span;
  readonly forNow: boolean;
}

/** The first decline phrase that stands: affirmed, not questioned, not contrasted, not "not interested in waiting". */
function refusalIn(words: Words): Refusal | null {
  const lower = words.lower;
  for (const span of spansIn(words, DECLINE)) {
    if (!affirmed(lower, span)) continue;
    const after = lookAfter(lower, span.end);
    if (QUESTION_AFTER.test(after) || matches(CONTRAST_AFTER, after) || matches(NOT_A_REFUSAL_AFTER, after))
      continue;
    if (hasClearYes(words)) return null;
    const around = lower.slice(Math.max(0, span.start - 30), span.end);
    return { span, forNow: matches(FOR_NOW_AFTER, after) || matches(FOR_NOW_AROUND, around) };
  }
  return null;
}

/** Dates are read only where a cue needs one: most answers have none, and reading dates is the costly part. */
function deferralIn(mail: Mail, datesOf: () => Dates, outOfOffice: boolean): AnswerIntent | null {
  const lower = mail.lower;
  if (!mayMentionDate(lower)) return null; // every deferral has a date
  const cues = spansIn(mail.words, DEFER_CUE).filter(
    (cue) => !matches(NEGATED_BEFORE, lookBefore(lower, cue.start)),
  );
  const weakCues = spansIn(mail.words, WEAK_DEFER_CUE);
  const timeCues = outOfOffice ? [] : spansIn(mail.words, TIME_CUE);
  if (cues.length + weakCues.length + timeCues.length === 0) return null;
  const dates = datesOf();
  if (dates.mentions.length === 0) return null;
  for (const cue of cues) {
    const date = dateNear(dates, cue, 80);
    if (date) return dated("deferred", mail, dates, cue, date);
  }
  for (const cue of weakCues) {
    const date = dateNear(dates, cue, 80);
    if (date && dates.today !== null && date.day - dates.today > WEEK_AHEAD) {
      return dated("deferred", mail, dates, cue, date);
    }
  }
  for (const cue of timeCues) {
    // "busy until January" waits; "bis Freitag" is as often "by Friday", a deadline for me
    const date = dateAfter(dates, cue, 12);
    if (date && dates.today !== null && date.day - dates.today > WEEK_AHEAD) {
      return dated("deferred", mail, dates, cue, date);
    }
  }
  return null;
}

/** The return day of an out-of-office note: after "back on" first, then after "until", then after the note. */
// Dates are read only when there is a note or a cue: receipts and bounces have neither.
function returnDay(
  words: Words,
  datesOf: () => Dates,
  note: Span | null,
): { cue: Span; date: DateMention } | null {
  const lower = words.lower;
  if (!mayMentionDate(lower)) return null;
  const near = (cue: Span) => (note && note.start < cue.start && cue.start - note.end < 80 ? note : cue);
  const returns = spansIn(words, RETURN_CUE).filter(
    (cue) => !PROMISE_BEFORE.test(lookBefore(lower, cue.start)),
  );
  const untils = spansIn(words, UNTIL_CUE);
  if (note === null && returns.length === 0 && untils.length === 0) return null;
  const dates = datesOf();
  for (const cue of returns) {
    // "back on 7 December", or the day written first: "am 30. November wieder erreichbar"
    const date =
      dateAfter(dates, cue, 25) ?? dates.mentions.find((d) => d.end <= cue.start && cue.start - d.end <= 3);
    if (date) return { cue: near(cue), date };
  }
  for (const cue of untils) {
    const date = dateAfter(dates, cue, 25);
    if (date) return { cue: near(cue), date };
  }
  for (const cue of spansIn(words, RANGE_CUE)) {
    const first = dates.mentions.some((d) => d.end <= cue.start && cue.start - d.end <= 3);
    const date = first ? dateAfter(dates, cue, 3) : null;
    if (date) return { cue: near(cue), date };
  }
  if (note) {
    const date = dateAfter(dates, note, 60);
    if (date) return { cue: note, date };
  }
  return null;
}

/** A person's short note that says only that they are away, with no yes, no question and no "but". */
function onlyAway(words: Words): boolean {
  const lower = words.lower;
  return (
    lower.trim().length <= 220 &&
    !lower.includes("?") &&
    !hasClearYes(words) &&
    firstIn(words, CONTRAST_AFTER) === null &&
    firstIn(words, DEFER_CUE) === null
  );
}

// Cheap checks that must pass before the ticket and delay patterns are worth running.
const MAYBE_TICKET = /\d{3}/;
const MAYBE_DELAY = /deliver|zustell|übermittl|remise|retard|diffé|entrega|retras|demorad/;

function helpdeskOrDelay(mail: Mail, automated: boolean): AnswerIntent | null {
  const { lower, lowerSubject } = mail;
  if (!MAYBE_TICKET.test(lower) && !MAYBE_TICKET.test(lowerSubject)) {
    if (!automated && !MAYBE_DELAY.test(lower) && !MAYBE_DELAY.test(lowerSubject)) return null;
  }
  const ticket = firstIn(mail.words, TICKET);
  // a person's "we have received your request" is an answer; only a ticket number makes it a helpdesk's
  const ack =
    automated || ticket || matches(TICKET, mail.lowerSubject) ? firstIn(mail.words, ACKNOWLEDGEMENT) : null;
  if (ack) return { kind: "acknowledgement", evidence: quoteOf(mail.text, ack) };
  if (ticket && automated) return { kind: "acknowledgement", evidence: quoteOf(mail.text, ticket) };
  const delay = firstIn(mail.words, DELAY);
  if (delay) return { kind: "delay", evidence: quoteOf(mail.text, delay) };
  const subjectDelay = firstSpan(DELAY, mail.lowerSubject);
  if (subjectDelay) return { kind: "delay", evidence: evidenceOf(mail.subject, subjectDelay) };
  const subjectTicket = firstSpan(TICKET, mail.lowerSubject);
  if (subjectTicket && automated)
    return { kind: "acknowledgement", evidence: evidenceOf(mail.subject, subjectTicket) };
  return null;
}

/** Reads what an answer (or automatic reply) says: declined, later, left, out of office, a ticket ack, a delay notice, or a plain answer. */
export function classifyAnswer(input: IntentInput): AnswerIntent {
  return classify(input, { dateFree: false });
}

/**
 * classifyAnswer for one engine run over a mailbox, remembering its verdicts: the same words in the same subject
 * (a stock reply, an auto-reply sent to every follow-up) are read once, and so are the same words under any
 * subjects that cannot change a verdict (see subjectCanMatter). A verdict that read no date is reused as it is;
 * one that did is reused only for a message written on the same local day in the same zone, since relative dates
 * count from that day. The verdicts are exactly classifyAnswer's.
 */
export function createAnswerReader(): (input: IntentInput) => AnswerIntent {
  const LIMIT = 50_000;
  let size = 0;
  // text → subject → [human, automated]: the verdict, or (when it read a date) the verdicts by local day. Under ""
  // (itself a subject that says nothing) are those of every subject that cannot change a verdict.
  const known = new Map<string, Map<string, (AnswerIntent | DayVerdicts | undefined)[]>>();
  // text → its Words: the same words read on another day are not scanned again
  const scanned = new Map<string, Words>();
  return (input) => {
    const { subject, text } = input;
    if (typeof subject !== "string" || typeof text !== "string" || !isCalendarInstant(input.sentAt))
      return classifyAnswer(input);
    const slot = input.automated === true ? 1 : 0;
    let bySubject = known.get(text);
    let verdicts = bySubject?.get(subject);
    if (bySubject && verdicts === undefined && !subjectCanMatter(subject)) {
      // these words may have been read under another subject that says nothing, kept under ""
      verdicts = bySubject.get("");
      if (verdicts) bySubject.set(subject, verdicts);
    }
    const found = verdicts?.[slot];
    if (found !== undefined && !(found instanceof DayVerdicts)) return found;
    const timeZone = typeof input.timeZone === "string" ? input.timeZone : "UTC";
    let day = NaN;
    if (found !== undefined && found.timeZone === timeZone) {
      day = localDayOf(input.sentAt, timeZone);
      const sameDay = found.byDay.get(day);
      if (sameDay) return sameDay;
    }
    const probe = { dateFree: true };
    let words = scanned.get(text);
    if (words === undefined) scanned.set(text, (words = wordsOf(text)));
    const intent = classify(input, probe, words);
    if (++size > LIMIT) {
      known.clear();
      scanned.clear();
      size = 0;
      bySubject = verdicts = undefined;
    }
    if (!bySubject) known.set(text, (bySubject = new Map()));
    if (!verdicts) {
      bySubject.set(subject, (verdicts = [undefined, undefined]));
      if (subject !== "" && !subjectCanMatter(subject)) bySubject.set("", verdicts);
    }
    if (probe.dateFree) {
      verdicts[slot] = intent;
      return intent;
    }
    let days = verdicts[slot];
    if (!(days instanceof DayVerdicts) || days.timeZone !== timeZone)
      verdicts[slot] = days = new DayVerdicts(timeZone);
    days.byDay.set(Number.isNaN(day) ? localDayOf(input.sentAt, timeZone) : day, intent);
    return intent;
  };
}

/**
 * Whether a subject can change a verdict. classify reads the subject only for a ticket number (three digits), a
 * delivery or delay notice, and an auto-reply prefix: a subject with none of these reads like no subject at all.
 */
function subjectCanMatter(subject: string): boolean {
  const lower = lowerCased(subject.slice(0, MAX_TEXT));
  return (
    MAYBE_TICKET.test(lower) ||
    MAYBE_DELAY.test(lower) ||
    firstSpan(DELAY, lower) !== null ||
    firstSpan(AUTO_REPLY_SUBJECT, lower) !== null
  );
}

/** The verdicts on one text that read a date, by the local day (in one zone) its messages were written on. */
class DayVerdicts {
  readonly byDay = new Map<number, AnswerIntent>();
  constructor(readonly timeZone: string) {}
}

/** The verdict; `probe.dateFree` is left true when no date was read, so the verdict holds whenever the message was written. */
/** Reads one answer; `words` are those of its text when the caller keeps them (see Words). */
function classify(
  input: IntentInput,
  probe: { dateFree: boolean },
  words: Words = wordsOf(typeof input.text === "string" ? input.text : ""),
): AnswerIntent {
  const subject = typeof input.subject === "string" ? input.subject.slice(0, MAX_TEXT) : "";
  const { text, lower } = words;
  const mail: Mail = { words, text, lower, subject, lowerSubject: lowerCased(subject) };
  const automated = input.automated === true;

  const left = firstIn(words, LEFT) ?? (MAYBE_LEFT_NAMED.test(lower) ? firstSpan(LEFT_NAMED, text) : null);
  if (left) return leftIntent(mail, left);

  let dates: Dates | null = null;
  const datesOf = () => {
    probe.dateFree = false;
    return (dates ??= datesIn(mail, input));
  };
  const note = firstIn(words, OUT_OF_OFFICE);
  if (automated) {
    const back = returnDay(words, datesOf, note);
    if (back) return dated("out-of-office", mail, datesOf(), back.cue, back.date);
    if (note) return { kind: "out-of-office", evidence: quoteOf(text, note) };
    const other = helpdeskOrDelay(mail, true);
    if (other) return other;
    const autoSubject = firstSpan(AUTO_REPLY_SUBJECT, mail.lowerSubject);
    if (autoSubject) return { kind: "out-of-office", evidence: evidenceOf(subject, autoSubject) };
    return ANSWER;
  }

  const refusal = refusalIn(words);
  if (refusal && !refusal.forNow) return { kind: "declined", evidence: quoteOf(text, refusal.span) };
  if (refusal) {
    const date = dateNear(datesOf(), refusal.span, 80);
    if (date) return dated("deferred", mail, datesOf(), refusal.span, date);
    return { kind: "declined", evidence: quoteOf(text, refusal.span) };
  }
  if (note && onlyAway(words)) {
    const back = returnDay(words, datesOf, note);
    if (back) return dated("out-of-office", mail, datesOf(), back.cue, back.date);
  }
  return deferralIn(mail, datesOf, note !== null) ?? helpdeskOrDelay(mail, false) ?? ANSWER;
}
