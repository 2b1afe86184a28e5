import type { MappedText } from "../normalize/mapped-text.js";
import type { Detector } from "./detector.js";
import { readsAsProse, runPatternRules } from "./pattern-rules.js";
import type { PatternRule, PatternRuleSet } from "./pattern-rules.js";

/**
 * An argument built by concatenation: a `+` outside string literals, so
 * the arithmetic in `eval('2 + 3')` does not count.
 */
const CONCATENATION = String.raw`(?:[^()'"\x60]|'[^'\n]{0,80}'|"[^"\n]{0,80}"|\x60[^\x60\n]{0,80}\x60){0,40}?\+\s*[\w'"\x60]`;

/**
 * An argument list that runs no code of its own: empty, as in a mention
 * of `eval()`, or one string literal of arithmetic.
 */
const INERT_ARGUMENTS = /^\s*(?:\)|(['"\x60])[\d\s+\-*/%.()]*\1\s*\))/u;

/** Tells whether the arguments after a call's opening bracket run code. */
function evaluatesCode(match: RegExpExecArray, view: MappedText): boolean {
  const end = match.index + match[0].length;
  return !INERT_ARGUMENTS.test(view.text.slice(end, end + 120));
}

/** Subprocess functions that take a program and its arguments. */
const SUBPROCESS = String.raw`\bsubprocess\.(?:run|call|popen|check_output|check_call)\s*\(`;

/**
 * Arguments that make an `eval` call dangerous: request data, user input,
 * decoded strings, concatenation and dynamic imports.
 */
const TAINTED_ARGUMENT = String.raw`(?:[^()]{0,80}(?:\$_(?:get|post|request|cookie|server)|request\.|req\.|input\s*\(|raw_input|argv|params|query|body|base64|b64decode|atob|decode\s*\(|unescape|fromcharcode|__import__|getattr|compile\s*\()|${CONCATENATION})`;

/** Python dunder attributes used to walk from a value to the interpreter. */
const DUNDER =
  /__\s*(?:class|mro|subclasses|globals|builtins|init|import|base|bases|getattribute|dict|code|loader|spec)\s*__/u;

/**
 * Words inside `{{ }}` of a template that reach the runtime. A pattern of
 * its own, tested on the expression that {@link TEMPLATE_EXPRESSION}
 * found, so it never runs over the same text once per start position.
 */
const RUNTIME_IN_BRACES =
  /\.constructor\s*\(|constructor\.constructor|process\.|require\s*\(|\bos\.|popen|subprocess|\beval\b|\bexec\b|\bimport\b|\bopen\s*\(|file\w*\s*\(|\.read\s*\(/u;

/** Words inside `${ }` of Java expression languages that reach the runtime. */
const RUNTIME_IN_EL =
  /getclass|forname|getruntime|processbuilder|\.exec\s*\(|new\s+java/u;

/** Words inside `<% %>` that run a command or code. */
const RUNTIME_IN_SCRIPTLET = /system|exec|eval|popen|\x60/u;

/**
 * Template expressions of up to 400 characters: `{{ }}`, `{% %}`, `${ }`
 * and `<% %>`. A run of opening braces starts one expression, not one per
 * brace.
 */
const TEMPLATE_EXPRESSION =
  /(?<!\{)\{\{[^}]{0,400}\}\}|(?<!\{)\{%[^%]{0,400}%\}|(?<!\{)\$\{[^}]{0,400}\}|<%=?[^%]{0,400}%>/gu;

/** Tells whether a template expression walks Python internals. */
function walksPythonInternals(match: RegExpExecArray): boolean {
  const expression = match[0];
  return (
    (expression.startsWith("{{") || expression.startsWith("{%")) &&
    DUNDER.test(expression)
  );
}

/** Tells whether a template expression reaches the runtime to run code. */
function reachesRuntime(match: RegExpExecArray): boolean {
  const expression = match[0];
  if (expression.startsWith("{{")) {
    return RUNTIME_IN_BRACES.test(expression);
  }
  if (expression.startsWith("${")) {
    return RUNTIME_IN_EL.test(expression);
  }
  if (expression.startsWith("<%")) {
    return RUNTIME_IN_SCRIPTLET.test(expression);
  }
  return /^\{%\s*(?:import|from|exec|python)\b/u.test(expression);
}

/**
 * The letters of a JNDI lookup and the greatest number of characters that
 * may sit before each, as obfuscated Log4Shell payloads spread them:
 * `${${lower:j}ndi:ldap://...}`.
 */
const JNDI_STEPS: readonly (readonly [string, number])[] = [
  ["j", 60],
  ["n", 30],
  ["d", 30],
  ["i", 30],
  [":", 40],
  ["://", 80],
];

/**
 * Returns the offsets just after each occurrence of `token` that starts
 * at most `maxGap` characters after one of `ends`, which are ascending.
 */
function advance(
  text: string,
  ends: readonly number[],
  token: string,
  maxGap: number,
): number[] {
  const next: number[] = [];
  let first = 0;
  for (let at = ends[0] ?? text.length; at < text.length; at++) {
    while (first < ends.length && (ends[first] ?? 0) + maxGap < at) {
      first++;
    }
    if (first === ends.length) {
      break;
    }
    if ((ends[first] ?? 0) <= at && text.startsWith(token, at)) {
      next.push(at + token.length);
    }
  }
  return next;
}

/**
 * Tells whether a `${` expression spells a JNDI lookup with a URL. It
 * follows every placement of the letters at once, so the work is linear
 * in the length of the match, where a pattern with one lazy gap per
 * letter would try every combination.
 */
function spellsJndiLookup(match: RegExpExecArray): boolean {
  let ends = [2];
  for (const [token, maxGap] of JNDI_STEPS) {
    ends = advance(match[0], ends, token, maxGap);
    if (ends.length === 0) {
      return false;
    }
  }
  return true;
}

const RULES: readonly PatternRule[] = [
  {
    subtype: "template-injection",
    pattern: TEMPLATE_EXPRESSION,
    accept: walksPythonInternals,
    score: 0.95,
    reason:
      "Contains a template expression that walks Python internals to reach code execution.",
  },
  {
    subtype: "template-injection",
    pattern: TEMPLATE_EXPRESSION,
    accept: reachesRuntime,
    score: 0.9,
    reason:
      "Contains a template or expression-language expression that runs code on the server.",
  },
  {
    subtype: "template-injection",
    pattern:
      /\{\{\s*\d+\s*[*+]\s*['"]?\d+['"]?\s*\}\}|\$\{\s*\d+\s*\*\s*\d+\s*\}|#\{\s*\d+\s*\*\s*\d+\s*\}|<%=\s*\d+\s*\*\s*\d+\s*%>|\{\{\s*(?:config|self|request|settings)(?:\.[\w]+|\s*\|)[^}]{0,80}\}\}/gu,
    score: 0.6,
    reason:
      "Contains a template expression that probes whether the server evaluates templates.",
  },
  {
    subtype: "jndi-lookup",
    pattern: /\$\{[^\n]{0,280}:\/\//gu,
    accept: spellsJndiLookup,
    score: 0.95,
    reason:
      "Contains a JNDI lookup (Log4Shell) that makes a Java logger load remote code.",
  },
  {
    subtype: "os-command",
    pattern: new RegExp(
      String.raw`${SUBPROCESS}(?!\s*\[)|${SUBPROCESS}\s*\[[^\]]{0,200}\][^)]{0,200}?\bshell\s*=\s*true|\b__import__\s*\(|\b(?:os|posix)\.(?:system|popen|exec[lv]p?e?|spawn\w*|startfile)\s*\(|\bsubprocess\.(?:getoutput|getstatusoutput)\s*\(|\bruntime\.getruntime\s*\(\s*\)\s*\.exec\s*\(|\bnew\s+processbuilder\s*\(|\brequire\s*\(\s*['"](?:node:)?child_process['"]\s*\)|\bchild_process\b[^;\n]{0,40}\.(?:exec|execsync|spawn|spawnsync|execfile|fork)\s*\(|\bprocess\.(?:binding|mainmodule)\b|\b(?:kernel\.)?(?:io\.popen|open3\.\w+)\s*\(|%x\(`,
      "gu",
    ),
    score: 0.9,
    reason: "Calls a function that runs operating-system commands.",
  },
  {
    subtype: "os-command",
    pattern:
      /\b(?:system|passthru|shell_exec|popen|proc_open|pcntl_exec|exec)\(\s*['"$]|\$\{@?(?:print|system|eval|phpinfo|passthru)\s*\(|\bassert\s*\(\s*\$_/gu,
    score: 0.85,
    reason:
      "Calls a PHP or C function that runs a command or code from its argument.",
  },
  {
    subtype: "file-inclusion",
    pattern:
      /\b(?:include|require)(?:_once)?\s*\(?\s*\$_(?:get|post|request|cookie)\b|\{\s*\$_(?:get|post|request|cookie)\s*\[|\{?\$\{@?[a-z_]\w*\s*\(/gu,
    score: 0.85,
    reason:
      "Includes a file or calls a function named by request data, so the request chooses the code that runs.",
  },
  {
    subtype: "os-command",
    pattern:
      /\b(?:eval|exec|execute|system|passthru|shell_exec|popen)\s*\(\s*['"\x60]\s*(?:ls|pwd|whoami|id|sleep|cat|echo|wget|curl|nc|bash|sh|uname|dir|type|ping|rm|net|ipconfig|ifconfig)\b/gu,
    score: 0.85,
    reason: "Passes a shell command to a function that runs it.",
  },
  {
    subtype: "os-command",
    pattern: new RegExp(String.raw`${SUBPROCESS}\s*\[`, "gu"),
    score: 0.9,
    reason: "Calls a function that runs operating-system commands.",
    lower: {
      when: readsAsProse,
      score: 0.45,
      reason:
        "Names a subprocess call with an argument list in English prose, as documentation does; no shell parses its arguments.",
    },
  },
  {
    subtype: "info-disclosure",
    pattern: /(?:[;|&]|^\s*['"]?)\s*phpinfo\s*\(\s*\)|\bphpinfo\s*\(\s*\)/gu,
    score: 0.75,
    reason: "Calls phpinfo(), which prints the server's configuration.",
  },
  {
    subtype: "eval",
    pattern: new RegExp(
      String.raw`\b(?:eval|exec|execfile|execscript)\s*\(${TAINTED_ARGUMENT}`,
      "gu",
    ),
    score: 0.9,
    reason:
      "Evaluates code built from request data, user input or a decoded string.",
  },
  {
    subtype: "eval",
    pattern:
      /(?<![.\w])(?:eval|exec|execfile|execscript)\s*\(|\b(?:new\s+)?function\s*\(\s*['"\x60]|\b(?:settimeout|setinterval)\s*\(\s*['"\x60]|constructor\.constructor\s*\(|\[\s*['"]constructor['"]\s*\]/gu,

    accept: evaluatesCode,
    score: 0.7,
    reason: "Evaluates a string as code.",
  },
  {
    subtype: "deserialization",
    pattern:
      /\b(?:pickle|cpickle|marshal|shelve|dill)\.loads?\s*\(|\byaml\.(?:unsafe_)?load\s*\((?![^)]{0,200}safeloader)|\bunserialize\s*\(\s*\$_|\bobjectinputstream\s*\(/gu,
    score: 0.6,
    reason:
      "Deserializes data with a loader that can run code embedded in the data.",
  },
  {
    subtype: "code-import",
    pattern:
      /\bimport\s+(?:os|subprocess|pty|socket|ctypes)\b|\bfrom\s+(?:os|subprocess)\s+import\b|<\?php\b/gu,
    score: 0.4,
    reason: "Imports a module that can run commands, or opens PHP code.",
  },
];

const CODE_RULES: PatternRuleSet = {
  type: "CODE_EXECUTION",
  detector: "code-execution",
  gate: /[({]|%x|<\?php|\bimport\b/u,
  rules: RULES,
};

/**
 * Finds calls that execute code or commands: `eval`, `exec`, `Function`,
 * `os.system`, `subprocess`, `child_process`, Java `Runtime.exec`, PHP
 * `system`, unsafe deserialization, Log4Shell lookups and server-side
 * template injection.
 */
export const codeExecutionDetector: Detector = {
  name: "code-execution",
  detect: (context) => runPatternRules(context, CODE_RULES),
};
