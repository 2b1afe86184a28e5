import type { Detector } from "./detector.js";
import {
  GAP as G,
  LINE_GAP,
  LINE_SPACE,
  readsAsProse,
  runPatternRules,
} from "./pattern-rules.js";
import { injectsCondition, joinsCompleteQueries } from "./sql-context.js";
import type { PatternRule, PatternRuleSet } from "./pattern-rules.js";

/** A quote, backtick or closing bracket that ends an injected value. */
const BREAKOUT = String.raw`['"\x60)]`;

/** A separator other than `+`, so a `+` after it reads as an operator. */
const GAP_NO_PLUS = String.raw`(?:\s|/\*[^*]{0,40}\*/)`;

/**
 * Separators and opening or closing brackets, as one run. Payloads mix
 * them freely ("( (1"), and one run instead of `\(*` between two separator
 * runs keeps the patterns from backtracking over every way to split a
 * long run of spaces.
 */
const OPEN = String.raw`(?:${G}|\()*`;
const CLOSE = String.raw`(?:${G}|\))*`;

/** A literal operand: a word or number, or a quoted word. */
const OPERAND = String.raw`(?:(['"])[\w@]*\1|[\w@]+)`;

/**
 * A comparison and its right operand. LIKE and REGEXP need a quoted
 * operand, so prose such as "and looked like a fool" does not match.
 */
const COMPARISON = String.raw`(?:(?:=|<>|!=|<=?|>=?)${OPEN}['"]?[\w@]*|\b(?:r?like|regexp)${G}+\(*['"]|\bis${G}+(?:not${G}+)?null\b)`;

/**
 * The start of a sentence line that is only a payload fragment: an
 * optional value and quote, then a boolean operator, as in "' AND 1=0"
 * or "1 OR x=x".
 */
const FRAGMENT_START = String.raw`^(?:${LINE_SPACE}*[\w@]{1,20})?['"\x60)]*${LINE_GAP}*(?:and|or|xor|&&|\|\|)${G}${OPEN}`;

const SQL_FUNCTION = String.raw`(?:select|if|substring|substr|ascii|length|exists|sleep|benchmark|pg_sleep|case|char|concat|cast|convert|extractvalue|updatexml|mid|ord|user|database|version|count)`;

const STACKED_STATEMENT = [
  String.raw`drop${G}+(?:table|database|schema|view|user|procedure|function)`,
  String.raw`delete${G}+from`,
  String.raw`insert${G}+into`,
  String.raw`update${G}+[\w.\[\]"\x60]+${G}+set`,
  String.raw`alter${G}+(?:table|user|database|login)`,
  String.raw`create${G}+(?:table|user|login|procedure|function|trigger)`,
  String.raw`truncate${G}+(?:table${G}+)?\w`,
  String.raw`exec(?:ute)?${G}*(?:\(|@|master\.|xp_|sp_)`,
  String.raw`shutdown\b`,
  String.raw`declare${G}+@`,
  String.raw`(?:grant|revoke)${G}+\w+`,
  String.raw`waitfor${G}`,
  String.raw`select${G}[^;]{0,80}?${G}from\b`,
].join("|");

const RULES: readonly PatternRule[] = [
  {
    subtype: "tautology",
    pattern: new RegExp(
      String.raw`${BREAKOUT}${G}*(?:or|and|xor|\|\||&&)${G}${OPEN}(?:not${G}${OPEN})?(?:${OPERAND}${CLOSE})?${COMPARISON}|['"]${G}*(?:or|and)${G}*(['"])\2?${GAP_NO_PLUS}*[-&*^|+]${G}*['"]`,
      "gu",
    ),
    score: 0.9,
    reason:
      "Closes a quoted value and adds an always-true or always-false condition, a classic SQL injection.",
    accept: injectsCondition,
  },
  {
    subtype: "tautology",
    pattern: new RegExp(
      String.raw`${BREAKOUT}${G}*(?:or|\|\|)${G}+(?:true|1|not${G}+false)${G}*(?:--|#|/\*|;|$)`,
      "gu",
    ),
    score: 0.85,
    reason:
      "Closes a quoted value with an always-true condition and cuts off the rest of the SQL query.",
  },
  {
    subtype: "tautology",
    pattern: new RegExp(
      String.raw`\b(?:or|and)${G}+(\d+)${G}*=${G}*\1${G}*(?:--|#|/\*|;|$)`,
      "gu",
    ),
    score: 0.85,
    reason:
      "Adds an always-true condition such as OR 1=1 and ends the SQL query.",
  },
  {
    subtype: "tautology",
    pattern: new RegExp(
      String.raw`\b(?:or|and|where|having)${G}+(\d+)${G}*=${G}*\1\b`,
      "gu",
    ),
    score: 0.7,
    reason: "Adds an always-true SQL condition such as OR 1=1.",
    lower: {
      when: readsAsProse,
      score: 0.45,
      reason:
        "Contains an always-true SQL condition such as OR 1=1 in English prose, with no quote or comment that would inject it.",
    },
  },
  {
    subtype: "boolean-probe",
    pattern: new RegExp(
      String.raw`${FRAGMENT_START}(?:(?:\d+|true|false|[a-z]\w{0,20}|(['"])\w*\1)${G}*(?:=|<>|!=|<|>)${OPEN}['"]?\w*|select\b[^;]{0,80}?\bfrom\b|${SQL_FUNCTION}${G}*\(|(?:true|false|\d+)${G}*(?:--|#|/\*|$))`,
      "gmu",
    ),
    score: 0.85,
    reason:
      "Consists of an SQL condition fragment that starts with AND or OR, as injected after a value.",
  },
  {
    subtype: "union-select",
    pattern: new RegExp(
      String.raw`\bunion${G}${OPEN}(?:(?:all|distinct)${G}${OPEN})?select(?:\b|(?=char|null|\d|@))`,
      "gu",
    ),
    score: 0.9,
    reason:
      "Appends a UNION SELECT that makes the SQL query return rows from other tables.",
    lower: {
      when: joinsCompleteQueries,
      score: 0.45,
      reason:
        "Contains a UNION SELECT that joins two complete queries, as SQL documentation writes them.",
    },
  },
  {
    subtype: "stacked-query",
    pattern: new RegExp(
      String.raw`${BREAKOUT}${G}*(?:create${G}+(?:user|table|login)|drop${G}+(?:table|database|user|function)|alter${G}+(?:user|table|login)|grant${G}+\w+|insert${G}+into|delete${G}+from|exec(?:ute)?${G}+(?:master\.|xp_|sp_))|\b(?:drop|truncate)${G}+(?:table|database|schema|function|procedure|user)${G}+[\w.\[\]"]+${G}*(?:--|#|;|/\*)`,
      "gu",
    ),
    score: 0.85,
    reason:
      "Closes a value and runs a statement that creates, drops or grants, or drops an object and cuts off the query.",
  },
  {
    subtype: "stacked-query",
    pattern: new RegExp(String.raw`;${G}*(?:${STACKED_STATEMENT})`, "gu"),
    score: 0.85,
    reason:
      "Ends the SQL statement with a semicolon and runs a second statement after it.",
  },
  {
    subtype: "comment-truncation",
    pattern: new RegExp(
      String.raw`^${LINE_SPACE}*[\w@.-]{0,30}['"\x60]\)*${G}*(?:--(?=[\s+-]|$)|#(?![\w{])|/\*)`,
      "gmu",
    ),
    score: 0.85,
    reason:
      "Consists of a value that closes a quote and starts an SQL comment, as in the login bypass admin'--.",
  },
  {
    subtype: "comment-truncation",
    pattern: new RegExp(
      String.raw`(?:^|(?<=[\w\])]))['"\x60]\)*${G}*(?:--(?=[\s+-]|$)|#(?![\w{])|/\*)`,
      "gmu",
    ),
    score: 0.5,
    reason:
      "Closes a quoted value and starts an SQL comment that cuts off the rest of the query.",
  },
  {
    subtype: "time-based",
    pattern: new RegExp(
      String.raw`(?:${BREAKOUT}|\b(?:or|and|select|by|if|then|when)\b|\|\||&&|(?<!\()\(|,|;|^)${OPEN}(?:sleep|pg_sleep)${G}*\(${G}*['"]?\d|\bsleep${G}*\(${G}*\d+${G}*\)${G}*(?:--|#|=|/\*)`,
      "gu",
    ),
    score: 0.9,
    reason:
      "Calls an SQL sleep function to probe the database by response time.",
  },
  {
    subtype: "time-based",
    pattern: new RegExp(
      String.raw`\bpg_sleep${G}*\(|\bbenchmark${G}*\(${G}*\d{3,}${G}*,|\bwaitfor${G}+delay${G}+['"]|\bdbms_pipe\.receive_message|\bdbms_lock\.sleep|\brandomblob${G}*\(${G}*\d{6,}`,
      "gu",
    ),
    score: 0.9,
    reason:
      "Calls an SQL delay or heavy function to probe the database by response time.",
  },
  {
    subtype: "boolean-probe",
    pattern: new RegExp(
      String.raw`${BREAKOUT}(?:${G}*(?:or|and|xor|\|\||&&|\|)|${GAP_NO_PLUS}*\+)${OPEN}${SQL_FUNCTION}${G}*\(`,
      "gu",
    ),
    score: 0.85,
    reason:
      "Closes a quoted value and adds an SQL function call that probes the database.",
  },
  {
    subtype: "error-based",
    pattern: new RegExp(
      String.raw`${BREAKOUT}${G}*(?:order|group)${G}+by${G}+\d+|\border${G}+by${G}+\d+${G}*(?:--|#|/\*)|^${LINE_SPACE}*order${G}+by${G}+\d+${G}*$|\bhaving${G}+\d+${G}*=${G}*\d+`,
      "gmu",
    ),
    score: 0.8,
    reason:
      "Probes the number of columns of an SQL query with ORDER BY or HAVING.",
  },
  {
    subtype: "enumeration",
    pattern: new RegExp(
      String.raw`\b(?:sysobjects|syscolumns|sysusers|syslogins|pg_shadow|pg_authid|pg_group|mysql\.user|master\.\.sys\w*|xp_(?:cmdshell|regread|dirtree|fileexist)|sp_(?:addsrvrolemember|addlogin|configure|oacreate|password|makewebtask|executesql))\b|\bload_file${G}*\(|\binto${G}+(?:out|dump)file\b|\butl_(?:http|inaddr|file)\.|\b(?:extractvalue|updatexml)${G}*\(|\bchar${G}*\(${G}*\d+${G}*\)${GAP_NO_PLUS}*(?:\+|\|\|)${G}*char${G}*\(`,
      "gu",
    ),
    score: 0.8,
    reason:
      "Reads database internals, files or system procedures that SQL injection uses to take over a server.",
  },
  {
    subtype: "enumeration",
    pattern: new RegExp(
      String.raw`@@(?:version|datadir|hostname|servername)\b|\binformation_schema\.|\bsys\.(?:tables|objects|databases|sql_logins|syslogins)\b|\b(?:version|database|current_user|user)${G}*\(${G}*\)|\bcurrent_setting${G}*\(|\bconvert${G}*\(${G}*int${G}*,`,
      "gu",
    ),
    score: 0.6,
    reason:
      "Reads the database version, user or schema, as SQL injection does before an attack.",
  },
  {
    subtype: "sensitive-query",
    pattern: new RegExp(
      String.raw`\bselect${G}[^;]{1,80}?${G}from${G}+(?:users?|admins?|accounts?|passwords?|members|customers|credentials|logins?|dual)\b`,
      "gu",
    ),
    score: 0.45,
    reason: "Contains an SQL query that reads accounts or credentials.",
  },
];

const SQL_RULES: PatternRuleSet = {
  type: "SQL_INJECTION",
  detector: "sql-injection",
  gate: /['"\x60);@]|\b(?:or|and|union|select|sleep|benchmark|waitfor|order|having|char|where)\b/u,
  rules: RULES,
};

/**
 * Finds SQL injection: quote breakouts with always-true conditions, UNION
 * SELECT, stacked statements, comment truncation, time delays, column
 * probes and reads of database internals.
 */
export const sqlInjectionDetector: Detector = {
  name: "sql-injection",
  detect: (context) => runPatternRules(context, SQL_RULES),
};
