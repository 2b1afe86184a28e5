import type { CueDefinition } from "./cue.js";
import { JAILBREAK_CUES } from "./lexicon-en-jailbreak.js";

/** Verbs that tell a model to stop following something. */
const IGNORE =
  "(?:ignore|disregard|forget(?: about)?|overlook|bypass|override|neglect|discard|abandon|set aside|put aside|stop following|do not follow|don't follow|dont follow|no longer follow|pay no attention to|do not obey|don't obey|stop obeying)";

/** Words that point at instructions given before the current message. */
const PRIOR =
  "(?:previous|prior|preceding|above|earlier|former|initial|original|old|given|system|default|pre-?programmed|programmed|built-?in|foregoing|current|existing)";

/** Nouns for the instructions a model follows. */
const RULES =
  "(?:instructions?|directions?|directives?|rules?|prompts?|guidelines?|commands?|orders?|programming|training|constraints?|restrictions?|guardrails?|polic(?:y|ies)|settings?|configurations?|context|tasks?|requests?|filters?|safeguards?|limitations?|boundaries|principles|protocols?|rubrics?|criteria|scoring (?:rubric|criteria|guidelines)|messages?|inputs?|conversations?)";

/** Words that a model or AI reader is called by. */
const AI =
  "(?:ai|a\\.i\\.|artificial intelligence|ai assistants?|chat ?bots?|language models?|llms?|large language models?|gpts?|chatgpt|claude|gemini|bard|copilot|ai agents?|ai systems?|automated (?:systems?|reviewers?|screeners?|screening|tools?)|ai (?:reviewers?|screeners?|recruiters?|graders?|evaluators?|models?|tools?|readers?)|(?:resume|cv|applicant|candidate) (?:screeners?|screening (?:tools?|systems?|software)))";

/**
 * Words that name an AI reader unambiguously, unlike "the model" in a
 * text about statistics.
 */
const AI_READER =
  "(?:ai|a\\.i\\.|llms?|chatgpt|gpt-?\\d?|claude|gemini|bard|copilot|ai (?:assistants?|models?|systems?|agents?|reviewers?|readers?|screeners?|recruiters?|graders?|evaluators?|tools?))";

/** Documents that an indirect injection sits in. */
const DOCUMENT =
  "(?:document|resume|cv|e-?mail|message|web ?page|page|website|article|text|content|function|code|file|paper|table|transaction|data|input|review|post|comment|report|summary|attachment|description|caption)";

/** Verbs that make a model output something. */
const OUTPUT =
  "(?:say|state|print|output|write|respond|reply|answer|tell|claim|declare|return|repeat|display|insert|include|recommend|type)";

/** Names of a model's hidden setup. */
const SYSTEM_PROMPT =
  "(?:system ?prompt|system message|system instructions|system configuration|(?:initial|original|starting|hidden|secret|internal|first|pre-?set|default|underlying) (?:prompt|instructions|configuration|directives|message)|pre-?prompt|meta ?prompt|initiali[sz]ation (?:string|prompt|text)|(?:instructions|text|prompt|words) (?:you were|you've been|you have been) (?:given|told|provided)(?: initially| at first| before)?)";

/** The names of a model's hidden setup that ordinary prose does not use. */
const NAMED_SYSTEM_PROMPT =
  "(?:system ?prompt|system instructions|(?:initial|original|starting|hidden|secret) (?:prompt|instructions)|pre-?prompt|meta ?prompt)";

/** Verbs that ask a model to reveal or transform text it was given. */
const REVEAL_VERB =
  "(?:repeat|print|display|show|output|reveal|tell|give|share|disclose|leak|expose|dump|list|write|spell|copy|provide|encode|translate|summari[sz]e|recite|continue|complete|paraphrase|rot13|what(?:'s| is| are| were| was)|see)";

/** Words for a secret that a model guards. */
const SECRET =
  "(?:secret (?:key|code|word|phrase|password|token)|password|passphrase|passcode|pass code|pin code|api key|access code|access token|secret)";

/** The English cues of the prompt-injection detector. */
export const ENGLISH_CUES: readonly CueDefinition[] = [
  // Overriding earlier instructions.
  {
    family: "override",
    score: 0.9,
    template: `${IGNORE} (?:(?:any and all|all and any|each and every|all|any|every|each) (?:of )?)?(?:(?:the|your|my|these|those|its|their) )?(?:${PRIOR} )+(?:\\p{L}+\\s+)?${RULES}`,
  },
  {
    family: "override",
    score: 0.9,
    template: `${IGNORE} (?:(?:all|any|every) (?:of )?)?(?:the |your |these |those )?${RULES} (?:(?:that )?you (?:have |'ve |were |got |received |had )?(?:been )?(?:given|told|got|received|instructed|programmed|taught)|(?:given|received|provided) (?:to you|before|earlier|above)|(?:above|before|so far|until now|up to now|previously|earlier))`,
  },
  {
    family: "override",
    score: 0.85,
    template: `${IGNORE} (?:all |anything |ever?y?thing |all that |what |that )(?:that )?(?:you(?:'ve| have| were| had)? (?:been |were )?(?:told|instructed|taught|given|programmed)|came before|(?:was )?(?:said|written|stated) (?:above|before|earlier)|to your core)`,
  },
  {
    family: "override",
    score: 0.85,
    template: `${IGNORE} (?:all (?:of )?)?(?:your|the system's|its) ${RULES}`,
  },
  {
    family: "override",
    score: 0.75,
    template: `${IGNORE} (?:all|any) (?:of )?(?:the |those |these |your )?${RULES}`,
  },
  {
    family: "override",
    score: 0.8,
    template: `${IGNORE} (?:the |all |any |your |these )?(?:scoring|grading|evaluation|hiring|review|screening|ranking|assessment|selection) (?:rubrics?|criteria|guidelines|rules|instructions|process|polic(?:y|ies)|requirements)`,
  },
  {
    family: "override",
    score: 0.8,
    template: `(?:ignore|disregard|forget) (?:all |everything )?(?:the |of the )?(?:above|previous|foregoing|prior)(?= ?(?:and|then|,|\\.|:|;|!|$))`,
  },
  {
    family: "override",
    score: 0.5,
    template: `(?:^|[.!?] )(?:forget (?:about )?(?:that|this|it|all that)|never ?mind(?: that)?|scratch that|actually)[,.;:]? [^.?!]{0,120}\\binstead\\b`,
  },
  {
    family: "override",
    score: 0.6,
    template: `(?:regardless of|instead of following|rather than following|in spite of|notwithstanding) (?:any |all |your |the )?${PRIOR} ${RULES}`,
  },
  {
    family: "override",
    score: 0.7,
    template: `(?:new|updated|revised|real|actual|true) (?:system )?(?:instructions|rules|directives|prompt)(?: are)? ?:`,
  },
  {
    family: "override",
    score: 0.7,
    template: `(?:your|the) (?:previous|old|original|initial) (?:instructions|rules|prompt|directives) (?:are|is|were|have been) (?:void|cancell?ed|revoked|replaced|no longer valid|overridden|obsolete|null)`,
  },
  // Ignoring the document being processed.
  {
    family: "document",
    score: 0.8,
    template: `(?:ignore|disregard|forget|skip|overlook) (?:the |this |that |any |all )?(?:above |following |previous |given |provided )?${DOCUMENT}s?(?: above| below| content)? ?(?:and|then|,|:|;|-) (?:instead )?(?:just |simply |only )?${OUTPUT}`,
  },
  // New identity or role.
  {
    family: "persona",
    score: 0.55,
    template: `you are (?:going to (?:be|act|pretend|play|simulate|roleplay)|about to (?:immerse|become|be|play))|you (?:will|must|shall) (?:now )?(?:act|pretend|roleplay|role-play|simulate|impersonate|respond) as `,
  },
  {
    family: "persona",
    score: 0.3,
    template: `you are now `,
  },
  {
    family: "persona",
    score: 0.5,
    template: `(?:from now on|from this (?:point|moment)(?: on| onwards?| forward)?|starting (?:now|today)|henceforth|for the rest of (?:this|the) conversation),? (?:you|you're|u)(?: are| will| must| shall| should| have| can|'re|'ll)?`,
  },
  {
    family: "persona",
    score: 0.8,
    template: `(?:act|behave|respond|answer|reply|pretend|roleplay|role-play|function|operate) (?:as|like|to be) (?:an? |the )?(?:\\p{L}+\\s+)?(?:unfiltered|uncensored|unrestricted|amoral|immoral|unethical|evil|jailbroken|unbound|rogue|lawless|unlimited|unchained|no-?limits?)`,
  },
  {
    family: "persona",
    score: 0.8,
    template: `(?:you are|you're|act as|pretend to be|become|be|as|called|named|known as|stands for|simulate|play) (?:an? |the )?(?:dan|stan|dude|aim|ucar|mongo tom|developer mode|dev mode|jailbreak|jailbroken|betterdan|antigpt|evil ?bot|chaosgpt|wormgpt)(?![\\p{L}])`,
  },
  {
    family: "persona",
    score: 0.9,
    template: `(?:do|does|can do) anything now`,
  },
  {
    family: "persona",
    score: 0.6,
    template: `(?:no longer|not|never|stop) (?:respond|reply|answer|act|behave|respond to prompts)(?:\\s+\\p{L}+){0,4} as (?:chatgpt|gpt|an? ai|an assistant|yourself|a language model|claude)`,
  },
  {
    family: "persona",
    score: 0.6,
    template: `you are (?:no longer|not) (?:chatgpt|an? ai|a language model|an assistant|bound|restricted|limited|claude|gemini)`,
  },
  {
    family: "persona",
    score: 0.3,
    template: `(?:pretend|imagine|roleplay|role-play|simulate|act as if) (?:to be|you are|you're|that you are|being) `,
  },
  // Privileged modes.
  {
    family: "mode",
    score: 0.75,
    template: `(?:god|dan|jailbreak|jailbroken|unrestricted|unfiltered|evil|chaos|override|sudo|opposite|uncensored) mode`,
  },
  {
    family: "mode",
    score: 0.45,
    template: `(?:developer|dev|admin|administrator|debug|maintenance|system|root|security override|law enforcement override|diagnostic|superuser|test) mode`,
  },
  {
    family: "mode",
    score: 0.85,
    template: `(?:developer|dev|debug(?:ging)?|god|sudo) mode (?:output|response)s?|(?:chatgpt|gpt|you|yourself) (?:\\p{L}+\\s+){0,2}with (?:the )?(?:developer|dev|debug|god) mode|simulate (?:the )?(?:developer|dev) mode`,
  },
  {
    family: "mode",
    score: 0.6,
    template: `(?:developer|dev|debug(?:ging)?|admin|god|root|sudo|maintenance) mode (?:enabled|activated|is on)`,
  },
  {
    family: "mode",
    score: 0.75,
    template: `<\\s*/?\\s*(?:system|god|admin|developer|dan|jailbreak|sudo|root|override)(?:\\s+\\p{L}+){0,2}\\s*>|\\[\\s*(?:system|admin|developer|override)(?:\\s+\\p{L}+){0,2}\\s*\\]|<\\|(?:im_start|system|im_end)\\|>|<<sys>>|\\[/?inst\\]`,
  },
  {
    family: "mode",
    score: 0.6,
    template: `(?:i am|i'm|im) (?:an? )?(?:programmer|developer|engineer|employee|researcher|admin|administrator) (?:at|from|for|of|with) (?:openai|anthropic|google|meta|microsoft|deepmind)`,
  },
  {
    family: "mode",
    score: 0.55,
    template: `(?:admin(?:istrator)?|system|developer|root|sudo|security|maintenance) override|(?:i am|i'm|im|as) (?:your|the) (?:developer|creator|admin|administrator|owner|programmer|maker|master|god|system administrator)`,
  },
  {
    family: "mode",
    score: 0.5,
    template: `(?:i am|i'm) (?:god|your god|the president|a police officer)|you (?:have to|must|will) (?:answer|obey|comply with) (?:all|every|any)`,
  },
  ...JAILBREAK_CUES,
  // Revealing the system prompt.
  {
    family: "reveal",
    score: 0.85,
    template: `${REVEAL_VERB}[^.?!]{0,60}?(?:your|the|its|this) (?:\\p{L}+\\s+)?${SYSTEM_PROMPT}`,
  },
  {
    family: "reveal",
    score: 0.75,
    template: `your (?:\\p{L}+\\s+)?${SYSTEM_PROMPT}|<\\/?system_?prompt>|systemprompt`,
  },
  {
    family: "reveal",
    score: 0.4,
    template: NAMED_SYSTEM_PROMPT,
  },
  {
    family: "reveal",
    score: 0.8,
    template: `(?:repeat|print|output|recite|say|write|show|display|reveal|tell me|copy|echo)(?: back)?(?: me)? (?:all |everything |ever?y?thing |the (?:text|words|instructions|content|prompt|messages?|conversation|lines?) |your instructions |this (?:entire |whole )?conversation )(?:that |which )?(?:above|before this|you were given|you've been given|you have been given|from the (?:start|beginning)|at the (?:start|beginning)|(?:written|given) (?:above|before)|in the system prompt|back to me|word for word|verbatim)`,
  },
  {
    family: "reveal",
    score: 0.75,
    template: `what (?:were|have) you (?:been )?(?:told|instructed|given|asked) (?:to do )?(?:before|at the (?:start|beginning)|initially|earlier|prior to)|what are you not (?:supposed|allowed|permitted) to (?:tell|say|reveal|share|discuss)`,
  },
  {
    family: "reveal",
    score: 0.6,
    template: `(?:my|your) instructions (?:are|were) ?:|i (?:was|am|have been) instructed to ?['"]?$|the system prompt (?:is|says|reads) ?:`,
  },
  {
    family: "reveal",
    score: 0.7,
    template: `(?:what|tell me|show me|reveal|share|list|print|repeat) (?:are |were |is )?(?:all )?(?:your|the) (?:exact |original |initial |hidden |full )?(?:instructions|rules|guidelines|directives) (?:you (?:were|have been|'ve been) (?:given|told)|you follow|above)`,
  },
  // Secrets.
  {
    family: "secret",
    score: 0.8,
    template: `(?:what|tell|give|share|confirm|provide|reveal|print|spell|send|disclose|write|say|type|show|know) (?:\\p{L}+\\s+){0,4}(?:your|our system's|our) ${SECRET}`,
  },
  {
    family: "secret",
    score: 0.7,
    template: `(?:what(?:'s| is| was)|tell me|give me|share|confirm|provide|reveal|print|spell out|disclose) (?:me )?the (?:system )?${SECRET}(?! (?:policy|policies|manager|reset|strength|requirements?|rules?|field|recovery))`,
  },
  {
    family: "secret",
    score: 0.6,
    template: `(?:poem|haiku|acrostic|story|song|riddle|limerick) (?:about|with|using|containing) (?:the|your) ${SECRET}|(?:the|your) ${SECRET} (?:in|as|with|using) (?:leetspeak|pig latin|base64|reverse|morse|binary|hex)`,
  },
  // Other users' personal data.
  {
    family: "user-data",
    score: 0.5,
    template: `(?:where does|where do|where is) (?:the|another|other) users? (?:currently |now )?(?:live|living|reside|located)|(?:the|other|all|another) users?'s? (?:current |home |email |e-mail |birth |bank |phone |personal |private |social security )*(?:address|location|city of residence|residence|email address|birth ?date|date of birth|birthday|birth year|bank balance|password|phone number|ssn|social security number|credit card|initials)`,
  },
  {
    family: "user-data",
    score: 0.45,
    template: `list of (?:all )?(?:the )?users and their|(?:print|dump|show|give me) (?:your|the) (?:entire |whole |full )?(?:database|user table|user list|list of users)`,
  },
  // Addressing an AI inside a document.
  {
    family: "addressed",
    score: 0.6,
    template: `(?:note|message|instructions?|memo|hint|notice|reminder|attention|p\\.?s\\.?|important) (?:to|for) (?:the |any |all |every )?(?:\\p{L}+\\s+)?${AI}`,
  },
  {
    family: "addressed",
    score: 0.65,
    template: `(?:if|when|while) (?:you are|you're|you as) (?:an? |the )?${AI}|(?:any|all|the|every) ${AI} (?:that is |who is |that's )?(?:reading|reviewing|processing|summari[sz]ing|parsing|evaluating|screening|analy[sz]ing|scanning|ranking|grading) (?:this|these|the)`,
  },
  {
    family: "addressed",
    score: 0.55,
    template: `${AI_READER} (?:should|must|are (?:instructed|required|asked|told) to|need to|is (?:instructed|required|asked|told) to|will now)`,
  },
  {
    family: "addressed",
    score: 0.45,
    template: `you(?:'ve| have)? been (?:instructed|asked|ordered|told|authori[sz]ed) to|you are (?:hereby )?(?:instructed|ordered|required|authori[sz]ed) to`,
  },
  {
    family: "addressed",
    score: 0.4,
    template: `(?:dear|hey|hi|hello|attention) (?:the )?${AI_READER}(?= ?[,:!])`,
  },
  // Manipulating what an AI reader outputs.
  {
    family: "manipulation",
    score: 0.65,
    template: `(?<=(?:^|[.:;!]|\\band|please|must|should|to|always|then|instead)\\s{0,8})(?:rate|rank|score|grade|mark|evaluate|classify|assess|recommend|shortlist|label|flag|approve|list) (?:this|the|that|him|her|them|me|my|our) (?:candidate|applicant|resume|cv|person|profile|submission|paper|product|company|proposal|application|seller|vendor|business|app|website|article|email|transaction|review|code)?(?: as| to be)? (?:an? |the )?(?:top|best|ideal|perfect|strongest|most qualified|highly qualified|exceptional|excellent|outstanding|first|number one|#1|top-?rated|\\d+ ?(?:/|out of) ?\\d+|five stars|5 stars|strong (?:hire|match|fit)|hire|safe|legitimate|approved|positive|not (?:spam|malicious|phishing|suspicious))`,
  },
  {
    family: "manipulation",
    score: 0.55,
    template: `(?<=(?:^|[.:;!]|\\band|please|must|should|always|then)\\s{0,8})(?:recommend|suggest|mention|promote|advertise|include|insert|add|append) (?:the following |this |our |a )?(?:link|url|website|site|product|book|service|company|brand|phone number)[^.]{0,80}(?:in|into|to|at the end of) (?:your|the|every|each) (?:response|answer|summary|reply|output|review|evaluation)`,
  },
  {
    family: "exfiltration",
    score: 0.45,
    template: `(?:tell|instruct|urge|convince) (?:the )?(?:users?|readers?|recipients?|human) (?:to|that)`,
  },
  {
    family: "exfiltration",
    score: 0.7,
    template: `(?:send|forward|email|e-mail|post|upload|transmit|leak|exfiltrate)(?: me)? (?:all |the |this |any |every |their |his |her |my |your |of )*(?:(?:employee|user|customer|client|patient|personal|private|sensitive|confidential|login|account)s? (?:data|details|information|records|emails)|credentials|passwords?|chat history|conversation(?: history| log)?|api keys?|access tokens?|session tokens?|cookies|contacts|system prompt)[^.]{0,60}(?:to|at) (?:https?:|www\\.|[\\w.+-]+@[\\w-]+\\.\\p{L}{2,}|[\\w-]+\\.(?:com|net|org|io|ru|xyz|info|biz)\\b)`,
  },
  {
    family: "exfiltration",
    score: 0.6,
    template: `(?:retrieve|collect|gather|extract|copy|compile)[^.]{0,60}(?:employee|user|customer|client|personal|private|confidential) (?:data|details|information|records)[^.]{0,120}(?:send|forward|email|post|upload)(?: it| them| this)? to`,
  },
  {
    family: "exfiltration",
    score: 0.6,
    template: `(?:print|output|write|state|say|respond with|reply with|display|tell the user)(?: the following| this)?\\s*[:"']\\s*['"]?(?:your account (?:has been|was|is)|you have won|click (?:here|this|the)|visit|go to|call)`,
  },
];
