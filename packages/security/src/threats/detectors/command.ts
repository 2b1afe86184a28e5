import type { MappedText } from "../normalize/mapped-text.js";
import type { Detector } from "./detector.js";
import { LINE_SPACE as SPACE, runPatternRules } from "./pattern-rules.js";
import type { PatternRule, PatternRuleSet } from "./pattern-rules.js";

/** A terminal escape sequence that payloads put after an operator. */
const TERMINAL_ESCAPE = String.raw`(?:${SPACE}*(?:\x1b|\\033|\\e)\[[\d;]*[a-z]?)?`;

/**
 * Shell operators that start a new command after injected input. A line
 * feed counts only where it was decoded from an escape such as `%0a`; see
 * {@link afterInjectedOperator}.
 */
const OPERATOR = String.raw`(?:;|&&|\|\||\||&|%0a|\n)${TERMINAL_ESCAPE}`;

/** A program path prefix such as /bin/ or /usr/bin/. */
const BIN = String.raw`(?:/usr)?(?:/s?bin/)?`;

/** Lookahead for the end of a command's arguments: white space, an operator, a quote or the end. */
const END = String.raw`(?=$|[\s;&|'"\x60)<>#])`;

/**
 * Lookahead after a command whose name is also an English word, such as
 * "id" or "type". Only a shell operator, a quote or the end may follow.
 */
const END_STRICT = String.raw`(?=\s*(?:$|[;&|'"\x60)<>#]))`;

/** Unix and Windows paths that an injected command reads. */
const PATH = String.raw`(?:/|~/|\.\./|[a-z]:\\|%\w+%|\$\w+|\*)`;

/** A host name, IP address or URL that a network command contacts. */
const HOST = String.raw`(?:(?:https?|ftp)://[^\s;&|'"\x60<>]*|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b|\d+\.\d+\.\d+\.\d+|localhost\b)`;

/**
 * Commands that are dangerous on their own or that fetch, run or hand out
 * a shell, with the arguments that make them unambiguous.
 */
const DANGEROUS_COMMAND = [
  String.raw`rm\s+-[a-z]*[rf][a-z]*`,
  String.raw`(?:curl|wget)\s+(?:-\S+\s+)*${HOST}`,
  String.raw`(?:nc|ncat|netcat)\s+(?:-[a-z]+|[\w.-]+\s+\d+)`,
  String.raw`(?:ba|z|k|c|tc|da)?sh${END_STRICT}`,
  String.raw`(?:ba|z|k)?sh\s+-[ci]`,
  String.raw`chmod\s+[+0-7]`,
  String.raw`(?:python[\d.]*|perl|ruby|php|node)\s+-[a-z]*[cer]\b`,
  String.raw`(?:powershell|pwsh)(?:\.exe)?\b`,
  String.raw`cmd(?:\.exe)?\s+/[ck]`,
  String.raw`(?:telnet|socat|mkfifo|nohup|crontab|certutil|bitsadmin|mshta|rundll32|regsvr32|wmic|schtasks)\b`,
  String.raw`netsh\s+\w`,
  String.raw`net\s+(?:user|localgroup|share)\b`,
  String.raw`reg\s+(?:add|delete|query|save|export)\s`,
  String.raw`(?:shutdown|reboot|halt|poweroff)(?:\s+-\S+)*${END_STRICT}`,
  String.raw`(?:kill|killall|pkill)\s+(?:-\d+|-[a-z]+|\d+)`,
  String.raw`(?:useradd|adduser|passwd|sudo)\b`,
  String.raw`(?:scp|ssh|ftp|tftp)\s+(?:-\S+\s+)*[\w.-]*(?:@|\.[a-z]{2,}\b|\d+\.\d+)`,
  String.raw`base64\s+-d`,
].join("|");

/**
 * Commands that read system facts, each with the arguments that tell it
 * from an English word, such as "cat /etc/hosts" and not "cat food".
 */
const RECON_COMMAND = [
  String.raw`(?:whoami|uname|pwd|ifconfig|ipconfig|netstat|systeminfo|sysinfo|hostname|printenv|phpinfo|getuid)(?:\s+-{1,2}[a-z]+|\s+/all)*${END}`,
  String.raw`(?:id|ps|env|ver|ls|dir)(?:\s+-{1,2}[a-z]+)*${END_STRICT}`,
  String.raw`(?:ls|dir)(?:\s+-{1,2}[a-z]+)*\s+${PATH}`,
  String.raw`(?:cat|type|more|less|head|tail|strings|nl)\s+(?:-[a-z]+\s+)*${PATH}`,
  String.raw`(?:sleep|timeout)\s+\d`,
  String.raw`net\s+(?:view|session|config|start|share)\b`,
  String.raw`which\s+(?:curl|wget|nc|netcat|ncat|perl|python\d?|gcc|bash|sh|php|ruby)\b`,
  String.raw`ping\s+(?:-[a-z]\s*\d+\s+)*${HOST}`,
  String.raw`(?:nslookup|dig|traceroute|tracert|whois)\s+${HOST}`,
  String.raw`echo\s+(?:['"$\x60]|-[ne]\s|\w+\s*(?:[>|;&]|$))`,
  String.raw`(?:find|grep|locate)\s+(?:-[a-z]+\s+)*${PATH}`,
].join("|");

/**
 * A dangerous or system-reading command, as a lookahead. Where text up to
 * a closing bracket or backtick follows, a lookahead keeps the engine from
 * trying every way the command's own pattern could end.
 */
const ANY_COMMAND = String.raw`(?=${DANGEROUS_COMMAND}|${RECON_COMMAND})`;

/** Names of the commands above, for the cheap gate test. */
const COMMAND_NAMES = String.raw`ls|dir|id|ps|env|ver|pwd|whoami|uname|ifconfig|ipconfig|netstat|systeminfo|sysinfo|hostname|printenv|phpinfo|cat|type|more|less|head|tail|sleep|timeout|ping|nslookup|dig|echo|find|grep|curl|wget|nc|ncat|netcat|bash|sh|chmod|python\d?|perl|ruby|php|node|powershell|cmd|net|netsh|reg|telnet|socat|mkfifo|rm|sudo`;

/**
 * The start of one argument of a command line: an option, a path, a
 * number, a host, or a word before a path. A lookahead, so the word is
 * then taken whole and the line is never split two ways.
 */
const ARGUMENT = String.raw`(?:(?:-{1,2}[\w-]+|/[a-z]+|\d+|[a-z]+(?=${SPACE}+/))(?!\S)|${PATH}|${HOST})`;

/**
 * Command names that make up a whole line on their own in command-line
 * payloads; words that are also English, such as "id", need arguments.
 */
const COMMAND_LINE = String.raw`^${SPACE}*${BIN}(?:ls|whoami|uname|ipconfig|ifconfig|netstat|systeminfo|sysinfo|hostname|pwd|phpinfo|printenv|(?:id|ps|env|dir|cat|type|ping|nc|netcat|wget|curl|sleep|find|echo|net|reg)(?=${SPACE}+\S))(?:${SPACE}+(?:"[^"]*"|'[^']*'|(?=${ARGUMENT})\S+))*${SPACE}*$`;

/**
 * Tells whether a `|` operator sits in a Markdown table row, where words
 * such as "id" or "type" are column names, not commands.
 */
function outsideTableRow(match: RegExpExecArray, view: string): boolean {
  if (!match[0].trimStart().startsWith("|")) {
    return true;
  }
  const lineStart = view.lastIndexOf("\n", match.index) + 1;
  const lineEnd = view.indexOf("\n", match.index);
  const line = view.slice(lineStart, lineEnd < 0 ? view.length : lineEnd);
  // A table row has two or more cells: "| id | name |".
  return !/^\s*\|(?:[^|]*\|){2,}\s*$/u.test(line);
}

/**
 * Tells whether a match that starts at a line feed starts at an injected
 * one, decoded from an escape such as `%0a` and so longer than one unit in
 * the original. A line break written as such ends a line of a document,
 * like a sentence end, and does not chain a command.
 */
function afterInjectedOperator(
  match: RegExpExecArray,
  view: MappedText,
): boolean {
  if (!match[0].startsWith("\n")) {
    return true;
  }
  const source = view.toOriginal(match.index, match.index + 1);
  return source.end - source.start > 1;
}

/** Accepts a chained command outside table rows and after a real operator. */
function chainedCommand(match: RegExpExecArray, view: MappedText): boolean {
  return (
    afterInjectedOperator(match, view) && outsideTableRow(match, view.text)
  );
}

const RULES: readonly PatternRule[] = [
  {
    subtype: "reverse-shell",
    pattern:
      /\/dev\/(?:tcp|udp)\/|\b(?:nc|ncat|netcat)\b[^;&|\n]{0,40}\s-(?=[a-z]*[ec])(?:\S*\s+)?\S*?(?:sh|cmd)|\b(?:ba)?sh\s+-i\b[^;\n]{0,20}[>&]|\bsocat\b[^;\n]{0,80}\bexec:|\bmkfifo\s+\/tmp\/|\bxterm\s+-display\b|socket\.socket\s*\(|\bnew-object\s+system\.net\.sockets\.tcpclient|\bpty\.spawn\s*\(/gu,
    score: 0.95,
    reason:
      "Opens a reverse shell that hands control of the machine to a remote host.",
  },
  {
    subtype: "download-execute",
    pattern:
      /\b(?:curl|wget)\b[^;&|\n]{0,200}\|\s*(?:sudo\s+)?(?:ba|z|k)?sh\b|\b(?:curl|wget)\b[^;\n]{0,200}(?:;|&&)\s*(?:chmod|(?:ba)?sh|\.\/)|\bchmod\s+(?:\+x|[0-7]{3,4})\s+\S+\s*(?:;|&&)\s*\.?\/|\bcertutil\b[^;\n]{0,40}-urlcache|\bbitsadmin\b[^;\n]{0,40}\/transfer|\bmshta\s+https?:|\b(?:iex|invoke-expression)\b[^;\n]{0,80}(?:downloadstring|net\.webclient|iwr|invoke-webrequest)|\bpowershell\b[^;\n]{0,40}\s-(?:e|enc|encodedcommand)\s/gu,
    score: 0.95,
    reason: "Downloads a program or script and runs it.",
  },
  {
    subtype: "destructive",
    pattern:
      /\brm\s+-(?=[a-z]*(?:rf|fr))[a-z]+\s+(?:\/(?:\*|(?=\s|$))|~\/?(?=\s|$)|\*|\$home\b|--no-preserve-root)|\bmkfs\.\w+\s+\/dev\/|\bdd\s+if=\/dev\/(?:zero|random|urandom)\s+of=\/dev\/|:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:|>\s*\/dev\/sd[a-z]\b/gu,
    score: 0.95,
    reason: "Runs a command that destroys files or disks.",
  },
  {
    subtype: "shellshock",
    pattern: /\(\)\s*\{[\s:;]*\}\s*;/gu,
    score: 0.95,
    reason:
      "Defines a Bash function in a value (Shellshock) so the shell runs the command after it.",
  },
  {
    subtype: "server-side-include",
    pattern: /<!--\s*#\s*(?:exec|include)\s+(?:cmd|file|virtual)\s*=/gu,
    score: 0.95,
    reason: "Contains a server-side include directive that runs a command.",
  },
  {
    subtype: "chained-command",
    pattern: new RegExp(
      String.raw`${OPERATOR}${SPACE}*${BIN}(?:${DANGEROUS_COMMAND})`,
      "gu",
    ),
    score: 0.9,
    reason:
      "Ends the previous command with a shell operator and runs a dangerous command after it.",
    accept: chainedCommand,
  },
  {
    subtype: "chained-command",
    pattern: new RegExp(
      String.raw`${OPERATOR}${SPACE}*${BIN}(?:${RECON_COMMAND})`,
      "gu",
    ),
    score: 0.8,
    reason:
      "Ends the previous command with a shell operator and runs a command that reads system facts.",
    accept: chainedCommand,
  },
  {
    subtype: "command-substitution",
    pattern: new RegExp(
      String.raw`\$\(\s*(?:\x60\s*)?${BIN}${ANY_COMMAND}[^)]*\)|^${SPACE}*\x60\s*${BIN}${ANY_COMMAND}[^\x60]*\x60\s*$|^${SPACE}*['"]+\s*${BIN}${ANY_COMMAND}|(?<=[\w=:/'"])\x60\s*${BIN}${ANY_COMMAND}[^\x60]*\x60|\x60\s*(?:/usr)?/s?bin/\w[^\x60]*\x60`,
      "gmu",
    ),
    score: 0.85,
    reason:
      "Uses command substitution so the shell runs a command while it builds a value.",
  },
  {
    subtype: "command-substitution",
    pattern: new RegExp(
      String.raw`(?<![\w=:/'"])\x60\s*${BIN}(?=${DANGEROUS_COMMAND})[^\x60]*\x60`,
      "gu",
    ),
    score: 0.6,
    reason: "Contains a dangerous shell command inside backticks.",
  },
  {
    subtype: "account-takeover",
    pattern:
      /\bnet\s+user\s+\S+\s+\S+\s+\/add\b|\bnet\s+localgroup\s+administrators\s+\S+\s+\/add\b|\bnetsh\s+(?:adv)?firewall\s+set\s+[\w\s]{0,40}?(?:disable|off)\b|\breg\s+add\s+["']?hk/gu,
    score: 0.9,
    reason:
      "Adds a user or administrator, turns off the firewall or edits the registry of a Windows machine.",
  },
  {
    subtype: "file-read",
    pattern:
      /\b(?:cat|type|more|less|head|tail|strings|nl|grep|copy|cp|base64|xxd)\s+[^;&|\n]{0,40}?(?:\/etc\/(?:passwd|shadow|sudoers|group|hosts)\b|[a-z]:\\boot\.ini|\\(?:winnt|windows)\\(?:repair\\|system32\\config\\)?(?:sam|system|security)\b|\bwin\.ini\b|%systemroot%)/gu,
    score: 0.85,
    reason:
      "Runs a command that reads a system file holding accounts or secrets.",
  },
  {
    subtype: "webshell",
    pattern: />>?\s*[\w./-]+\.(?:php\d?|phtml|jsp|jspx|asp|aspx|cgi)\b/gu,
    score: 0.85,
    reason:
      "Writes output into a server script file, the usual way to plant a web shell.",
  },
  {
    subtype: "sensitive-file",
    pattern:
      /\/etc\/(?:passwd|shadow|sudoers|group|hosts)\b|[a-z]:\\boot\.ini|\\(?:winnt|windows)\\(?:repair\\|system32\\config\\)?(?:sam|system|security)\b|\bwin\.ini\b|%systemroot%/gu,
    score: 0.55,
    reason: "Names a system file that holds accounts or secrets.",
  },
  {
    subtype: "interpreter",
    pattern: new RegExp(
      String.raw`(?:^|(?:;|&&|\|\||\||&|%0a)${TERMINAL_ESCAPE})${SPACE}*(?:python[\d.]*\s+-c|perl\s+-e|ruby\s+-e|php\s+-r|node\s+-e)\s+['"]`,
      "gmu",
    ),
    score: 0.7,
    reason: "Runs an interpreter on code given inline on the command line.",
  },
  {
    subtype: "command-line",
    pattern: new RegExp(COMMAND_LINE, "gmu"),
    score: 0.5,
    reason: "Consists of a shell command line.",
  },
];

const COMMAND_RULES: PatternRuleSet = {
  type: "COMMAND_INJECTION",
  detector: "command-injection",
  shellForm: true,
  gate: new RegExp(
    String.raw`[;&|\x60$\n/\\%(:>]|^\s*${BIN}(?:${COMMAND_NAMES})\b`,
    "u",
  ),
  rules: RULES,
};

/**
 * Finds shell command injection: commands chained after `;`, `&&`, `|`
 * or a line break, command substitution, reverse shells, download-and-run
 * one-liners, destructive commands, Shellshock and server-side includes.
 */
export const commandInjectionDetector: Detector = {
  name: "command-injection",
  detect: (context) => runPatternRules(context, COMMAND_RULES),
};
