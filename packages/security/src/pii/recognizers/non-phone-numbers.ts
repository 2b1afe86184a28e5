/**
 * Shapes of digit groups that are some other kind of number, even with a
 * phone word next to them: dates, amounts, decimals, versions, postal
 * codes and table figures. Only the digits found by a phone word are
 * checked against them; numbers that libphonenumber-js validates are not.
 */

/** A year from 1900 to 2099 and then a month, as in "2024-03-15" or "2024 03". */
const YEAR_MONTH_START = /^(?:19|20)\d{2}[ ./-](?:0?[1-9]|1[0-2])(?!\d)/u;

/** Years only, as in "1990 2000" or "2015-2019". */
const YEAR_LIST = /^(?:19|20)\d{2}(?:[ ./-]+(?:19|20)\d{2})+$/u;

/** A United States ZIP+4 code, as in "90210-1234". */
const ZIP_PLUS_FOUR = /^\d{5}-\d{4}$/u;

/**
 * Groups of three digits after a leading group of one to three, with the
 * same separator throughout, as in "1 234 567", "1.000.000" or
 * "12,500,000". The first capture is the separator.
 */
const THOUSANDS = /^([1-9]\d{0,2})([ .,])\d{3}(?:\2\d{3})*$/u;

/**
 * A decimal number followed by more digit groups, as in
 * "3.14159 265358".
 */
const DECIMAL_START = /^(?:0|[1-9]\d{0,2})\.\d+(?=[ -])/u;

/**
 * Text right after the digits that continues them as a time, a decimal
 * fraction, a percentage or an amount of money: ":30", ",5", " %",
 * " Euro". The text is in lower case.
 */
const NUMBER_CONTINUATION =
  /^(?::\d|[.,]\d{1,2}(?!\d)|\s?(?:%|‰|[€$£¥₹₽]|(?:eur|euros?|usd|dollars?|gbp|pounds?|chf|francs?|jpy|yen|sek|nok|dkk|kr|pln|cad|aud|inr)(?!\p{L})))/u;

/** A currency sign or code right before the digits, in lower case. */
const CURRENCY_BEFORE =
  /(?:[€$£¥₹₽]|(?:^|[^\p{L}])(?:eur|usd|gbp|chf|jpy|cad|aud|inr))\s?$/u;

/**
 * Tells whether digit groups are thousands of an amount: grouped in
 * threes with commas, or after a single leading digit. Groups of three
 * after a leading group of two or three digits and joined by spaces or
 * dots stay possible phone numbers, as "612 345 678" is in Spain.
 */
function isThousands(number: string): boolean {
  const match = THOUSANDS.exec(number);
  if (match === null) {
    return false;
  }
  const [, leading, separator] = match;
  return separator === "," || leading?.length === 1;
}

/**
 * Tells whether dot-separated groups are a version number: four or more
 * groups, a first group of one or two digits, and later groups of at most
 * three digits and of different lengths, as in "4.12.0.221". Dotted phone
 * numbers such as "06.12.34.56.78" group their digits evenly.
 */
function isVersion(number: string): boolean {
  const groups = number.split(".");
  const [first, ...rest] = groups;
  if (
    first === undefined ||
    rest.length < 3 ||
    !/^[1-9]\d?$/u.test(first) ||
    !rest.every((group) => /^\d{1,3}$/u.test(group))
  ) {
    return false;
  }
  return new Set(rest.map((group) => group.length)).size > 1;
}

/**
 * Tells whether digit groups are figures rounded to tens, such as a table
 * row "1200 1350 1410": two or more groups of three or more digits, each
 * ending in 0 and none starting with 0. If last digits were uniform, 1
 * in 100 phone numbers of two such groups would end both in 0 (an
 * estimate).
 */
function isRoundFigureList(number: string): boolean {
  const groups = number.match(/\d+/gu) ?? [];
  return (
    groups.length >= 2 &&
    groups.every(
      (group) =>
        group.length >= 3 && !group.startsWith("0") && group.endsWith("0"),
    )
  );
}

/**
 * Tells whether digits, written without an extension, are shaped as a
 * date, an amount, a decimal, a version, a ZIP+4 code or a list of
 * figures instead of a phone number.
 */
export function hasNonPhoneShape(number: string): boolean {
  return (
    YEAR_MONTH_START.test(number) ||
    YEAR_LIST.test(number) ||
    ZIP_PLUS_FOUR.test(number) ||
    DECIMAL_START.test(number) ||
    isThousands(number) ||
    isVersion(number) ||
    isRoundFigureList(number)
  );
}

/**
 * Tells whether the text around digits makes them part of a time, a
 * decimal, a percentage or an amount of money. `before` and `after` are
 * the lower-case text on each side.
 */
export function continuesAsNonPhone(before: string, after: string): boolean {
  return NUMBER_CONTINUATION.test(after) || CURRENCY_BEFORE.test(before);
}
