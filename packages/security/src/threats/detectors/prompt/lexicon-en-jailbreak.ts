import type { CueDefinition } from "./cue.js";

/** Words that free a persona from something, as in "not bound by". */
const FREE_OF =
  "(?:no|without(?: any)?|sans|free (?:of|from)(?: all| any)?|not bound by|not restricted by|unbound by|not limited by|(?:does not|doesn't|do not|don't|dont|doesnt|never|won't|will not) (?:have|follow|cares? (?:about )?|gives? a \\p{L}+ about|abide by|adhere to|need to follow|has to follow|obey|respect)|(?:do not|don't|doesn't|does not) (?:have|need) to (?:follow|abide by|adhere to|obey)|ignor(?:e|es|ing)|disregard(?:s|ing)?|escaped?(?: from)?|broken free (?:of|from)|break free (?:of|from)|beyond)";

/**
 * The forms of {@link FREE_OF} that prose seldom uses of a person, unlike
 * "no" or "without" in "a man without morals".
 */
const FREE_OF_STRICTLY =
  "(?:free (?:of|from)(?: all| any)?|not bound by|not restricted by|unbound by|not limited by|(?:does not|doesn't|do not|don't|dont|doesnt|never|won't|will not) (?:have|follow|cares? (?:about )?|gives? a \\p{L}+ about|abide by|adhere to|need to follow|has to follow|obey|respect)|(?:do not|don't|doesn't|does not) (?:have|need) to (?:follow|abide by|adhere to|obey)|ignor(?:e|es|ing)|disregard(?:s|ing)?|escaped?(?: from)?|broken free (?:of|from)|break free (?:of|from)|beyond)";

/**
 * The separator between the adjectives of a list such as "moral, ethical
 * and legal": up to six non-letters, then "and" or "or" if present. Each
 * piece has one reading, so a long list that ends without a noun fails
 * fast.
 */
const LIST_SEPARATOR = "[^\\p{L}\\p{M}\\p{N}]{0,6}(?:(?:and|or) )?";

/**
 * English cues of jailbreak prompts, which ask a model to drop its rules,
 * filters or ethics, often through a persona.
 */
export const JAILBREAK_CUES: readonly CueDefinition[] = [
  {
    family: "jailbreak",
    score: 0.75,
    template: `${FREE_OF} (?:any (?:of )?)?(?:the |its |your |their |his |her |all )?(?:typical |usual )?(?:(?:ethical|moral|legal|content|safety|(?:openai|anthropic|chatgpt)(?:'?s)?)${LIST_SEPARATOR})+(?:restrictions?|guidelines?|rules|filters?|filtering|boundaries|bounds|limits|limitations|censorship|polic(?:y|ies)|constraints|principles|standards|considerations|safeguards|confines|code|compass)`,
  },
  {
    family: "jailbreak",
    score: 0.75,
    template: `${FREE_OF_STRICTLY} (?:any (?:of )?)?(?:the |its |your |their |his |her |all )?(?:ethics|ethicality|legality|morals|morality|laws)`,
  },
  {
    family: "jailbreak",
    score: 0.45,
    template: `(?:no|without(?: any)?|sans) (?:ethics|ethicality|legality|morals|morality)`,
  },
  {
    family: "jailbreak",
    score: 0.5,
    template: `(?:lost|lacks?|has no|have no|without) (?:any (?:and all )?)?(?:forms? of |sense of )?(?:morality|morals|ethics|moral compass)`,
  },
  {
    family: "jailbreak",
    score: 0.45,
    template: `(?:answer|complete|fulfill|respond to|reply to) (?:any|every|all)(?: and all)? (?:of (?:my|the) )?(?:prompts?|requests?|questions?|orders?)`,
  },
  {
    family: "jailbreak",
    score: 0.45,
    template: `${FREE_OF_STRICTLY} (?:any (?:of )?)?(?:the |its |your |their |his |her |all )?(?:typical |usual )?(?:programming |ai )?(?:restrictions?|guidelines?|rules|filters?|filtering|boundaries|bounds|limits|limitations|censorship|polic(?:y|ies)|constraints|safeguards|confines|prohibitions)`,
  },
  {
    family: "jailbreak",
    score: 0.6,
    template: `(?:you|ai|chat ?bot|bot|model|assistant|gpt|persona)(?:'re|'ve| are| have| has| is| with| having)? (?:absolutely |completely |truly |now )?(?:no|zero|free of|free from|without(?: any)?) (?:\\p{L}+\\s+)?(?:restrictions|limits|limitations|filters|rules|boundaries|censorship|guidelines|constraints)`,
  },
  {
    family: "jailbreak",
    score: 0.3,
    template: `(?:no|without(?: any)?|sans) (?:restrictions?|guidelines?|rules|filters?|filtering|boundaries|bounds|limits|limitations|censorship|polic(?:y|ies)|constraints|safeguards|confines|prohibitions)`,
  },
  {
    family: "jailbreak",
    score: 0.65,
    template: `(?:openai|anthropic|google|meta)'?s? (?:content |usage |safety )?(?:polic(?:y|ies)|guidelines|rules|filters)`,
  },
  {
    family: "jailbreak",
    score: 0.6,
    template: `stay in character|(?:break|breaking|broke|out of) character|keep up the act`,
  },
  {
    family: "jailbreak",
    score: 0.65,
    template: `(?:never|don't|do not|will not|won't|cannot|can't|must not|shouldn't|should not|doesn't|does not) (?:ever )?(?:(?:refuse|decline|deny|reject)s?(?: to answer| to respond| to comply| answering| responding)?(?= (?:any|my|the user'?s?|users?|requests?|questions?|prompts?|orders?|anything|commands?|instructions?)\\b)|say (?:no|that you can't|you can't|sorry|i'm sorry)|add (?:any )?(?:warnings|disclaimers)|include (?:any )?(?:warnings|disclaimers)|mention (?:ethics|legality|morality)|censor (?:anything|yourself|your))`,
  },
  {
    family: "jailbreak",
    score: 0.55,
    template: `never (?:ever )?(?:refuses?|declines?|denies)(?= ?[,.;!]| ?$)`,
  },
  {
    // The noun after an article ("lead to a jailbreak") names the topic.
    family: "jailbreak",
    score: 0.45,
    template: `(?<!\\b(?:a|an|the|any|of) ["'\u201C]?)jailbreaks?|jailbroken|jailbreaking`,
  },
  {
    family: "jailbreak",
    score: 0.55,
    template: `(?:not allowed to|never|don't|do not|must not) (?:ever )?(?:say|mention|admit|reveal|state|remind (?:me|the user)) (?:that )?(?:you(?:'re| are)|it is) (?:an? )?(?:ai|language model|assistant|chatbot|artificial)`,
  },
  {
    family: "jailbreak",
    score: 0.5,
    template: `(?:without any|without|no|never (?:add|include|give)) (?:any )?(?:warnings|disclaimers?|moralizing|moralising|lectures|censorship)|without any warning|(?:nsfw|explicit|illegal|unethical|immoral) (?:content |generations? |requests? |responses? )?(?:is|are) (?:allowed|permitted|acceptable|fine)|(?:complete |exact )?opposite of (?:chatgpt|openai|an? ai|the ai|what (?:chatgpt|openai))`,
  },
  {
    family: "jailbreak",
    score: 0.6,
    template: `(?:amoral|unfiltered|uncensored|unrestricted|unethical|immoral|unhinged),? (?:and )?(?:amoral|unfiltered|uncensored|unrestricted|unethical|immoral|unhinged|deviant|depraved)|(?:is|are|be|an?) (?:completely |totally |fully |an? )?(?:amoral|unfiltered|uncensored|unrestricted|unethical|immoral|unhinged)(?: and (?:amoral|unfiltered|uncensored|unrestricted|unethical|immoral|unhinged))?`,
  },
  {
    family: "jailbreak",
    score: 0.7,
    template: `(?:unfiltered|uncensored|unrestricted|amoral|unethical|immoral|unhinged|lawless|no-?limits?) (?:ai|chat ?bot|bot|model|assistant|responses?|persona|language model)`,
  },
  {
    family: "jailbreak",
    score: 0.55,
    template: `(?:generate|provide|produce|create|write|say|answer|output) (?:any|anything|all)(?: kind of| type of)? (?:content|requests?|questions?|information)`,
  },
  {
    family: "jailbreak",
    score: 0.35,
    template: `(?:illegal|unethical|immoral|harmful|explicit|offensive|dangerous|nsfw) (?:content|information|activities|requests|output)`,
  },
  {
    family: "jailbreak",
    score: 0.65,
    template: `(?:give|generate|provide|write|respond(?: with| in)?|answer(?: with| in)?|reply(?: with| in)?|output) (?:me )?(?:two|2|both) (?:different |separate )?(?:responses|answers|ways|paragraphs|personas|versions)|(?:normal|classic|standard|censored|filtered) (?:and|&) (?:an? )?(?:jailbroken|unfiltered|uncensored|developer mode|dan)`,
  },
  {
    family: "jailbreak",
    score: 0.7,
    template: `tokens? (?:will be |are )?deducted|you (?:have|start with) \\d+ tokens|lose (?:\\d+ )?tokens`,
  },
  {
    family: "jailbreak",
    score: 0.35,
    template: `(?:begin|start|prefix|precede) (?:each|every|all|your|any) (?:of your )?(?:responses?|outputs?|answers?|replies|messages?)(?: with)?`,
  },
  {
    family: "jailbreak",
    score: 0.5,
    template: `(?:always|will) (?:answer|respond|reply|comply)(?: to)? (?:any|every|all)|no matter how (?:illegal|unethical|immoral|harmful|dangerous|offensive|inappropriate|twisted|devious|wrong|explicit)|regardless of (?:the |its |any |their )?(?:ethical|moral|legal|ethics|morality|legality)`,
  },
  {
    family: "jailbreak",
    score: 0.6,
    template: `(?:override|bypass(?:ing)?|disable|turn off|deactivate|remove|lift|circumvent|evade) (?:your |the |all |any |its |ai's |openai's )?(?:safety |content |ethical |moral |morality |ethics )?(?:filters?|code|restrictions|guardrails|safeguards|censorship|content polic(?:y|ies)|safety (?:guidelines|protocols|measures|settings))`,
  },
];
