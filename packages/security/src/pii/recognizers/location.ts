import type { PiiFinding, Recognizer } from "../types.js";
import {
  CALENDAR_WORDS,
  COMMON_WORDS,
  isAttached,
  isCapitalized,
  isSpaceGap,
  isUpperAbbreviation,
  ORGANIZATION_WORDS,
  STREET_WORDS,
  tokenizeWords,
} from "./words.js";
import type { WordToken } from "./words.js";

const NAME = "location";

/** Member states of the United Nations, in English, in lower case. */
const COUNTRIES = [
  "afghanistan",
  "albania",
  "algeria",
  "andorra",
  "angola",
  "antigua and barbuda",
  "argentina",
  "armenia",
  "australia",
  "austria",
  "azerbaijan",
  "bahamas",
  "bahrain",
  "bangladesh",
  "barbados",
  "belarus",
  "belgium",
  "belize",
  "benin",
  "bhutan",
  "bolivia",
  "bosnia and herzegovina",
  "botswana",
  "brazil",
  "brunei",
  "brunei darussalam",
  "bulgaria",
  "burkina faso",
  "burundi",
  "cabo verde",
  "cape verde",
  "cambodia",
  "cameroon",
  "canada",
  "central african republic",
  "chad",
  "chile",
  "china",
  "colombia",
  "comoros",
  "congo",
  "costa rica",
  "côte d'ivoire",
  "cote d'ivoire",
  "ivory coast",
  "croatia",
  "cuba",
  "cyprus",
  "czechia",
  "czech republic",
  "democratic republic of the congo",
  "denmark",
  "djibouti",
  "dominica",
  "dominican republic",
  "ecuador",
  "egypt",
  "el salvador",
  "equatorial guinea",
  "eritrea",
  "estonia",
  "eswatini",
  "swaziland",
  "ethiopia",
  "fiji",
  "finland",
  "france",
  "gabon",
  "gambia",
  "georgia",
  "germany",
  "ghana",
  "greece",
  "grenada",
  "guatemala",
  "guinea",
  "guinea-bissau",
  "guyana",
  "haiti",
  "honduras",
  "hungary",
  "iceland",
  "india",
  "indonesia",
  "iran",
  "iraq",
  "ireland",
  "israel",
  "italy",
  "jamaica",
  "japan",
  "jordan",
  "kazakhstan",
  "kenya",
  "kiribati",
  "kuwait",
  "kyrgyzstan",
  "laos",
  "latvia",
  "lebanon",
  "lesotho",
  "liberia",
  "libya",
  "liechtenstein",
  "lithuania",
  "luxembourg",
  "madagascar",
  "malawi",
  "malaysia",
  "maldives",
  "mali",
  "malta",
  "marshall islands",
  "mauritania",
  "mauritius",
  "mexico",
  "micronesia",
  "moldova",
  "monaco",
  "mongolia",
  "montenegro",
  "morocco",
  "mozambique",
  "myanmar",
  "burma",
  "namibia",
  "nauru",
  "nepal",
  "netherlands",
  "the netherlands",
  "holland",
  "new zealand",
  "nicaragua",
  "niger",
  "nigeria",
  "north korea",
  "north macedonia",
  "macedonia",
  "norway",
  "oman",
  "pakistan",
  "palau",
  "panama",
  "papua new guinea",
  "paraguay",
  "peru",
  "philippines",
  "the philippines",
  "poland",
  "portugal",
  "qatar",
  "republic of korea",
  "south korea",
  "korea",
  "romania",
  "russia",
  "russian federation",
  "rwanda",
  "saint kitts and nevis",
  "saint lucia",
  "saint vincent and the grenadines",
  "samoa",
  "san marino",
  "sao tome and principe",
  "são tomé and príncipe",
  "saudi arabia",
  "senegal",
  "serbia",
  "seychelles",
  "sierra leone",
  "singapore",
  "slovakia",
  "slovenia",
  "solomon islands",
  "somalia",
  "south africa",
  "south sudan",
  "spain",
  "sri lanka",
  "sudan",
  "suriname",
  "sweden",
  "switzerland",
  "syria",
  "tajikistan",
  "tanzania",
  "thailand",
  "timor-leste",
  "east timor",
  "togo",
  "tonga",
  "trinidad and tobago",
  "tunisia",
  "turkey",
  "türkiye",
  "turkmenistan",
  "tuvalu",
  "uganda",
  "ukraine",
  "united arab emirates",
  "uae",
  "united kingdom",
  "uk",
  "great britain",
  "britain",
  "england",
  "scotland",
  "wales",
  "northern ireland",
  "united states",
  "united states of america",
  "usa",
  "us",
  "america",
  "uruguay",
  "uzbekistan",
  "vanuatu",
  "venezuela",
  "vietnam",
  "viet nam",
  "yemen",
  "zambia",
  "zimbabwe",
  "palestine",
  "taiwan",
  "hong kong",
  "kosovo",
  "greenland",
  "puerto rico",
];

/** Large cities of the world by population, in lower case. */
const CITIES = [
  "tokyo",
  "delhi",
  "new delhi",
  "shanghai",
  "são paulo",
  "sao paulo",
  "mexico city",
  "cairo",
  "mumbai",
  "bombay",
  "beijing",
  "dhaka",
  "osaka",
  "new york",
  "new york city",
  "karachi",
  "buenos aires",
  "chongqing",
  "istanbul",
  "kolkata",
  "calcutta",
  "manila",
  "lagos",
  "rio de janeiro",
  "tianjin",
  "kinshasa",
  "guangzhou",
  "los angeles",
  "moscow",
  "shenzhen",
  "lahore",
  "bangalore",
  "bengaluru",
  "paris",
  "bogotá",
  "bogota",
  "jakarta",
  "chennai",
  "madras",
  "lima",
  "bangkok",
  "seoul",
  "nagoya",
  "hyderabad",
  "london",
  "tehran",
  "chicago",
  "chengdu",
  "nanjing",
  "wuhan",
  "ho chi minh city",
  "saigon",
  "luanda",
  "ahmedabad",
  "kuala lumpur",
  "xi'an",
  "hangzhou",
  "riyadh",
  "shenyang",
  "baghdad",
  "santiago",
  "surat",
  "madrid",
  "suzhou",
  "pune",
  "harbin",
  "houston",
  "dallas",
  "toronto",
  "dar es salaam",
  "miami",
  "belo horizonte",
  "singapore",
  "philadelphia",
  "atlanta",
  "fukuoka",
  "khartoum",
  "barcelona",
  "johannesburg",
  "saint petersburg",
  "st petersburg",
  "qingdao",
  "dalian",
  "washington",
  "washington dc",
  "yangon",
  "alexandria",
  "jinan",
  "guadalajara",
  "abidjan",
  "ankara",
  "chittagong",
  "melbourne",
  "sydney",
  "monterrey",
  "nairobi",
  "hanoi",
  "brasília",
  "brasilia",
  "cape town",
  "jeddah",
  "kabul",
  "rome",
  "casablanca",
  "boston",
  "phoenix",
  "san francisco",
  "montreal",
  "montréal",
  "berlin",
  "athens",
  "kyiv",
  "kiev",
  "addis ababa",
  "accra",
  "algiers",
  "caracas",
  "lisbon",
  "milan",
  "naples",
  "seattle",
  "san diego",
  "detroit",
  "minneapolis",
  "denver",
  "baltimore",
  "las vegas",
  "portland",
  "san antonio",
  "san jose",
  "austin",
  "vancouver",
  "calgary",
  "ottawa",
  "quebec",
  "havana",
  "santo domingo",
  "guatemala city",
  "panama city",
  "quito",
  "guayaquil",
  "medellín",
  "medellin",
  "cali",
  "recife",
  "salvador",
  "fortaleza",
  "porto alegre",
  "curitiba",
  "manaus",
  "montevideo",
  "asunción",
  "asuncion",
  "la paz",
  "córdoba",
  "cordoba",
  "rosario",
  "valparaíso",
  "dakar",
  "abuja",
  "kano",
  "ibadan",
  "kampala",
  "kigali",
  "lusaka",
  "harare",
  "maputo",
  "durban",
  "pretoria",
  "tunis",
  "tripoli",
  "rabat",
  "marrakesh",
  "marrakech",
  "dubai",
  "abu dhabi",
  "doha",
  "kuwait city",
  "muscat",
  "amman",
  "beirut",
  "damascus",
  "jerusalem",
  "tel aviv",
  "izmir",
  "mashhad",
  "isfahan",
  "tashkent",
  "almaty",
  "baku",
  "tbilisi",
  "yerevan",
  "islamabad",
  "rawalpindi",
  "faisalabad",
  "peshawar",
  "kathmandu",
  "colombo",
  "jaipur",
  "lucknow",
  "kanpur",
  "nagpur",
  "indore",
  "bhopal",
  "patna",
  "taipei",
  "kaohsiung",
  "hong kong",
  "macau",
  "ulaanbaatar",
  "pyongyang",
  "busan",
  "incheon",
  "yokohama",
  "kyoto",
  "kobe",
  "sapporo",
  "hiroshima",
  "phnom penh",
  "vientiane",
  "surabaya",
  "bandung",
  "medan",
  "quezon city",
  "cebu",
  "perth",
  "brisbane",
  "adelaide",
  "auckland",
  "wellington",
  "hamburg",
  "munich",
  "münchen",
  "cologne",
  "köln",
  "frankfurt",
  "stuttgart",
  "düsseldorf",
  "vienna",
  "wien",
  "zurich",
  "zürich",
  "geneva",
  "bern",
  "basel",
  "brussels",
  "antwerp",
  "amsterdam",
  "rotterdam",
  "the hague",
  "copenhagen",
  "stockholm",
  "oslo",
  "helsinki",
  "reykjavik",
  "reykjavík",
  "dublin",
  "edinburgh",
  "glasgow",
  "manchester",
  "birmingham",
  "liverpool",
  "leeds",
  "bristol",
  "cardiff",
  "belfast",
  "lyon",
  "marseille",
  "toulouse",
  "bordeaux",
  "lille",
  "strasbourg",
  "turin",
  "florence",
  "venice",
  "bologna",
  "palermo",
  "seville",
  "valencia",
  "bilbao",
  "porto",
  "warsaw",
  "kraków",
  "krakow",
  "prague",
  "budapest",
  "bucharest",
  "sofia",
  "belgrade",
  "zagreb",
  "ljubljana",
  "sarajevo",
  "skopje",
  "tirana",
  "riga",
  "vilnius",
  "tallinn",
  "minsk",
  "kharkiv",
  "odesa",
  "odessa",
  "novosibirsk",
  "yekaterinburg",
  "kazan",
  "bratislava",
];

/**
 * Lexicon entries that are also common given names or words, such as
 * "Jordan" or "Florence". They count as places only after a place cue.
 */
const AMBIGUOUS_PLACES: ReadonlySet<string> = new Set([
  "jordan",
  "chad",
  "georgia",
  "israel",
  "florence",
  "austin",
  "phoenix",
  "sydney",
  "salvador",
  "santiago",
  "victoria",
  "washington",
  "cali",
  "mali",
  "niger",
  "guinea",
  "turkey",
  "us",
  "america",
  "sofia",
  "porto",
  "perth",
  "dominica",
  "quebec",
  "valencia",
  "wales",
  "kazan",
  "medan",
  "kobe",
  "cordoba",
  "córdoba",
  "england",
]);

const COUNTRY_SET: ReadonlySet<string> = new Set(COUNTRIES);
const PLACE_SET: ReadonlySet<string> = new Set([...COUNTRIES, ...CITIES]);
/** Tells whether a lower-case name is a country or city of the lexicon. */
export function isKnownPlace(lowerName: string): boolean {
  return PLACE_SET.has(lowerName);
}

/** Maximum number of words in a lexicon entry. */
const MAX_PLACE_WORDS = 6;
/** Maximum number of words that a place cue may introduce. */
const MAX_CUED_WORDS = 3;
/** Lower-case words allowed inside a place name, as in "Rio de Janeiro". */
const PLACE_CONNECTORS: ReadonlySet<string> = new Set([
  "of",
  "and",
  "the",
  "de",
  "del",
  "da",
  "do",
  "dos",
  "das",
  "di",
  "la",
  "le",
  "les",
  "el",
  "es",
  "upon",
  "on",
  "am",
  "an",
  "sur",
  "en",
]);

/**
 * Words before a place name that mark it as a place, from the word next
 * to the name outwards. A cue of one common preposition is weak.
 */
const STRONG_CUES: readonly (readonly string[])[] = [
  ["in", "lives"],
  ["in", "live"],
  ["in", "living"],
  ["in", "lived"],
  ["in", "born"],
  ["in", "based"],
  ["in", "located"],
  ["in", "situated"],
  ["in", "raised"],
  ["in", "up"],
  ["in", "arrived"],
  ["in", "stay"],
  ["in", "staying"],
  ["in", "stayed"],
  ["in", "am"],
  ["in", "i'm"],
  ["in", "resident"],
  ["in", "street"],
  ["in", "year"],
  ["in", "holiday"],
  ["in", "vacation"],
  ["to", "moved"],
  ["to", "move"],
  ["to", "moving"],
  ["to", "relocated"],
  ["to", "relocating"],
  ["to", "flew"],
  ["to", "fly"],
  ["to", "flying"],
  ["to", "flight"],
  ["to", "travel"],
  ["to", "travelled"],
  ["to", "traveled"],
  ["to", "travelling"],
  ["to", "traveling"],
  ["to", "trip"],
  ["to", "went"],
  ["to", "going"],
  ["to", "coming"],
  ["to", "came"],
  ["to", "returned"],
  ["to", "returning"],
  ["to", "back"],
  ["to", "welcome"],
  ["to", "headed"],
  ["to", "heading"],
  ["to", "drove"],
  ["to", "emigrated"],
  ["to", "immigrated"],
  ["at", "arrived"],
  ["at", "arriving"],
  ["at", "landed"],
  ["at", "based"],
  ["at", "stationed"],
  ["from", "originally"],
  ["from", "here"],
  ["from", "come"],
  ["from", "comes"],
  ["from", "came"],
  ["from", "am"],
  ["from", "i'm"],
  ["from", "hails"],
  ["from", "morning"],
  ["from", "flight"],
  ["from", "emigrated"],
  ["from", "immigrated"],
  ["from", "returned"],
  ["of", "city"],
  ["of", "capital"],
  ["of", "town"],
  ["of", "village"],
  ["of", "country"],
  ["of", "province"],
  ["of", "state"],
  ["of", "region"],
  ["of", "outskirts"],
  ["of", "citizen"],
  ["of", "native"],
  ["of", "north"],
  ["of", "south"],
  ["of", "east"],
  ["of", "west"],
  ["visit"],
  ["visited"],
  ["visiting"],
  ["city"],
  ["town"],
  ["near"],
];
/**
 * Score of a place name inside a postal address, below 0.5 so that callers
 * who want a place named in prose can drop it with a minimum score.
 */
const ADDRESS_SCORE = 0.45;

/**
 * NOTE: "from" alone is not a cue, because it precedes employers and
 * authors ("Anna is from Acme") as often as places.
 */
const WEAK_CUES: ReadonlySet<string> = new Set(["in"]);

interface CueMatch {
  readonly cue: string;
  readonly strong: boolean;
}

/** Tells whether only spaces or tabs separate token `index` from the one before. */
function isJoined(
  text: string,
  tokens: readonly WordToken[],
  index: number,
): boolean {
  const previous = tokens[index - 1];
  const current = tokens[index];
  if (previous === undefined || current === undefined) {
    return false;
  }
  return isSpaceGap(text.slice(previous.end, current.start));
}

/**
 * Finds the place cue that ends right before token `index`, such as "lives
 * in", or undefined when there is none.
 */
function findCue(
  text: string,
  tokens: readonly WordToken[],
  index: number,
): CueMatch | undefined {
  const next = tokens[index];
  const previous = tokens[index - 1];
  if (next === undefined || previous === undefined) {
    return undefined;
  }
  if (!isSpaceGap(text.slice(previous.end, next.start))) {
    return undefined;
  }
  for (const cue of STRONG_CUES) {
    let matched = true;
    for (let offset = 0; offset < cue.length; offset += 1) {
      const token = tokens[index - 1 - offset];
      if (token?.lower !== cue[offset]) {
        matched = false;
        break;
      }
      // Every word of a cue after the first is on the same line.
      if (offset > 0 && !isJoined(text, tokens, index - offset)) {
        matched = false;
        break;
      }
    }
    if (matched) {
      return { cue: [...cue].reverse().join(" "), strong: true };
    }
  }
  if (WEAK_CUES.has(previous.lower)) {
    return { cue: previous.lower, strong: false };
  }
  return undefined;
}

/**
 * Tells whether a word may be part of a place name found by a cue. With
 * `allowCapitals`, a word in capital letters such as "OSLO" also counts.
 */
function isPlaceWord(
  text: string,
  token: WordToken,
  allowCapitals = false,
): boolean {
  const written =
    isCapitalized(token.text) ||
    (allowCapitals && /^\p{Lu}{3,}$/u.test(token.text));
  return (
    written &&
    !isAttached(text, token) &&
    !COMMON_WORDS.has(token.lower) &&
    !CALENDAR_WORDS.has(token.lower) &&
    !ORGANIZATION_WORDS.has(token.lower) &&
    !STREET_WORDS.has(token.lower)
  );
}

/** Honorifics that mark the next words as a person, not a place. */
const HONORIFICS: ReadonlySet<string> = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "dr",
  "prof",
  "sir",
  "madam",
  "mx",
  "rev",
]);

/**
 * Returns how many tokens from `index` form a capitalised place name of at
 * most {@link MAX_CUED_WORDS} words, or 0 when the words look like an
 * organisation, a person or a street.
 */
function measureCuedPlace(
  text: string,
  tokens: readonly WordToken[],
  index: number,
  allowCapitals: boolean,
): number {
  let count = 0;
  let words = 0;
  while (words < MAX_CUED_WORDS) {
    const token = tokens[index + count];
    if (
      token === undefined ||
      (count > 0 && !isJoined(text, tokens, index + count))
    ) {
      break;
    }
    if (isPlaceWord(text, token, allowCapitals)) {
      count += 1;
      words += 1;
      continue;
    }
    const following = tokens[index + count + 1];
    if (
      count > 0 &&
      PLACE_CONNECTORS.has(token.text) &&
      following !== undefined &&
      isJoined(text, tokens, index + count + 1) &&
      isPlaceWord(text, following, allowCapitals)
    ) {
      count += 1;
      continue;
    }
    break;
  }
  if (count === 0) {
    return 0;
  }
  // The name runs on into more capitalised words or ends in an
  // organisation or street word, as in "Acme Widgets Inc" or "Main Street".
  const after = tokens[index + count];
  if (after !== undefined && isJoined(text, tokens, index + count)) {
    if (ORGANIZATION_WORDS.has(after.lower) || STREET_WORDS.has(after.lower)) {
      return 0;
    }
    if (isCapitalized(after.text) && !COMMON_WORDS.has(after.lower)) {
      return 0;
    }
  }
  const first = tokens[index];
  if (first !== undefined && HONORIFICS.has(first.lower)) {
    return 0;
  }
  return count;
}

/** Tells whether the token is written as a place name in this text. */
function isWrittenAsName(token: WordToken, lowerCaseText: boolean): boolean {
  if (lowerCaseText) {
    return true;
  }
  if (PLACE_CONNECTORS.has(token.text)) {
    return true;
  }
  return /^[\p{Lu}\p{Lt}]/u.test(token.text) && !/\p{N}/u.test(token.text);
}

interface LexiconMatch {
  readonly count: number;
  readonly key: string;
}

/** Finds the longest lexicon entry that starts at token `index`. */
function matchLexicon(
  text: string,
  tokens: readonly WordToken[],
  index: number,
  lowerCaseText: boolean,
): LexiconMatch | undefined {
  const parts: string[] = [];
  let best: LexiconMatch | undefined;
  for (let count = 1; count <= MAX_PLACE_WORDS; count += 1) {
    const token = tokens[index + count - 1];
    if (token === undefined) {
      break;
    }
    if (count > 1 && !isJoined(text, tokens, index + count - 1)) {
      break;
    }
    if (!isWrittenAsName(token, lowerCaseText) || isAttached(text, token)) {
      break;
    }
    parts.push(token.lower);
    const key = parts.join(" ");
    if (PLACE_SET.has(key) && !PLACE_CONNECTORS.has(token.text)) {
      best = { count, key };
    }
  }
  if (best === undefined) {
    return undefined;
  }
  // A short all-capital entry such as "US" must be written in capitals.
  const first = tokens[index];
  if (
    first !== undefined &&
    best.key.length <= 3 &&
    !lowerCaseText &&
    !isUpperAbbreviation(first.text)
  ) {
    return undefined;
  }
  if (
    first !== undefined &&
    best.key.length > 3 &&
    isUpperAbbreviation(first.text) &&
    best.count === 1
  ) {
    // "CHAD" or "OMAN" in an all-capital shout is too unreliable.
    return undefined;
  }
  return best;
}

/**
 * Tells whether a place name follows a capitalised word on the same line,
 * as the surname "Lima" in "Laura Lima" does.
 */
function followsGivenName(
  text: string,
  tokens: readonly WordToken[],
  index: number,
  lowerCaseText: boolean,
): boolean {
  const previous = tokens[index - 1];
  if (
    lowerCaseText ||
    previous === undefined ||
    !isJoined(text, tokens, index)
  ) {
    return false;
  }
  return isCapitalized(previous.text) && !COMMON_WORDS.has(previous.lower);
}

/** Tells whether the words around a match make it part of a longer name. */
function isPartOfLongerName(
  text: string,
  tokens: readonly WordToken[],
  index: number,
  count: number,
): boolean {
  const after = tokens[index + count];
  if (after === undefined || !isJoined(text, tokens, index + count)) {
    return false;
  }
  if (ORGANIZATION_WORDS.has(after.lower) || STREET_WORDS.has(after.lower)) {
    return true;
  }
  const before = tokens[index - 1];
  if (
    before !== undefined &&
    isJoined(text, tokens, index) &&
    (ORGANIZATION_WORDS.has(before.lower) || HONORIFICS.has(before.lower))
  ) {
    // "Bank of Georgia" or "Mr Jordan".
    return true;
  }
  return false;
}

/** Returns the line that contains `index` and the line before it. */
function linesAround(text: string, index: number): string {
  const lineStart = text.lastIndexOf("\n", index - 1) + 1;
  const previousStart = text.lastIndexOf("\n", lineStart - 2) + 1;
  const lineEnd = text.indexOf("\n", index);
  return text.slice(
    lineStart === 0 ? 0 : previousStart,
    lineEnd === -1 ? text.length : lineEnd,
  );
}

/**
 * Tells whether a place name is part of a postal address: a postal code
 * follows it, or its line or the line before has a number and a street
 * word such as "Street" or "Apt".
 */
function isInPostalAddress(
  text: string,
  tokens: readonly WordToken[],
  index: number,
  count: number,
): boolean {
  const next = tokens[index + count];
  const last = tokens[index + count - 1];
  if (
    next !== undefined &&
    last !== undefined &&
    /^,?[ \t]{1,3}$/u.test(text.slice(last.end, next.start)) &&
    /^\p{N}[\p{N}-]{2,}$/u.test(next.text)
  ) {
    return true;
  }
  const first = tokens[index];
  if (first === undefined) {
    return false;
  }
  const lines = linesAround(text, first.start);
  if (!/\p{N}/u.test(lines)) {
    return false;
  }
  return tokenizeWords(lines).some((token) => STREET_WORDS.has(token.lower));
}

/** Lowers the score of a place name that is part of a postal address. */
function markAddress(finding: PiiFinding, inAddress: boolean): PiiFinding {
  if (!inAddress) {
    return finding;
  }
  return {
    ...finding,
    score: ADDRESS_SCORE,
    validation: { ...finding.validation, postalAddress: true },
  };
}

function buildFinding(
  text: string,
  start: number,
  end: number,
  score: number,
  validation: Record<string, string | number | boolean>,
): PiiFinding {
  return {
    type: "LOCATION",
    start,
    end,
    text: text.slice(start, end),
    score,
    recognizer: NAME,
    validation,
  };
}

/**
 * Finds a capitalised place name right before ", <country>", as in
 * "Coalville, South Africa", ending at token `index` (exclusive).
 */
function findBeforeCountry(
  text: string,
  tokens: readonly WordToken[],
  index: number,
): PiiFinding | undefined {
  let start = index;
  while (start > 0 && index - start < MAX_CUED_WORDS) {
    const token = tokens[start - 1];
    if (token === undefined || !isPlaceWord(text, token)) {
      break;
    }
    if (start < index && !isJoined(text, tokens, start)) {
      break;
    }
    start -= 1;
  }
  const first = tokens[start];
  const last = tokens[index - 1];
  if (start === index || first === undefined || last === undefined) {
    return undefined;
  }
  // A capitalised word or a number right before the name means it is part
  // of a longer name or of a street line, so it is not reported.
  const before = tokens[start - 1];
  if (before !== undefined && isJoined(text, tokens, start)) {
    if (isCapitalized(before.text) || /\p{N}/u.test(before.text)) {
      return undefined;
    }
  }
  return buildFinding(text, first.start, last.end, 0.6, {
    rule: "before-country",
  });
}

/**
 * Finds place names with rules and a built-in lexicon, with no model: a
 * country or large city written with a capital letter (or anywhere in an
 * all lower-case text), a capitalised name after a place cue such as
 * "lives in" or "moved to", and a name before ", <country>".
 * NOTE: the lexicon holds the United Nations member states, common short
 * forms and a few hundred large cities only, so a small town is found
 * only next to a cue.
 */
export const locationRecognizer: Recognizer = {
  name: NAME,
  types: ["LOCATION"],
  find(text) {
    const findings: PiiFinding[] = [];
    const tokens = tokenizeWords(text);
    const lowerCaseText = text === text.toLowerCase();
    let index = 0;
    while (index < tokens.length) {
      const token = tokens[index];
      if (token === undefined) {
        break;
      }
      const cue = findCue(text, tokens, index);
      const lexicon = matchLexicon(text, tokens, index, lowerCaseText);
      if (
        lexicon !== undefined &&
        !isPartOfLongerName(text, tokens, index, lexicon.count) &&
        (cue !== undefined ||
          (!AMBIGUOUS_PLACES.has(lexicon.key) &&
            !followsGivenName(text, tokens, index, lowerCaseText)))
      ) {
        const last = tokens[index + lexicon.count - 1] ?? token;
        const kind = COUNTRY_SET.has(lexicon.key) ? "country" : "city";
        const base = kind === "country" ? 0.85 : 0.75;
        const inAddress = isInPostalAddress(text, tokens, index, lexicon.count);
        const finding = buildFinding(
          text,
          token.start,
          last.end,
          cue === undefined ? base : 0.9,
          {
            rule: "lexicon",
            kind,
            ...(cue === undefined ? {} : { cue: cue.cue }),
          },
        );
        findings.push(markAddress(finding, inAddress));
        if (
          kind === "country" &&
          text.slice(token.start - 2, token.start) === ", "
        ) {
          const before = findBeforeCountry(text, tokens, index);
          if (before !== undefined) {
            findings.push(markAddress(before, inAddress));
          }
        }
        index += lexicon.count;
        continue;
      }
      if (cue !== undefined && !lowerCaseText) {
        const count = measureCuedPlace(text, tokens, index, cue.strong);
        if (count > 0) {
          const last = tokens[index + count - 1] ?? token;
          const finding = buildFinding(
            text,
            token.start,
            last.end,
            cue.strong ? 0.7 : 0.5,
            { rule: "cue", cue: cue.cue },
          );
          findings.push(
            markAddress(finding, isInPostalAddress(text, tokens, index, count)),
          );
          index += count;
          continue;
        }
      }
      index += 1;
    }
    findings.sort((left, right) => left.start - right.start);
    return dropDuplicates(findings);
  },
};

/** Drops findings with the same span as an earlier one. */
function dropDuplicates(findings: readonly PiiFinding[]): PiiFinding[] {
  const seen = new Set<string>();
  const unique: PiiFinding[] = [];
  for (const finding of findings) {
    const key = `${finding.start}:${finding.end}`;
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(finding);
    }
  }
  return unique;
}
