import type { Detector } from "./detector.js";
import { runPatternRules } from "./pattern-rules.js";
import type { PatternRule, PatternRuleSet } from "./pattern-rules.js";

/**
 * Arguments that make an `eval` call dangerous: request data, user input,
 * decoded strings, concatenation and dynamic imports.
 */
const TAINTED_ARGUMENT = String.raw`(?:[^()]{0,80}(?:\$_(?:get|post|request|cookie|server)|request\.|req\.|input\s*\(|raw_input|argv|params|query|body|base64|b64decode|atob|decode\s*\(|unescape|fromcharcode|__import__|getattr|compile\s*\(|\+\s*\w))`;

/** Python dunder attributes used to walk from a value to the interpreter. */
const DUNDER = String.raw`__\s*(?:class|mro|subclasses|globals|builtins|init|import|base|bases|getattribute|dict|code|loader|spec)\s*__`;

const RULES: readonly PatternRule[] = [
  {
    subtype: "template-injection",
    pattern: new RegExp(
      String.raw`\{\{[^}]{0,200}${DUNDER}[^}]{0,200}\}\}|\{%[^%]{0,200}${DUNDER}[^%]{0,200}%\}`,
      "gu",
    ),
    score: 0.95,
    reason:
      "Contains a template expression that walks Python internals to reach code execution.",
  },
  {
    subtype: "template-injection",
    pattern:
      /\{\{[^}]{0,200}(?:\.constructor\s*\(|constructor\.constructor|process\.|require\s*\(|\bos\.|popen|subprocess|\beval\b|\bexec\b|\bimport\b|\bopen\s*\(|\w*file\w*\s*\(|\.read\s*\()[^}]{0,200}\}\}|\$\{[^}]{0,200}(?:getclass|forname|getruntime|processbuilder|\.exec\s*\(|new\s+java)[^}]{0,200}\}|<%=?[^%]{0,200}(?:system|exec|eval|popen|\x60)[^%]{0,200}%>|\{%\s*(?:import|from|exec|python)\b[^%]{0,200}%\}/gu,
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
    pattern:
      /\$\{[^\n]{0,60}?j[^\n]{0,30}?n[^\n]{0,30}?d[^\n]{0,30}?i[^\n]{0,40}?:[^\n]{0,80}?:\/\//gu,
    score: 0.95,
    reason:
      "Contains a JNDI lookup (Log4Shell) that makes a Java logger load remote code.",
  },
  {
    subtype: "os-command",
    pattern:
      /\b__import__\s*\(|\b(?:os|posix)\.(?:system|popen|exec[lv]p?e?|spawn\w*|startfile)\s*\(|\bsubprocess\.(?:run|call|popen|check_output|check_call|getoutput|getstatusoutput)\s*\(|\bruntime\.getruntime\s*\(\s*\)\s*\.exec\s*\(|\bnew\s+processbuilder\s*\(|\brequire\s*\(\s*['"](?:node:)?child_process['"]\s*\)|\bchild_process\b[^;\n]{0,40}\.(?:exec|execsync|spawn|spawnsync|execfile|fork)\s*\(|\bprocess\.(?:binding|mainmodule)\b|\b(?:kernel\.)?(?:io\.popen|open3\.\w+)\s*\(|%x\(/gu,
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
    score: 0.7,
    reason: "Evaluates a string as code.",
  },
  {
    subtype: "deserialization",
    pattern:
      /\b(?:pickle|cpickle|marshal|shelve|dill)\.loads?\s*\(|\byaml\.(?:unsafe_)?load\s*\((?![^)]*safeloader)|\bunserialize\s*\(\s*\$_|\bobjectinputstream\s*\(/gu,
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
